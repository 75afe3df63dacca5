import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { DIALECTS, createTestDb, type TestDb } from '../helpers/databases.js';
import { makeArticle, makeSection } from '../helpers/factories.js';
import { analyze } from '../../src/domain/text-analysis.js';
import { lineKey } from '../../src/domain/boilerplate.js';
import { rebuildAnalysis } from '../../src/services/rebuild-analysis.js';
import { batchDocuments, batchTermCounts } from '../../src/services/search-document.js';
import type { ArticleForIndex } from '../../src/db/repositories/search.repository.js';

const DAY = 86_400_000;
const PROMO = 'Hear the evening bulletin every night on Radio Quillfeather';
const BODIES = [
  'Cocoa growers in Bahia expect a larger harvest after heavy rains reached the plantations.',
  'OPEC oil ministers meet in Vienna to discuss crude output quotas for the winter.',
  'The striker scored twice as the club won the cup final in front of a full stadium.',
  'Storm floods coastal roads; forecasters warn of gale winds and more severe flooding.',
  'Bahia cocoa exporters raise their harvest estimate as rains return to the plantations.',
  'Crude oil prices climb as OPEC ministers in Vienna agree to trim output quotas.',
  'Supporters fill the stadium as the club lifts the league cup after a late striker goal.',
  'Forecasters issue a gale warning as floods close coastal roads before the storm.',
];

/** Everything a rebuild writes that analysis decides: documents (but when), entities, document frequencies. */
async function snapshot(t: TestDb, terms: string[]) {
  const docs = await sql<Record<string, unknown>>`select * from search_documents order by article_id`.execute(t.handle.db);
  const entities = await sql`select * from article_entities order by article_id, entity_key`.execute(t.handle.db);
  return {
    docs: docs.rows.map(({ indexed_at: _, ...row }) => row),
    entities: entities.rows,
    df: [...(await t.services.search.documentFrequencies(terms))].sort(),
  };
}

for (const engine of DIALECTS) {
  describe(`a rebuild's analysis on worker threads, on ${engine}`, () => {
    let t: TestDb;
    let terms: string[];

    before(async () => {
      t = await createTestDb(engine);
      const s = await makeSection(t);
      for (const [i, body] of BODIES.entries()) {
        await makeArticle(t, s, { headline: body.split(' ').slice(0, 6).join(' '), bodyHtml: `<p>${body}</p><p>${PROMO}</p>`, publishedAt: t.clock.now - DAY - i * 60_000 });
      }
      await makeArticle(t, s, { language: 'ar', headline: 'الانتخابات الرئاسية في سوريا', bodyHtml: `<p>أعلنت اللجنة نتائج الانتخابات في مدينة حلب.</p><p>${PROMO}</p>` });
      await makeArticle(t, s, { status: 'draft', headline: 'A draft about Bahia cocoa', bodyHtml: '<p>Not yet published.</p>' });
      terms = [...new Set(analyze(`${BODIES.join(' ')} ${PROMO} الانتخابات حلب Bahia draft`))];
    });
    after(() => t.cleanup());

    test('the index is the same whether the analysis runs on worker threads or on this thread', async () => {
      // Two articles a batch: several batches in flight on two threads, answered out of order.
      assert.equal(await t.services.search.reindex(() => {}, 2, 0), 9);
      const inline = await snapshot(t, terms);
      assert.equal(await t.services.search.reindex(() => {}, 2, 2), 9);
      const threaded = await snapshot(t, terms);
      assert.deepEqual(threaded, inline);
      assert.equal(inline.docs.length, 9, 'every published article, not the draft');
      // The promo recurs in every story: boilerplate, so its words are in no document and count for none.
      const quill = analyze('Quillfeather')[0]!;
      assert.ok(!inline.df.some(([term, n]) => term === quill && n > 0), `"${quill}" is counted: ${JSON.stringify(inline.df.find(([k]) => k === quill))}`);
      assert.equal((await t.services.search.search({ q: 'Quillfeather' })).total, 0);
      assert.equal((await t.services.search.search({ q: 'cocoa' })).total, 2);
    });
  });
}

describe('rebuild analysis threads', () => {
  const articles: ArticleForIndex[] = BODIES.map((body, i) => ({
    id: i + 1,
    language: 'en',
    status: 'published',
    sectionId: 1,
    contentTypeId: 21,
    publishedAt: 1_700_000_000_000 + i,
    headline: body.slice(0, 30),
    dek: '',
    bodyText: `${body}\n${PROMO}`,
    byline: 'A Reporter',
    source: 'Dateline',
    place: 'Vienna',
    leadMediaKind: null,
    tags: [],
  }));

  test('count and build as this thread does, answering each batch in order', async () => {
    const pool = rebuildAnalysis(2);
    try {
      const halves = [articles.slice(0, 3), articles.slice(3, 5), articles.slice(5)];
      const counts = await Promise.all(halves.map((h) => pool.termCounts(h)));
      counts.forEach((c, i) => assert.deepEqual(c, batchTermCounts(halves[i]!)));
      const context = { df: batchTermCounts(articles), total: articles.length, houseNames: ['Dateline'], dropped: new Set([lineKey(PROMO)!]) };
      await pool.useContext(context);
      const built = await Promise.all(halves.map((h) => pool.documents(h)));
      built.forEach((b, i) => assert.deepEqual(b, batchDocuments(halves[i]!, context)));
    } finally {
      await pool.close();
    }
  });

  test('documents asked for before the counts: the same clear refusal on this thread', async () => {
    await assert.rejects(rebuildAnalysis(0).documents(articles), /before the first pass had counted/);
  });

  test('a batch that fails on a thread fails the rebuild with the reason', async () => {
    const pool = rebuildAnalysis(1);
    try {
      await assert.rejects(pool.documents(articles), /Rebuild analysis failed: .*before the first pass had counted/);
      await assert.rejects(pool.termCounts([{ ...articles[0]!, tags: null as never }]), /Rebuild analysis failed: TypeError/);
    } finally {
      await pool.close();
    }
    await assert.rejects(pool.termCounts(articles), /closed/);
  });
});
