import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { idfSumTop } from '../../src/db/repositories/search/postgres.js';

/** Every document scored, all of them sorted: what idfSumTop answered before it sorted only its best. */
function everyScoreSorted(postings: { ids: number[]; df: number }[], n: number, limit: number) {
  const scores = new Map<number, number>();
  for (const { ids, df } of postings) {
    const weight = Math.log(1 + (Math.max(n, df) - df + 0.5) / (df + 0.5));
    for (const id of ids) scores.set(id, (scores.get(id) ?? 0) + weight);
  }
  return [...scores].sort((a, b) => b[1] - a[1] || b[0] - a[0]).slice(0, limit).map(([id, rank]) => ({ id, rank }));
}

describe('idfSumTop (more-like-this candidates from postings)', () => {
  it('gives the best `limit` documents in the order of a full sort, ties by id, newest first', () => {
    // Few distinct ids and frequencies: many documents tie on the same score.
    const posting = fc.record({ ids: fc.uniqueArray(fc.integer({ min: 1, max: 400 }), { maxLength: 120 }), df: fc.integer({ min: 1, max: 50 }) });
    fc.assert(
      fc.property(fc.array(posting, { maxLength: 12 }), fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 150 }), (postings, n, limit) => {
        assert.deepEqual(idfSumTop(postings, n, limit), everyScoreSorted(postings, n, limit));
      }),
      { numRuns: 1500 },
    );
  });
});
