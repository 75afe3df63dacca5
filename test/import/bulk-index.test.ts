import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ImportDraft } from '../../src/domain/import-draft.js';
import { createTestDb, DIALECTS, type TestDb } from '../helpers/databases.js';

/** Issue 13 item 5: a large import is indexed in one pass after the last batch (search rebuild, then every related list). */
const TOPICS = ['harbour strike dockers wages port', 'election ballots turnout parliament vote', 'drought wheat harvest farmers rain'];
function* drafts(count: number, from = 0): Generator<ImportDraft> {
  for (let i = from; i < from + count; i++) {
    const topic = TOPICS[i % TOPICS.length]!;
    yield { sourceKey: `legacy:${50_000 + i}`, kind: 'legacy', id: 50_000 + i, language: 'en', status: 'published', headline: `Report ${i}: ${topic.split(' ')[0]} news`, bodyHtml: `<p>${topic} ${topic} item${i}.</p>`, publishedAt: Date.parse('2013-06-01T08:00:00Z') + i * 60_000, repairs: [] };
  }
}
async function* from(gen: Generator<ImportDraft>) {
  yield* gen;
}

for (const engine of DIALECTS) {
  describe(`bulk indexing of imports (${engine})`, () => {
    let t: TestDb;
    before(async () => {
      t = await createTestDb(engine);
    });
    after(async () => t?.cleanup());

    it('writes in batches, then makes every article searchable and gives each a related list in one pass', async () => {
      const phases: string[] = [];
      const summary = await t.services.imports.run(from(drafts(150)), {
        batchSize: 40,
        onIndexing: (pending, bulk) => phases.push(`indexing ${pending} ${bulk ? 'bulk' : 'each'}`),
        onSearchable: () => phases.push('searchable'),
      });
      assert.equal(summary.created, 150);
      assert.deepEqual(phases, ['indexing 150 bulk', 'searchable']);
      const hit = await t.services.search.search({ q: 'item149' });
      assert.equal(hit.total, 1);
      const unindexed = await t.handle.db.selectFrom('import_items').select('source_key').where('indexed', '=', 0).execute();
      assert.deepEqual(unindexed, []);
      const lists = await t.handle.db.selectFrom('related').select('article_id').where('pinned', '=', 0).distinct().execute();
      assert.equal(lists.length, 150, 'every imported article has an engine list');
      // A list holds articles on the same topic.
      const first = await t.handle.db.selectFrom('related').select('related_id').where('article_id', '=', 50_000).where('pinned', '=', 0).execute();
      assert.ok(first.length > 0 && first.every((r) => (r.related_id - 50_000) % 3 === 0), JSON.stringify(first));
    });

    it('indexes a small import into a larger archive one article at a time (no rebuild)', async () => {
      const phases: string[] = [];
      await t.services.imports.run(from(drafts(5, 150)), { onIndexing: (pending, bulk) => phases.push(`indexing ${pending} ${bulk ? 'bulk' : 'each'}`) });
      assert.deepEqual(phases, ['indexing 5 each']);
      assert.equal((await t.services.search.search({ q: 'item154' })).total, 1);
    });

    it('leaves indexing to the next run with index: false, and that run catches up', async () => {
      await t.services.imports.run(from(drafts(3, 155)), { index: false });
      assert.equal((await t.services.search.search({ q: 'item157' })).total, 0);
      const phases: string[] = [];
      await t.services.imports.run(from(drafts(0)), { onIndexing: (pending) => phases.push(`indexing ${pending}`) });
      assert.deepEqual(phases, ['indexing 3']);
      assert.equal((await t.services.search.search({ q: 'item157' })).total, 1);
    });
  });
}
