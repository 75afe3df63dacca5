import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createJobHandlers } from '../../src/jobs/job-handlers.js';
import { JobRunner } from '../../src/jobs/job-runner.js';
import { createServices, type Services } from '../../src/services/index.js';
import { createTestDb, DIALECTS, type TestDb } from '../helpers/databases.js';
import { makeSection } from '../helpers/factories.js';
import { countTurns } from '../helpers/turns.js';

/** Issue 10 item 10: with RELATED_NEIGHBOURS=job a publish refreshes its own list at once and its neighbours' lists in a job. */
const STORM = [
  'Cyclone Kessel floods the Ombra delta; the Red Crescent Society evacuates villages near Testville.',
  'Kessel floods: convoys reach the Ombra delta as the Red Crescent Society sets up camps near Testville.',
  'After Kessel, Ombra delta farmers count flood losses; the Red Crescent Society brings seed near Testville.',
  'Kessel flood waters recede in the Ombra delta; Testville families return with Red Crescent Society help.',
];

for (const engine of DIALECTS) {
  describe(`related neighbours as a job (${engine})`, () => {
    let t: TestDb;
    let services: Services;
    let section: number;
    const listOf = async (id: number) => (await services.repos.related.links(id)).map((l) => l.relatedId);
    before(async () => {
      t = await createTestDb(engine);
      services = createServices(t.handle, { dataDir: t.dataDir, mediaSitePrefix: 'test', relatedNeighbours: 'job' }, { clock: () => t.clock.now });
      section = await makeSection(t);
    });
    after(async () => t?.cleanup());

    it('publishes with its own list ready and enters the neighbours once the job ran', async () => {
      const runner = new JobRunner(services.repos.jobs, createJobHandlers(services), () => t.clock.now);
      const ids: number[] = [];
      for (const [i, text] of STORM.entries()) {
        ids.push(await services.publishing.createArticle({ language: 'en', contentTypeId: 21, sectionId: section, status: 'published', headline: `Kessel floods, day ${i + 1}`, dek: '', bodyHtml: `<p>${text} ${text}</p>`, byline: '', source: '', place: 'Testville', publishedAt: t.clock.now - (10 - i) * 60_000 }));
        if (i < STORM.length - 1) await runner.runDue();
      }
      const fresh = ids.at(-1)!;
      assert.ok((await listOf(fresh)).length >= 2, 'its own list is there at once');
      assert.ok(!(await listOf(ids[0]!)).includes(fresh), 'neighbours are not refreshed inside the publish');
      assert.ok((await runner.runDue()) >= 1, 'the related.neighbours job ran');
      for (const id of ids.slice(0, 3)) assert.ok((await listOf(id)).includes(fresh), `in the list of ${id} after the job`);
    });

    it('lets readers in between the neighbour lists it refreshes (SQLite\'s statements never yield)', async () => {
      // The SQLite soak's reads stalled 0.5–1.3 s while a job refreshed eight lists back to back.
      const runner = new JobRunner(services.repos.jobs, createJobHandlers(services), () => t.clock.now);
      await runner.runDue();
      const id = await services.publishing.createArticle({ language: 'en', contentTypeId: 21, sectionId: section, status: 'published', headline: 'Kessel floods, the week after', dek: '', bodyHtml: `<p>${STORM.join(' ')}</p>`, byline: '', source: '', place: 'Testville', publishedAt: t.clock.now - 60_000 });
      const loop = countTurns();
      const seen: number[] = [];
      const refresh = services.relatedEngine.refresh.bind(services.relatedEngine);
      services.relatedEngine.refresh = (articleId, doc) => (seen.push(loop.turns), refresh(articleId, doc));
      try {
        assert.ok((await runner.runDue()) >= 1);
      } finally {
        loop.stop();
        services.relatedEngine.refresh = refresh;
      }
      assert.ok(seen.length >= 3, `lists refreshed: ${seen.length} (article ${id})`);
      for (let i = 1; i < seen.length; i++) assert.ok(seen[i]! > seen[i - 1]!, `the event loop turned between lists: turns seen ${seen.join(', ')}`);
    });
  });
}
