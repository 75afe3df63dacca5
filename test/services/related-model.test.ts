import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { learnRelatedModel } from '../../bench/learn-related.js';
import { modelProbability, RELATED_FEATURES } from '../../src/domain/related-model.js';
import { DEFAULT_RELATED_WEIGHTS } from '../../src/domain/related-scoring.js';
import { DIALECTS, createTestDb, type TestDb } from '../helpers/databases.js';
import { makeSection, makeSubjectStories } from '../helpers/factories.js';

/** Three subjects, four stories each, written for this test. */
const SUBJECTS: Record<string, string[]> = {
  cocoa: [
    'Cocoa growers in Bahia expect a larger harvest after heavy rains reached the plantations.',
    'Bahia cocoa exporters raise their harvest estimate as rains return to the plantations.',
    'Cocoa futures fall on news of a larger Bahia harvest and plentiful rains on plantations.',
    'Ivory Coast cocoa arrivals at ports rise; traders expect the Bahia harvest to add supply.',
  ],
  opec: [
    'OPEC oil ministers meet in Vienna to discuss crude output quotas for the winter.',
    'Crude oil prices climb as OPEC ministers in Vienna agree to trim output quotas.',
    'Saudi oil minister says OPEC output quotas will hold through the winter, crude steady.',
    'Refiners buy more crude as OPEC quotas tighten supply and oil prices rise in Vienna trade.',
  ],
  storms: [
    'Storm floods coastal roads; forecasters warn of gale winds and more severe flooding.',
    'Forecasters issue a gale warning as floods close coastal roads before the storm.',
    'Coastal towns clear flood debris after the storm; gale winds ease, forecasters say.',
    'Insurers count storm damage along the coast after floods and gale winds hit the towns.',
  ],
};

for (const engine of DIALECTS) {
  describe(`learned related model on ${engine}`, () => {
    let t: TestDb;
    let subjectOf = new Map<number, string>();

    before(async () => {
      t = await createTestDb(engine);
      subjectOf = await makeSubjectStories(t, await makeSection(t), SUBJECTS, { stepMs: 3_600_000 });
      await t.services.search.reindex();
    });
    after(() => t.cleanup());

    test('every candidate carries the model’s signals, and a list’s scores are the shipped model’s probabilities', async () => {
      const model = DEFAULT_RELATED_WEIGHTS.model;
      assert.ok(model, 'the engine ships a learned model');
      for (const id of subjectOf.keys()) {
        const all = await t.services.relatedEngine.scoreAll(id);
        assert.ok(all.length >= 3, `story ${id} has candidates`);
        for (const c of all) for (const f of RELATED_FEATURES) assert.ok(Number.isFinite(c.features[f]) && c.features[f] >= 0, `${f} = ${c.features[f]}`);
        const list = await t.services.relatedEngine.compute(id);
        assert.ok(list.length >= 1);
        for (const c of list) assert.ok(Math.abs(c.score - modelProbability(model, c.features)) < 1e-12);
        // The story's three siblings lead the box.
        for (const c of list.slice(0, 2)) assert.equal(subjectOf.get(c.id), subjectOf.get(id), `story ${id} (${subjectOf.get(id)}) lists ${c.id} (${subjectOf.get(c.id)}) first`);
      }
    });

    test('a model learned on the archive’s labelled stories ranks same-subject stories first', async () => {
      const ids = [...subjectOf.keys()];
      const learned = await learnRelatedModel(t.services.relatedEngine, ids, (q, c) => subjectOf.get(q) === subjectOf.get(c), { mode: 'pairwise', head: 20 });
      assert.ok(RELATED_FEATURES.every((f) => Number.isFinite(learned.weights[f])));
      const saved = t.services.relatedEngine.options.weights;
      t.services.relatedEngine.options.weights = { ...saved, model: { ...learned, minProbability: 0 } };
      try {
        let hits = 0;
        for (const id of ids) {
          const top = (await t.services.relatedEngine.compute(id)).slice(0, 3);
          hits += top.filter((c) => subjectOf.get(c.id) === subjectOf.get(id)).length;
        }
        // Chance is 3 in 11; the hand-set score gets nearly all.
        assert.ok(hits / (3 * ids.length) >= 0.75, `precision@3 ${hits / (3 * ids.length)}`);
      } finally {
        t.services.relatedEngine.options.weights = saved;
      }
    });
  });
}
