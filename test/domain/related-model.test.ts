import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fitLogistic, modelProbability, RELATED_FEATURES, type RelatedFeatures, type RelatedModel } from '../../src/domain/related-model.js';
import { DEFAULT_RELATED_WEIGHTS, scoreCandidates, type RelatedCandidate, type RelatedSource } from '../../src/domain/related-scoring.js';

const zero = (): RelatedFeatures => Object.fromEntries(RELATED_FEATURES.map((f) => [f, 0])) as RelatedFeatures;

/** A small deterministic pseudo-random sequence (the test must not depend on Math.random). */
function lcg(seed: number) {
  let s = seed;
  return () => ((s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
}

describe('learned related model', () => {
  test('fitting recovers which signal tells related items apart, and the probability follows it', () => {
    const rand = lcg(7);
    // Relevant when agreement is high; text is noise; one in ten labels flipped.
    const examples = Array.from({ length: 4000 }, () => {
      const features = { ...zero(), coherence: rand(), text: rand() };
      const relevant = (features.coherence > 0.5) !== rand() < 0.1;
      return { features, relevant, weight: 1 };
    });
    const fitted = fitLogistic(examples, { epochs: 300 });
    assert.ok(fitted.weights.coherence > 3, `coherence weight ${fitted.weights.coherence}`);
    assert.ok(Math.abs(fitted.weights.text) < fitted.weights.coherence / 5, `text weight ${fitted.weights.text}`);
    const model: RelatedModel = { ...fitted, minProbability: 0 };
    const p = (coherence: number) => modelProbability(model, { ...zero(), coherence, text: 0.5 });
    assert.ok(p(0.9) > 0.75 && p(0.1) < 0.25, `p(0.9) ${p(0.9)}, p(0.1) ${p(0.1)}`);
    const correct = examples.filter((e) => modelProbability(model, e.features) >= 0.5 === e.relevant).length;
    assert.ok(correct / examples.length > 0.85, `accuracy ${correct / examples.length}`);
  });

  test('with a model, candidates are ranked by its probability over their signals, and its minimum leaves items out', () => {
    const idf = new Map([['flood', 3], ['river', 3], ['dam', 4], ['mayor', 2]]);
    const source: RelatedSource = { publishedAt: 0, headlineTerms: ['flood', 'river'], terms: new Map([['flood', 1], ['river', 1], ['dam', 1]]), length: 10, idf, language: 'en' };
    const item = (id: number, words: string[], headlineTerms: string[]): RelatedCandidate => ({
      id, terms: new Map(words.map((w) => [w, 1])), length: 10, sharedTags: [], sharedEntities: [], publishedAt: 0, isMedia: false, headlineTerms, language: 'en',
    });
    const pool = [item(1, ['flood', 'river', 'dam'], ['mayor']), item(2, ['dam', 'mayor'], ['flood', 'river'])];
    // Hand-set weights: the item sharing more text leads.
    assert.equal(scoreCandidates(source, pool)[0]!.id, 1);
    // A model that reads only the headline puts the headline match first.
    const model: RelatedModel = { bias: -1, weights: { ...zero(), headline: 4 }, minProbability: 0.5 };
    const scored = scoreCandidates(source, pool, { ...DEFAULT_RELATED_WEIGHTS, model });
    assert.deepEqual(scored.map((c) => c.id), [2, 1]);
    for (const c of scored) assert.equal(c.score, modelProbability(model, c.features));
    assert.equal(scored[0]!.features.headline, 1);
    assert.equal(scored[0]!.features.sameLanguage, 1);
  });
});
