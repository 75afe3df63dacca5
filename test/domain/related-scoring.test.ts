import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  bm25,
  DEFAULT_RELATED_WEIGHTS,
  sameLanguageFirst,
  sameLanguageFirstSelection,
  scoreCandidates,
  selectDiverse,
  startScoring,
  type RelatedCandidate,
  type RelatedSource,
} from '../../src/domain/related-scoring.js';

const DAY = 86_400_000;
const terms = (...words: string[]) => {
  const tf = new Map<string, number>();
  for (const w of words) tf.set(w, (tf.get(w) ?? 0) + 1);
  return tf;
};
const idf = new Map([
  ['flood', 3],
  ['river', 3],
  ['dam', 4],
  ['kessel', 6],
  ['rescue', 2],
  ['mayor', 2],
  ['budget', 2],
  ['tax', 2],
]);
const source: RelatedSource = { publishedAt: 0, headlineTerms: ['flood', 'river'], terms: terms('flood', 'river', 'dam', 'kessel'), length: 20, idf };
const item = (id: number, words: string[], extra: Partial<RelatedCandidate> = {}): RelatedCandidate => ({
  id,
  terms: terms(...words),
  length: 20,
  sharedTags: [],
  sharedEntities: [],
  publishedAt: 0,
  isMedia: false,
  headlineTerms: [`h${id}`],
  ...extra,
});

describe('related scoring', () => {
  test('BM25: a second use of a word adds less than the first; a match in a longer text counts less', () => {
    const w = DEFAULT_RELATED_WEIGHTS;
    const query = new Map([['dam', 1]]);
    const once = bm25(query, { terms: terms('dam'), length: 20 }, 20, w);
    const twice = bm25(query, { terms: terms('dam', 'dam'), length: 20 }, 20, w);
    const long = bm25(query, { terms: terms('dam'), length: 80 }, 20, w);
    assert.ok(twice > once && twice < 2 * once);
    assert.ok(long < once);
    assert.equal(bm25(query, { terms: terms('river'), length: 20 }, 20, w), 0);
  });

  test('text is relative to the source’s own score: the source’s twin scores 1; rare shared words count more', () => {
    const [twin, rare, common] = ['twin', 'rare', 'common'].map((_, i) => i + 1) as [number, number, number];
    const scored = scoreCandidates(source, [
      item(twin, ['flood', 'river', 'dam', 'kessel']),
      item(rare, ['kessel', 'mayor']),
      item(common, ['rescue', 'mayor']),
    ]);
    const byId = new Map(scored.map((c) => [c.id, c]));
    assert.ok(Math.abs(byId.get(twin)!.components.text - 1) < 1e-9);
    assert.ok(byId.get(rare)!.components.text > byId.get(common)!.components.text);
    assert.equal(byId.get(common)!.components.text, 0);
    assert.deepEqual(byId.get(rare)!.sharedTerms.map((t) => t.term), ['kessel']);
    assert.deepEqual(byId.get(twin)!.sharedTerms[0]!.term, 'kessel', 'the rarest shared word explains the most');
  });

  test('hand-set weights: text, tags and entities add up; older items weigh less', () => {
    const words = ['flood', 'dam'];
    const scored = scoreCandidates(source, [
      item(1, words),
      item(2, words, { sharedTags: ['Floods'] }),
      item(3, words, { sharedTags: ['Floods'], publishedAt: -20 * DAY }),
    ], { ...DEFAULT_RELATED_WEIGHTS, model: null });
    const byId = new Map(scored.map((c) => [c.id, c]));
    assert.equal(scored[0]!.id, 2);
    assert.ok(byId.get(1)!.score < byId.get(2)!.score);
    assert.ok(byId.get(3)!.score < byId.get(2)!.score);
    assert.ok(byId.get(3)!.components.recency < 1);
  });

  test('neighbourhood: of two items matching the source equally, the one like the other good matches ranks first', () => {
    // The story is about the flooded river; 1–3 are about it. 4 and 5 each share one
    // source word, but 4 reads like the story's neighbourhood and 5 like a budget story.
    const scored = scoreCandidates(source, [
      item(1, ['flood', 'river', 'dam', 'rescue']),
      item(2, ['flood', 'river', 'kessel', 'rescue']),
      item(3, ['river', 'dam', 'kessel', 'rescue']),
      item(4, ['dam', 'rescue', 'rescue']),
      item(5, ['dam', 'budget', 'tax']),
    ]);
    const byId = new Map(scored.map((c) => [c.id, c]));
    assert.equal(byId.get(4)!.components.text, byId.get(5)!.components.text);
    assert.ok(byId.get(4)!.components.coherence > byId.get(5)!.components.coherence);
    assert.ok(byId.get(4)!.score > byId.get(5)!.score);
    // An item is never its own neighbour: alone, there is no neighbourhood.
    assert.equal(scoreCandidates(source, [item(1, ['flood'])])[0]!.components.coherence, 0);
  });

  test('scores need the idf of the source and its lead only (what the engine looks up)', () => {
    const pool = [
      item(1, ['flood', 'river', 'dam', 'rescue']),
      item(2, ['flood', 'river', 'kessel', 'mayor']),
      item(3, ['river', 'budget', 'tax']),
      item(4, ['dam', 'rescue', 'rescue']),
    ];
    const w = { ...DEFAULT_RELATED_WEIGHTS, coherenceLead: 2 };
    const lead = startScoring(source, pool, w).lead;
    assert.deepEqual(new Set(lead.map((c) => c.id)), new Set([1, 2]));
    const needed = new Set([...source.terms.keys(), ...lead.flatMap((c) => [...c.terms.keys()])]);
    const partial = { ...source, idf: new Map([...idf].filter(([t]) => needed.has(t))) };
    const scores = (src: RelatedSource) => scoreCandidates(src, pool, w).map((c) => [c.id, c.score]);
    assert.deepEqual(scores(partial), scores(source));
    assert.ok(!needed.has('budget'), 'terms of items outside the lead are never read');
  });

  test('near-duplicates collapse; weak items drop; a media item takes the last slot when it qualifies', () => {
    const story = ['flood', 'river', 'dam', 'kessel', 'rescue'];
    const cands = scoreCandidates(source, [
      item(1, story, { headlineTerms: ['dam', 'break'] }),
      item(2, story, { headlineTerms: ['dam', 'break'], length: 30 }),
      item(3, ['flood', 'dam', 'kessel'], { headlineTerms: ['rescue'] }),
      item(4, ['river', 'kessel'], { headlineTerms: ['video'], isMedia: true }),
      item(5, ['budget'], { headlineTerms: ['noise'] }),
      item(6, ['flood', 'river', 'dam', 'kessel'], { headlineTerms: ['flood', 'river'] }),
    ]);
    assert.deepEqual(selectDiverse(source, cands, 2, DEFAULT_RELATED_WEIGHTS).map((c) => c.id), [1, 4]);
    assert.deepEqual(selectDiverse(source, cands, 5).map((c) => c.id), [1, 3, 4]);
  });

  test('an Arabic or Persian list stops selecting once it has its items in the language: the same list as selecting every candidate', () => {
    const words = ['flood', 'river', 'dam', 'kessel', 'rescue', 'mayor', 'budget', 'tax'];
    const candidate = fc.record({
      words: fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 6 }),
      headline: fc.array(fc.constantFrom('dam', 'break', 'flood', 'vote'), { maxLength: 2 }),
      language: fc.constantFrom('ar', 'fa', 'en'),
      isMedia: fc.boolean(),
      days: fc.integer({ min: 0, max: 30 }),
    });
    fc.assert(
      fc.property(fc.array(candidate, { maxLength: 40 }), fc.constantFrom('ar', 'fa', 'en'), fc.integer({ min: 1, max: 10 }), (cands, language, limit) => {
        const src = { ...source, language };
        const scored = scoreCandidates(
          src,
          cands.map((c, i) => item(i + 1, c.words, { headlineTerms: c.headline, language: c.language, isMedia: c.isMedia, publishedAt: -c.days * DAY })),
        );
        // What the engine did before: every candidate selected when the language comes first.
        const all = selectDiverse(src, scored, language === 'en' ? limit : scored.length);
        const before = sameLanguageFirst(language, all, limit).slice(0, limit);
        assert.deepEqual(sameLanguageFirstSelection(src, scored, limit).map((c) => c.id), before.map((c) => c.id));
      }),
      { numRuns: 1000 },
    );
  });
});
