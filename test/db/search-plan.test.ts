import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { matchesFirst, planSearch, PREFIX_EXPANSIONS, walkBeatsIndex, WALK_ROW_POSTINGS, type PlanReads } from '../../src/db/repositories/search/planner.js';
import type { QueryClause } from '../../src/domain/text-analysis.js';

const word = (w: string, negated = false): QueryClause => ({ terms: [w], prefix: false, negated });
const phrase = (...terms: string[]): QueryClause => ({ terms, prefix: false, negated: false });
const prefix = (p: string): QueryClause => ({ terms: [p], prefix: true, negated: false });

/** An index of these document frequencies, articles 1 to `documents`. */
function reads(df: Record<string, number>, documents = 1_000_000): PlanReads {
  return {
    expandPrefix: async (p, max) => Object.keys(df).filter((t) => t.startsWith(p)).slice(0, max),
    documentFrequencies: async (terms) => new Map(terms.filter((t) => t in df).map((t) => [t, df[t]!])),
    idRange: async () => ({ lo: 1, hi: documents }),
  };
}

describe('planSearch: how many documents a query can match at most', () => {
  const df = { harbour: 400, ferry: 9_000, storm: 30_000, quay: 50, quayside: 70, quaint: 5 };
  it('a word: its documents; words together: the rarest; a phrase: its rarest word; a prefix: its completions together', async () => {
    assert.equal((await planSearch([word('harbour')], reads(df))).matches, 400);
    assert.equal((await planSearch([word('ferry'), word('harbour')], reads(df))).matches, 400);
    assert.equal((await planSearch([phrase('ferry', 'storm')], reads(df))).matches, 9_000);
    assert.equal((await planSearch([prefix('qua')], reads(df))).matches, 125);
    assert.equal((await planSearch([word('ferry'), word('harbour', true)], reads(df))).matches, 9_000, 'an excluded word does not bound it');
    assert.equal((await planSearch([word('nowhere')], reads(df))).matches, 0);
  });
});

describe('walkBeatsIndex: a broad query read newest first by walking the articles by id when the index would read more', () => {
  const estimate = (matches: number, documents = 1_000_000, span = documents) => ({ matches, documents, span });
  it('a common word walked, a rarer one and a narrow page of a filtered one read from the index; the plan carries the estimate', async () => {
    assert.equal(walkBeatsIndex(estimate(840_000), 20, false), true, '"said": about 24 rows against 840,000 postings');
    assert.equal(walkBeatsIndex(estimate(840_000), 1000, false), true, 'its count too (1,190 rows)');
    assert.equal(walkBeatsIndex(estimate(30_000), 20, false), false, 'a word in 3 % of the archive: 667 rows, dearer than its 30,000 postings');
    assert.equal(walkBeatsIndex(estimate(840_000), 1000, true), false, 'a filtered count: taken as 19,000 rows');
    assert.equal(walkBeatsIndex(estimate(840_000, 1_000_000, 1_500), 1000, true), true, 'unless the bound leaves fewer to walk');
    assert.equal(walkBeatsIndex(estimate(0), 20, false), false);
    // A phrase or several words may match nothing: priced at the whole span.
    assert.equal(walkBeatsIndex(estimate(980_000, 1_000_000, 1_250), 20, false, false), true, '"and for" in its 1,250 newest ids');
    assert.equal(walkBeatsIndex(estimate(120_000, 1_000_000, 18_000), 20, false, false), false, 'two content words in a long span');
    const plan = await planSearch([word('said')], reads({ said: 840_000 }));
    assert.ok(plan.minId !== null);
    assert.deepEqual(plan.broad, { matches: 840_000, documents: 1_000_000, span: 1_000_000 - plan.minId + 1 });
    assert.equal((await planSearch([word('quay')], reads({ quay: 50 }))).broad, null, 'not broad: no estimate');
  });
  it('priced as rows walked (at most the span) × WALK_ROW_POSTINGS against the postings, matches never counted above the archive', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5_000_000 }),
        fc.integer({ min: 1, max: 2_000_000 }),
        fc.integer({ min: 1, max: 2_000_000 }),
        fc.integer({ min: 1, max: 2_000 }),
        fc.boolean(),
        (matches, documents, span, want, filtered) => {
          const e = { matches, documents, span };
          const rows = Math.min(span, (want * documents * (filtered ? 16 : 1)) / Math.min(matches, documents));
          assert.equal(walkBeatsIndex(e, want, filtered), rows * WALK_ROW_POSTINGS < matches);
          assert.equal(walkBeatsIndex(e, want, filtered, false), span * WALK_ROW_POSTINGS < matches);
          // Unspread matches never walk where spread ones would not.
          if (!walkBeatsIndex(e, want, filtered)) assert.equal(walkBeatsIndex(e, want, filtered, false), false);
          // More wanted, or a filter, never tips it towards the walk.
          if (!walkBeatsIndex(e, want, false)) assert.equal(walkBeatsIndex(e, want + 1, filtered), false);
        },
      ),
    );
  });
});

describe('matchesFirst: a newest-first page read by its matches when walking the dates would test more rows', () => {
  it('as the figures at 1M articles: a rare word read first, a common one walked, a filter tipping it towards the matches', () => {
    assert.equal(matchesFirst(353, 20, 980_000, false), true);
    assert.equal(matchesFirst(15_404, 20, 980_000, false), false);
    assert.equal(matchesFirst(15_404, 20, 980_000, true), true);
  });
  it('the matches read never exceed the rows a walk would test (for the filter taken as a sixteenth)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2_000_000 }), fc.integer({ min: 1, max: 2_000 }), fc.integer({ min: 1, max: 2_000_000 }), fc.boolean(), (matches, want, documents, filtered) => {
        const walked = (want * documents * (filtered ? 16 : 1)) / matches;
        assert.equal(matchesFirst(matches, want, documents, filtered), matches <= walked);
      }),
    );
  });
});

describe('planSearch: a prefix\'s completions', () => {
  it('leave out function words while anything else completes the prefix, and stay the most frequent thirty', async () => {
    const df: Record<string, number> = { that: 900_000, than: 600_000, thailand: 5_000, thatcher: 800 };
    const planned = await planSearch([prefix('tha')], reads(df));
    assert.deepEqual(planned.clauses[0]!.anyOf, ['thailand', 'thatcher']);
    assert.equal(planned.matches, 5_800);
    assert.deepEqual((await planSearch([prefix('th')], reads({ that: 900_000, than: 600_000 }))).clauses[0]!.anyOf, ['that', 'than'], 'only function words: they are the completions');
    const many: Record<string, number> = Object.fromEntries([['that', 900_000], ...Array.from({ length: 40 }, (_, i) => [`thane${i}`, 1000 - i])]);
    const byFrequency = async (p: string, max: number) => Object.entries(many).filter(([t]) => t.startsWith(p)).sort((a, b) => b[1] - a[1]).slice(0, max).map(([t]) => t);
    const anyOf = (await planSearch([prefix('tha')], { ...reads(many), expandPrefix: byFrequency })).clauses[0]!.anyOf!;
    assert.equal(anyOf.length, PREFIX_EXPANSIONS);
    assert.deepEqual(anyOf, Array.from({ length: PREFIX_EXPANSIONS }, (_, i) => `thane${i}`), 'thirty content words, the most frequent');
  });
});

