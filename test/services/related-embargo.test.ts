import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DIALECTS, createTestDb, type TestDb } from '../helpers/databases.js';
import { makeArticle, makeSection } from '../helpers/factories.js';

const HOUR = 3_600_000;
const STORM = [
  'Cyclone Idris made landfall near Port Veyra overnight, flattening fishing villages along the Ombra coast.',
  'Relief convoys from the Harbour Authority reached Port Veyra as Cyclone Idris weakened over the Ombra hills.',
  'Fishermen on the Ombra coast began rebuilding boats wrecked when Cyclone Idris struck Port Veyra.',
  'Insurers estimate that Cyclone Idris caused record damage in Port Veyra and the villages of the Ombra coast.',
].map((text) => `<p>${text}</p>`);

for (const engine of DIALECTS) {
  describe(`embargoed articles on ${engine}`, () => {
    let t: TestDb;
    let s: number;
    const story: number[] = [];
    const listed = async (id: number) => (await t.services.repos.related.listVisible(id, t.clock.now)).map((r) => r.id);

    before(async () => {
      t = await createTestDb(engine);
      s = await makeSection(t);
      for (let i = 0; i < 3; i++) {
        story.push(await makeArticle(t, s, { headline: ['Cyclone Idris hits Port Veyra', 'Convoys reach the Ombra coast', 'Veyra fishermen rebuild'][i]!, bodyHtml: STORM[i]!, publishedAt: t.clock.now - (3 - i) * HOUR }));
      }
    });
    after(() => t.cleanup());

    test('enter the related lists of their story when the embargo lifts (a due job), never before', async () => {
      const embargoed = await makeArticle(t, s, { headline: 'Cyclone Idris: Port Veyra counts the damage', bodyHtml: STORM[3]!, publishedAt: t.clock.now + 2 * HOUR });
      for (const id of story) assert.ok(!(await listed(id)).includes(embargoed), `not in list of ${id} while embargoed`);
      assert.equal(await t.runJobs(), 0, 'nothing is due yet');
      t.clock.set(t.clock.now + 2 * HOUR + 1000);
      assert.ok((await t.runJobs()) >= 1, 'the due job ran');
      for (const id of story) assert.ok((await listed(id)).includes(embargoed), `in list of ${id} once due`);
      assert.ok((await listed(embargoed)).length >= 2, 'and has its own list');
    });
  });
}
