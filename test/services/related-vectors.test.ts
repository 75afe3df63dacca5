import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { RelatedFeatures } from '../../src/domain/related-model.js';
import { cosine, foldIn, vectorFromBytes } from '../../src/domain/related-vectors.js';
import { analyze } from '../../src/domain/text-analysis.js';
import { SearchRepository } from '../../src/db/repositories/search.repository.js';
import { DIALECTS, createTestDb, type TestDb } from '../helpers/databases.js';
import { makeArticle, makeSection, modelOf } from '../helpers/factories.js';

const DAY = 86_400_000;
const CARS = ['engine', 'gearbox', 'brakes', 'tyres', 'chassis', 'dealership', 'motorway', 'horsepower'];
const FARMS = ['harvest', 'tractor', 'barley', 'orchard', 'livestock', 'fertiliser', 'irrigation', 'granary'];

/** Eight words of a subject, rotated: stories of one subject share most of their words. */
const words = (vocabulary: string[], i: number) => vocabulary.map((_, j) => vocabulary[(i + j) % vocabulary.length]!).slice(0, 6).join(' ');

for (const engine of DIALECTS) {
  describe(`semantic vectors on ${engine}`, () => {
    let t: TestDb;
    let s: number;
    let source: number;
    let sameSubject: number;
    let otherSubject: number;
    const stored = async (id: number) => {
      const bytes = (await t.services.repos.related.vectors([id])).get(id);
      return bytes && vectorFromBytes(bytes);
    };

    before(async () => {
      t = await createTestDb(engine);
      s = await makeSection(t);
      for (let i = 0; i < 12; i++) {
        await makeArticle(t, s, { headline: `Motoring notes ${i}`, bodyHtml: `<p>${words(CARS, i)}</p>`, publishedAt: t.clock.now - 10 * DAY - i * 60_000 });
        await makeArticle(t, s, { headline: `Farming notes ${i}`, bodyHtml: `<p>${words(FARMS, i)}</p>`, publishedAt: t.clock.now - 10 * DAY - i * 60_000 });
      }
      // The source and two candidates sharing the same words with it; one of them also
      // shares the source's subject (car words), the other is about farming and shares one
      // more word with the source, so text alone puts it first.
      source = await makeArticle(t, s, { headline: 'Quarterly bulletin', bodyHtml: '<p>engine gearbox brakes quarterly bulletin prices survey</p>', publishedAt: t.clock.now - DAY });
      sameSubject = await makeArticle(t, s, { headline: 'Quarterly figures', bodyHtml: '<p>chassis dealership motorway quarterly bulletin</p>', publishedAt: t.clock.now - DAY });
      otherSubject = await makeArticle(t, s, { headline: 'Quarterly report', bodyHtml: '<p>barley orchard granary quarterly bulletin prices</p>', publishedAt: t.clock.now - DAY });
      t.services.relatedEngine.options.vectorDims = 2;
      await t.services.search.reindex();
      await t.services.relatedEngine.buildVectors();
    });
    after(() => t.cleanup());

    test('the rebuild stores a basis and a vector for every indexed article', async () => {
      const ids = await t.services.search.indexedIdsAfter(0, 1000);
      const vectors = await t.services.repos.related.vectors(ids);
      assert.equal(vectors.size, ids.length);
      for (const v of vectors.values()) assert.equal(v.byteLength, 2 * 4);
      const terms = analyze('engine barley nosuchword');
      const basis = await t.services.repos.related.basisRows(terms);
      assert.deepEqual([...basis.keys()].sort(), terms.slice(0, 2).sort());
    });

    test('the semantic signal ranks the story on the same subject above the one sharing more words', async () => {
      const order = async (weights: Partial<RelatedFeatures>) => {
        const all = await t.services.relatedEngine.scoreAll(source, { ...t.services.relatedEngine.options.weights, semanticModel: modelOf(weights), semanticModelByLanguage: {} });
        const ids = all.map((c) => c.id);
        return { ids, item: (id: number) => all.find((c) => c.id === id)! };
      };
      const text = await order({ text: 1 });
      assert.ok(text.ids.indexOf(otherSubject) < text.ids.indexOf(sameSubject), 'by text alone the farming story leads');
      const both = await order({ text: 1, semantic: 5 });
      assert.ok(both.item(sameSubject).features.semantic > both.item(otherSubject).features.semantic + 0.3, JSON.stringify([both.item(sameSubject).features, both.item(otherSubject).features]));
      assert.ok(both.ids.indexOf(sameSubject) < both.ids.indexOf(otherSubject), 'with the semantic signal the car story leads');
    });

    test('publishing folds the new article into the basis; an edit updates its vector, unpublishing removes it', async () => {
      const fresh = await makeArticle(t, s, { headline: 'Dealership news', bodyHtml: '<p>tyres chassis horsepower dealership</p>' });
      const v = await stored(fresh);
      assert.ok(v, 'stored at publish');
      const { topTerms } = (await new SearchRepository(t.handle.db, t.handle.engine).documents([fresh])).get(fresh)!;
      const basisRows = await t.services.repos.related.basisRows(topTerms.map(([term]) => term));
      const expected = foldIn(topTerms, { dims: 2, vectors: new Map([...basisRows].map(([k, b]) => [k, vectorFromBytes(b)])) });
      assert.ok(cosine(v, expected) > 0.9999);
      const car = await stored(sameSubject);
      const farm = await stored(otherSubject);
      assert.ok(cosine(v, car) > cosine(v, farm));

      await sql`update articles set body_text = ${'harvest tractor barley irrigation'}, headline = ${'Farm news'} where id = ${fresh}`.execute(t.handle.db);
      await t.services.publishing.notifyChanged(fresh);
      const edited = await stored(fresh);
      assert.ok(cosine(edited, farm) > cosine(edited, car), 'the edit moved it to farming');

      await sql`update articles set status = 'unpublished' where id = ${fresh}`.execute(t.handle.db);
      await t.services.publishing.notifyChanged(fresh);
      assert.equal(await stored(fresh), undefined);
    });
  });
}
