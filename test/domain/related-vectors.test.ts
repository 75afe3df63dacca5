import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { cosine, foldIn, learnBasis, vectorFromBytes, vectorToBytes, type TermCounts } from '../../src/domain/related-vectors.js';

/** Two subjects whose stories use one of two synonyms, never both, beside shared subject words. */
function archive(): TermCounts[] {
  const docs: TermCounts[] = [];
  const cars = ['engine', 'wheel', 'brake', 'gearbox', 'tyre', 'driver'];
  const farms = ['harvest', 'wheat', 'tractor', 'barn', 'rain', 'soil'];
  for (let i = 0; i < 40; i++) {
    const pick = (words: string[]) => words.filter((_, j) => (i + j) % 3 !== 0);
    docs.push([[i % 2 ? 'car' : 'automobile', 2], ...pick(cars).map((w): [string, number] => [w, 1])]);
    docs.push([[i % 2 ? 'farmer' : 'grower', 2], ...pick(farms).map((w): [string, number] => [w, 1])]);
  }
  return docs;
}

describe('semantic vectors (latent semantic analysis)', () => {
  test('stories sharing no word but written about one subject are close; across subjects they are not', () => {
    const basis = learnBasis(archive(), { dims: 2, seed: 3 });
    const car = foldIn([['car', 1]], basis);
    const automobile = foldIn([['automobile', 1]], basis);
    const grower = foldIn([['grower', 1]], basis);
    assert.ok(cosine(car, automobile) > 0.8, `car ~ automobile: ${cosine(car, automobile)}`);
    assert.ok(cosine(car, grower) < 0.2, `car ~ grower: ${cosine(car, grower)}`);
  });

  test('with as many dimensions as the archive has documents, vectors keep the tf-idf cosine of any two of them (the SVD is exact)', () => {
    const docs: TermCounts[] = [
      [['oil', 2], ['opec', 1], ['price', 1]],
      [['oil', 1], ['crude', 3], ['price', 2]],
      [['wheat', 1], ['price', 1], ['crop', 2]],
      [['crop', 1], ['rain', 1], ['wheat', 2], ['oil', 1]],
      [['opec', 2], ['crude', 1], ['rain', 1]],
    ];
    const basis = learnBasis(docs, { dims: 5, minDocuments: 1 });
    const df = new Map<string, number>();
    for (const d of docs) for (const [t] of d) df.set(t, (df.get(t) ?? 0) + 1);
    const tfidf = (d: TermCounts) => new Map(d.map(([t, f]) => [t, (1 + Math.log(f)) * Math.log(1 + 6 / (df.get(t)! + 1))]));
    const exact = (a: TermCounts, b: TermCounts) => {
      const x = tfidf(a);
      const y = tfidf(b);
      let dot = 0;
      for (const [t, v] of x) dot += v * (y.get(t) ?? 0);
      return dot / Math.hypot(...x.values()) / Math.hypot(...y.values());
    };
    for (const a of docs) for (const b of docs) assert.ok(Math.abs(cosine(foldIn(a, basis), foldIn(b, basis)) - exact(a, b)) < 1e-4, `${exact(a, b)}`);
  });

  test('the same archive and seed give the same basis; terms found once are left out', () => {
    const docs = [...archive(), [['hapax', 1]] as TermCounts];
    const a = learnBasis(docs, { dims: 4, seed: 5 });
    const b = learnBasis(docs, { dims: 4, seed: 5 });
    assert.equal(a.vectors.has('hapax'), false);
    assert.deepEqual([...a.vectors.get('wheat')!], [...b.vectors.get('wheat')!]);
    assert.equal(foldIn([['hapax', 3]], a), null, 'no known term: no vector');
  });

  test('a folded-in vector has unit length (or is null), cosine stays within [−1, 1], bytes round-trip', () => {
    const basis = learnBasis(archive(), { dims: 6, seed: 1 });
    const words = [...basis.vectors.keys(), 'unknown'];
    const doc = fc.array(fc.tuple(fc.constantFrom(...words), fc.integer({ min: 1, max: 9 })), { maxLength: 12 });
    fc.assert(
      fc.property(doc, doc, (x, y) => {
        const a = foldIn(x, basis);
        const b = foldIn(y, basis);
        if (a) assert.ok(Math.abs(Math.hypot(...a) - 1) < 1e-5);
        else assert.ok(x.every(([t]) => t === 'unknown'));
        const c = cosine(a, b);
        assert.ok(c >= -1.0001 && c <= 1.0001, `cosine ${c}`);
        if (a) assert.deepEqual([...vectorFromBytes(vectorToBytes(a))], [...a]);
      }),
      { numRuns: 200 },
    );
  });
});
