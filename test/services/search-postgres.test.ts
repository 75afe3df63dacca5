import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import fc from 'fast-check';
import pg from 'pg';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrator.js';
import { RUM_INDEX } from '../../src/db/migrations/030-search-rum.js';
import { RUM_NEWEST_INDEX } from '../../src/db/migrations/031-search-rum-newest.js';
import { GIN_INDEX } from '../../src/db/migrations/034-search-gin-with-rum.js';
import { SearchRepository } from '../../src/db/repositories/search.repository.js';
import { evenLanes, type PostgresTsvector } from '../../src/db/repositories/search/postgres.js';
import { hasFilters, walkBeatsIndex } from '../../src/db/repositories/search/planner.js';
import type { QueryClause } from '../../src/domain/text-analysis.js';
import { DIALECTS, POSTGRES_URL, createTestDb, type TestDb } from '../helpers/databases.js';
import { makeArticle, makeSection } from '../helpers/factories.js';

const DAY = 86_400_000;
const word = (w: string): QueryClause => ({ terms: [w], prefix: false, negated: false });

/**
 * PostgreSQL only: ranked search through the RUM index (migration 030), and without it. The
 * first part needs the rum extension on the server (scripts/test.mjs says when it is skipped).
 */
if (DIALECTS.includes('postgres') && process.env.SKIP_RUM_TESTS !== '1') {
  describe('PostgreSQL search with and without the rum extension', () => {
    let t: TestDb;
    const ids: Record<string, number> = {};
    let world: number;
    const adapterOf = (repo: SearchRepository) => repo.fullText as PostgresTsvector;

    before(async () => {
      t = await createTestDb('postgres');
      world = await makeSection(t, 'world', 'World');
      const sport = await makeSection(t, 'sport', 'Sport');
      // [key, section, headline, body, days ago (negative: embargoed)]
      const stories: [string, number, string, string, number][] = [
        ['headline', sport, 'Oil prices lift the football league budget', 'Higher oil prices helped the league. Prices of oil rose again, analysts said.', 5],
        ['body', world, 'Prices rise as crude supply tightens', 'The price of crude rose. Oil traders worried.', 1],
        ['other', world, 'Voters head to the polls', 'Turnout was high.', 1],
        ['embargoed', world, 'Oil embargo lifted', 'Oil.', -1],
      ];
      for (const [key, section, headline, body, daysAgo] of stories) {
        ids[key] = await makeArticle(t, section, { headline, bodyHtml: `<p>${body}</p>`, publishedAt: t.clock.now - daysAgo * DAY });
      }
    });
    after(() => t.cleanup());

    test('migration 030 builds the RUM index; ranked pages come from it, best first, filtered and visible only', async () => {
      const index = await sql<{ def: string }>`select pg_get_indexdef(to_regclass(${RUM_INDEX})) as def`.execute(t.handle.db);
      assert.match(index.rows[0]!.def ?? '', /USING rum \(tsv/);
      const repo = new SearchRepository(t.handle.db, 'postgres');
      assert.equal(await repo.fullTextNotice(), null, 'no start-up warning with the extension');
      const query = adapterOf(repo).query([word('oil')], 'all')!;
      const page = await adapterOf(repo).rankedPage(t.handle.db, { query, filter: {}, now: t.clock.now, want: 10, pool: 1000 });
      assert.ok(page, 'the RUM path answers (no fallback to ts_rank_cd)');
      assert.deepEqual(page.map((h) => h.articleId), [ids.headline, ids.body], 'headline and body mentions first; the embargoed match left out');
      assert.ok(page[0]!.rank > page[1]!.rank);
      const filtered = await adapterOf(repo).rankedPage(t.handle.db, { query, filter: { sectionId: world }, now: t.clock.now, want: 10, pool: 1000 });
      assert.deepEqual(filtered?.map((h) => h.articleId), [ids.body]);
      const r = await t.services.search.search({ q: 'oil' });
      assert.deepEqual(r.items.map((i) => i.article.id), [ids.headline, ids.body], 'the service ranks the same way');
      const related = await repo.search([word('oil'), word('crude')], {}, t.clock.now, { limit: 10, offset: 0, order: 'relevance', mode: 'any', ranking: 'related' });
      assert.deepEqual(related.map((h) => h.articleId).sort(), [ids.headline, ids.body].sort(), 'more-like-this candidates: visible matches of any word');
    });

    test('migration 034 drops the GIN index beside both RUM indexes: counts and filtered matches read a RUM index', async () => {
      const gin = await sql<{ idx: string | null }>`select to_regclass(${GIN_INDEX})::text as idx`.execute(t.handle.db);
      assert.equal(gin.rows[0]!.idx, null, 'no GIN index');
      const repo = new SearchRepository(t.handle.db, 'postgres');
      assert.equal(await repo.count([word('oil')], {}, t.clock.now, 1000), 2, 'visible matches counted');
      assert.equal(await repo.count([word('oil'), word('price')], { sectionId: world }, t.clock.now, 1000), 1, 'two words in a section');
      // With so few rows PostgreSQL would read the table: priced out, the match is read from an index, which can only be a RUM index.
      const plan = await t.handle.db.transaction().execute(async (trx) => {
        await sql`set local enable_seqscan = off`.execute(trx);
        return (await sql<{ 'QUERY PLAN': string }>`explain select count(*) from search_documents d where d.tsv @@ cast(${"'oil' & 'price'"} as tsquery)`.execute(trx)).rows.map((r) => r['QUERY PLAN']).join('\n');
      });
      assert.match(plan, /Index Scan using search_documents_rum/, plan);
    });

    test('a phrase is read from the index by its words together and checked on the rows: date order, ranked pages and counts find only the phrase', async () => {
      // "oil price": adjacent in the headline story; both words, apart, in the body story.
      const phrase: QueryClause = { terms: ['oil', 'price'], prefix: false, negated: false };
      const repo = new SearchRepository(t.handle.db, 'postgres');
      const query = adapterOf(repo).query([phrase], 'all')!;
      assert.equal(query.text, "('oil' <-> 'price')");
      assert.equal(query.loose, "('oil' & 'price')", 'the words together, for the index');
      assert.equal(adapterOf(repo).query([word('oil'), word('price')], 'all')!.loose, undefined, 'no phrase, nothing loose');
      const negated = adapterOf(repo).query([word('oil'), { ...phrase, negated: true }], 'all')!;
      assert.equal(negated.loose, undefined, 'a negated phrase stays exact (its loose form would exclude more)');
      const statements: string[] = [];
      const listen = (q: string) => void statements.push(q.replace(/\s+/g, ' '));
      t.handle.statementListeners.add(listen);
      try {
        for (const filter of [{}, { minId: 1, walk: false }]) {
          const byDate = await repo.search([phrase], filter, t.clock.now, { limit: 10, offset: 0, order: 'date' });
          assert.deepEqual(byDate.map((h) => h.articleId), [ids.headline], JSON.stringify(filter));
        }
        assert.equal(await repo.count([phrase], {}, t.clock.now, 1000), 1);
      } finally {
        t.handle.statementListeners.delete(listen);
      }
      assert.ok(statements.some((q) => q.includes('d.tsv @@ fq.l and coalesce(d.tsv @@ fq.q, false)')), statements.join('\n'));
      const ranked = await adapterOf(repo).rankedPage(t.handle.db, { query, filter: {}, now: t.clock.now, want: 10, pool: 1000 });
      assert.deepEqual(ranked?.map((h) => h.articleId), [ids.headline], 'ranked by the words together, the phrase checked on the rows');
      // What the index is asked: priced out of reading the table, PostgreSQL reads the words' postings, not the phrase's.
      const plan = await t.handle.db.transaction().execute(async (trx) => {
        await sql`set local enable_seqscan = off`.execute(trx);
        return (await sql<{ 'QUERY PLAN': string }>`explain select d.article_id from search_documents d where d.tsv @@ cast(${query.loose} as tsquery) and coalesce(d.tsv @@ cast(${query.text} as tsquery), false)`.execute(trx)).rows.map((r) => r['QUERY PLAN']).join('\n');
      });
      assert.match(plan, /Index Cond: \(tsv @@ '''oil'' & ''price'''::tsquery\)/, plan);
      assert.match(plan, /Filter: COALESCE\(\(tsv @@ '''oil'' <-> ''price'''::tsquery\), false\)/, plan);
    });

    test('newest first: the page is chosen, then ranked; with matchesFirst its matches are read, then ordered; the same pages and ranks as the joined query', async () => {
      const repo = new SearchRepository(t.handle.db, 'postgres');
      // Ids out of date order (an archive imported later, say), in two sections, one with the word twice.
      const ports = await makeSection(t, 'ports', 'Ports');
      for (const [section, daysAgo, body] of [[world, 3, 'Tanker.'], [world, 9, 'Tanker tanker.'], [ports, 2, 'Tanker.'], [world, 6, 'Tanker.']] as const) {
        await makeArticle(t, section, { headline: `Tanker report ${daysAgo}`, bodyHtml: `<p>${body}</p>`, publishedAt: t.clock.now - daysAgo * DAY });
      }
      // What the repository ran before datePage: the joined query, ranked row by row, ordered by date.
      const joined = async (q: string, sectionId: number | undefined, limit: number, offset: number) =>
        (
          await sql<{ id: number; rank: number }>`select d.article_id as id, ts_rank_cd('{0.25, 0.5, 0.5, 1.0}', d.tsv, cast(${q} as tsquery), 1) as rank
            from search_documents d where d.tsv @@ cast(${q} as tsquery) and d.published_at <= ${t.clock.now} ${sectionId === undefined ? sql`` : sql`and d.section_id = ${sectionId}`}
            order by d.published_at desc, d.article_id desc limit ${limit} offset ${offset}`.execute(t.handle.db)
        ).rows.map((r) => ({ articleId: Number(r.id), rank: Number(r.rank) }));
      const statements: string[] = [];
      const listen = (q: string) => void statements.push(q.replace(/\s+/g, ' '));
      t.handle.statementListeners.add(listen);
      try {
        for (const first of [false, true])
          for (const sectionId of [undefined, world])
            for (const [limit, offset] of [[10, 0], [2, 0], [2, 1]] as const) {
              statements.length = 0;
              const filter = { ...(sectionId === undefined ? {} : { sectionId }), ...(first ? { matchesFirst: true } : {}) };
              const page = await repo.search([word('tanker')], filter, t.clock.now, { limit, offset, order: 'date' });
              assert.deepEqual(page, await joined('tanker', sectionId, limit, offset), JSON.stringify({ first, sectionId, limit, offset }));
              const statement = statements.find((q) => q.includes('ts_rank_cd'))!;
              assert.match(statement, /^select p\.id, ts_rank_cd\(/, 'ranked outside the page, not row by row before the sort');
              assert.equal(statement.includes('d.published_at + 0'), first, 'the date hidden from the planner only when the matches come first');
            }
      } finally {
        t.handle.statementListeners.delete(listen);
      }
      const all = await repo.search([word('tanker')], {}, t.clock.now, { limit: 10, offset: 0, order: 'date' });
      assert.equal(all.length, 4);
      assert.notDeepEqual(all.map((h) => h.articleId), [...all.map((h) => h.articleId)].sort((a, b) => b - a), 'newest first is not highest id first here');
    });

    test('a broad word, prefix or phrase priced cheaper to walk than to read from RUM (walkBeatsIndex) is walked by id: the same pages and counts', async () => {
      const harbour = await makeSection(t, 'harbour', 'Harbour');
      const made: number[] = [];
      for (let i = 0; i < 14; i++) {
        const words = i % 3 === 0 ? 'The ferry left on time.' : `The harbour${i % 2 ? ' master' : 'side'} was busy.`;
        made.push(await makeArticle(t, harbour, { headline: `Harbour note ${i}`, bodyHtml: `<p>${words}</p>`, publishedAt: t.clock.now - (i + 1) * 60_000 }));
      }
      const embargoed = await makeArticle(t, harbour, { headline: 'Harbour plan', bodyHtml: '<p>The harbour plan.</p>', publishedAt: t.clock.now + DAY });
      const repo = new SearchRepository(t.handle.db, 'postgres');
      const adapter = adapterOf(repo);
      const statements: string[] = [];
      const listen = (q: string) => void statements.push(q.replace(/\s+/g, ' '));
      let walkedCases = 0;
      t.handle.statementListeners.add(listen);
      try {
        for (const clause of [
          word('harbour'),
          { terms: ['harbo'], prefix: false, negated: false, anyOf: ['harbour', 'harboursid'] },
          { terms: ['harbour', 'master'], prefix: false, negated: false },
        ] as QueryClause[]) {
          const query = adapter.query([clause], 'all')!;
          for (const extra of [{}, { sectionId: harbour }, { minId: made[5]! }]) {
            const plain = { minId: 1, ...extra };
            // Estimates of a common word in a large archive, bounded to its newest 1,000 ids: the walk is priced below the index.
            const dense = { ...plain, broad: { matches: 900_000, documents: 1_000_000, span: 1_000 } };
            for (const want of [3, 10, 1000]) {
              statements.length = 0;
              const walked = await adapter.newestPage(t.handle.db, { query, filter: dense, now: t.clock.now, want });
              const walks = walkBeatsIndex(dense.broad, want, hasFilters(dense), !!query.anyOf?.length);
              walkedCases += walks ? 1 : 0;
              assert.equal(statements.some((q) => /coalesce\(d\.tsv @@ fq\.q, false\).* order by d\.article_id desc limit/.test(q)), walks, `walked as priced: ${statements.join(' | ')}`);
              assert.equal(statements.some((q) => q.includes('<=|')), !walks, 'read from RUM otherwise');
              const indexed = await adapter.newestPage(t.handle.db, { query, filter: plain, now: t.clock.now, want });
              assert.ok(indexed && indexed.length > 0);
              assert.deepEqual(walked, indexed, `${JSON.stringify(clause)} ${JSON.stringify(extra)} want ${want}`);
              assert.ok(!walked!.includes(embargoed));
              assert.equal(await adapter.countMatches!(t.handle.db, { query, filter: dense, now: t.clock.now, want }), await adapter.countMatches!(t.handle.db, { query, filter: plain, now: t.clock.now, want }));
            }
          }
          // A rare word (few matches for the archive) keeps the index; so does a phrase in a long span (it may match nothing).
          if (!query.anyOf) {
            statements.length = 0;
            await adapter.newestPage(t.handle.db, { query, filter: { minId: 1, broad: { matches: 900_000, documents: 1_000_000, span: 20_000 } }, now: t.clock.now, want: 10 });
            assert.ok(statements.some((q) => q.includes('<=|')), 'a phrase priced at its whole span');
          }
          statements.length = 0;
          await adapter.newestPage(t.handle.db, { query, filter: { minId: 1, broad: { matches: 500, documents: 1_000_000, span: 1_000_000 } }, now: t.clock.now, want: 10 });
          assert.ok(statements.some((q) => q.includes('<=|')) && !statements.some((q) => /coalesce\(d\.tsv @@ fq\.q, false\)/.test(q)));
        }
        assert.ok(walkedCases >= 8, `most of the pages walked: ${walkedCases}`);
      } finally {
        t.handle.statementListeners.delete(listen);
      }
    });

    test('migration 031 builds the newest-first RUM index; broad pages come from it, and without it from the bounded query, the same', async () => {
      const index = await sql<{ def: string }>`select pg_get_indexdef(to_regclass(${RUM_NEWEST_INDEX})) as def`.execute(t.handle.db);
      assert.match(index.rows[0]!.def ?? '', /USING rum \(tsv .*rum_tsvector_addon_ops, article_id\) WITH \(attach=article_id, "to"=tsv\)/);
      const broad = (repo: SearchRepository, filter: { sectionId?: number }) =>
        repo.search([word('oil')], { minId: 1, walk: false, ...filter }, t.clock.now, { limit: 10, offset: 0, order: 'relevance' });
      const repo = new SearchRepository(t.handle.db, 'postgres');
      const query = adapterOf(repo).query([word('oil')], 'all')!;
      const page = await adapterOf(repo).newestPage(t.handle.db, { query, filter: { minId: 1 }, now: t.clock.now, want: 10 });
      assert.deepEqual(page, [ids.body!, ids.headline!].sort((a, b) => b - a), 'from the index: newest first, the embargoed match left out');
      // A phrase: its rarest word's newest matches from the index, the phrase checked on their rows ("oil prices" only in the headline story).
      const phrase = adapterOf(repo).query([{ terms: ['oil', 'price'], prefix: false, negated: false }], 'all')!;
      assert.deepEqual(await adapterOf(repo).newestPage(t.handle.db, { query: phrase, filter: { minId: 1 }, now: t.clock.now, want: 10 }), [ids.headline]);
      const phrases = (repo: SearchRepository) =>
        repo.search([{ terms: ['oil', 'price'], prefix: false, negated: false }], { minId: 1, walk: false }, t.clock.now, { limit: 10, offset: 0, order: 'relevance' });
      const phraseWithIndex = await phrases(repo);
      assert.deepEqual(phraseWithIndex.map((h) => h.articleId), [ids.headline]);
      const withIndex = [await broad(repo, {}), await broad(repo, { sectionId: world })];
      assert.deepEqual(withIndex[1]!.map((h) => h.articleId), [ids.body]);
      await sql`drop index ${sql.id(RUM_NEWEST_INDEX)}`.execute(t.handle.db);
      const without = new SearchRepository(t.handle.db, 'postgres');
      assert.equal(await adapterOf(without).newestPage(t.handle.db, { query, filter: { minId: 1 }, now: t.clock.now, want: 10 }), null);
      assert.deepEqual([await broad(without, {}), await broad(without, { sectionId: world })], withIndex);
      assert.deepEqual(await phrases(without), phraseWithIndex, 'the bounded query finds the same phrase matches');
      const notice = (await without.fullTextNotice()) ?? '';
      assert.ok(notice.includes(`create index ${RUM_NEWEST_INDEX}`) && !notice.includes(`create index ${RUM_INDEX} `), 'the start-up warning names the missing index only');
    });

    test('without the RUM index search ranks with ts_rank_cd, finds the same, and warns at start-up', async () => {
      const withRum = await new SearchRepository(t.handle.db, 'postgres').search([word('oil')], {}, t.clock.now, { limit: 10, offset: 0, order: 'relevance' });
      await sql`drop index ${sql.id(RUM_INDEX)}`.execute(t.handle.db);
      const repo = new SearchRepository(t.handle.db, 'postgres');
      assert.match((await repo.fullTextNotice()) ?? '', /without the rum extension.*slower/);
      const query = adapterOf(repo).query([word('oil')], 'all')!;
      assert.equal(await adapterOf(repo).rankedPage(t.handle.db, { query, filter: {}, now: t.clock.now, want: 10, pool: 1000 }), null);
      const hits = await repo.search([word('oil')], {}, t.clock.now, { limit: 10, offset: 0, order: 'relevance' });
      assert.deepEqual(hits.map((h) => h.articleId), withRum.map((h) => h.articleId));
      assert.deepEqual(hits.map((h) => h.articleId), [ids.headline, ids.body]);
      const related = await repo.search([word('oil'), word('crude')], {}, t.clock.now, { limit: 10, offset: 0, order: 'relevance', mode: 'any', ranking: 'related' });
      assert.deepEqual(related.map((h) => h.articleId).sort(), [ids.headline, ids.body].sort(), 'more-like-this from the postings alone');
    });
  });

  describe('PostgreSQL where the rum extension cannot be created', () => {
    const role = 'dateline_norum';
    const database = `dateline_norum_${process.pid}_${Date.now().toString(36)}`;
    const admin = () => new pg.Client({ connectionString: POSTGRES_URL });

    before(async () => {
      const c = admin();
      await c.connect();
      try {
        await c.query(`do $$ begin if not exists (select 1 from pg_roles where rolname = '${role}') then create role ${role} login nosuperuser; end if; end $$`);
        await c.query(`create database ${database} owner ${role}`);
      } finally {
        await c.end();
      }
    });
    after(async () => {
      const c = admin();
      await c.connect();
      await c.query(`drop database if exists ${database} with (force)`).finally(() => c.end());
    });

    test('a role that may not create it: migrations succeed, no RUM index, search works and warns', async () => {
      const url = new URL(POSTGRES_URL);
      url.username = role;
      url.pathname = `/${database}`;
      url.search = '';
      const handle = openDatabase(url.toString());
      try {
        await migrateToLatest(handle);
        const rows = await sql<{ ext: string | null; idx: string | null; gin: string | null }>`select (select extname from pg_extension where extname = 'rum') as ext,
          to_regclass(${RUM_INDEX})::text as idx, to_regclass(${GIN_INDEX})::text as gin`.execute(handle.db);
        assert.deepEqual(rows.rows[0], { ext: null, idx: null, gin: GIN_INDEX }, 'the GIN index stays where there is no RUM index');
        const repo = new SearchRepository(handle.db, 'postgres');
        assert.match((await repo.fullTextNotice()) ?? '', /rum/);
        assert.deepEqual(await repo.search([word('oil')], {}, Date.now(), { limit: 10, offset: 0, order: 'relevance' }), []);
      } finally {
        await handle.close();
      }
    });
  });
}

/** PostgreSQL only: more-like-this reads each article's distinctive terms from `search_top_terms` (migration 033). */
if (DIALECTS.includes('postgres')) {
  describe('PostgreSQL more-like-this terms table', () => {
    let t: TestDb;
    before(async () => {
      t = await createTestDb('postgres');
    });
    after(() => t.cleanup());

    const topTerms = async (id: number) => {
      const stored = await sql<{ top_terms: string }>`select top_terms from search_documents where article_id = ${id}`.execute(t.handle.db);
      const table = await sql<{ term: string }>`select term from search_top_terms where article_id = ${id} order by term`.execute(t.handle.db);
      const expected = stored.rows[0] ? (JSON.parse(stored.rows[0].top_terms) as [string, number][]).map(([term]) => term).sort() : [];
      return { expected, table: table.rows.map((r) => r.term) };
    };

    test('the table follows every indexed article through edits and unpublishing; candidates come from it', async () => {
      const world = await makeSection(t, 'world', 'World');
      const a = await makeArticle(t, world, { headline: 'Glacier retreat measured', bodyHtml: '<p>The glacier retreat in the valley was measured by surveyors.</p>' });
      const b = await makeArticle(t, world, { headline: 'Surveyors map the glacier', bodyHtml: '<p>Glacier surveyors mapped the valley ice.</p>' });
      const c = await makeArticle(t, world, { headline: 'Harvest festival opens', bodyHtml: '<p>Farmers celebrate the harvest.</p>' });
      let terms = await topTerms(a);
      assert.ok(terms.expected.includes('glacier'));
      assert.deepEqual(terms.table, terms.expected);
      const repo = new SearchRepository(t.handle.db, 'postgres');
      const statements: string[] = [];
      const listen = (q: string) => void statements.push(q);
      t.handle.statementListeners.add(listen);
      const candidates = await repo.fullText.relatedMatches(t.handle.db, ['glacier', 'surveyor', 'valley'], 10);
      t.handle.statementListeners.delete(listen);
      assert.equal(statements.length, 1, `postings, document frequencies and the archive's size in one round trip:\n${statements.join('\n')}`);
      assert.deepEqual(candidates.map((m) => m.id).sort(), [a, b].sort(), 'the articles counting any of the words among their own');
      assert.ok(candidates.every((m) => m.rank > 0));

      await sql`update articles set headline = 'Orchard harvest begins', body_text = 'Apples.', body_html = '<p>Apples.</p>' where id = ${a}`.execute(t.handle.db);
      await t.services.publishing.notifyChanged(a);
      terms = await topTerms(a);
      assert.ok(!terms.table.includes('glacier') && terms.table.includes('orchard'), 'an edit rewrites the rows');
      assert.deepEqual(terms.table, terms.expected);
      assert.deepEqual((await repo.fullText.relatedMatches(t.handle.db, ['glacier'], 10)).map((m) => m.id), [b]);

      await sql`update articles set status = 'unpublished' where id = ${b}`.execute(t.handle.db);
      await t.services.publishing.notifyChanged(b);
      assert.deepEqual((await topTerms(b)).table, [], 'unindexed: its rows go with it');
      assert.deepEqual((await topTerms(c)).table, (await topTerms(c)).expected);
    });
  });
}

/** Issue 14 item 3: a rebuild writes the rows, then builds the full-text indexes once (RUM maintained row by row was most of its time). */
if (DIALECTS.includes('postgres') && process.env.SKIP_RUM_TESTS !== '1') {
  describe('PostgreSQL search rebuild: indexes built after the rows', () => {
    let t: TestDb;
    const ids: number[] = [];
    before(async () => {
      t = await createTestDb('postgres');
      const world = await makeSection(t, 'world', 'World');
      for (const [headline, body] of [
        ['Glacier retreat measured', 'The glacier retreat in the valley was measured by surveyors.'],
        ['Surveyors map the glacier', 'Glacier surveyors mapped the valley ice.'],
        ['Harvest festival opens', 'Farmers celebrate the harvest in the valley.'],
      ]) {
        ids.push(await makeArticle(t, world, { headline, bodyHtml: `<p>${body}</p>` }));
      }
    });
    after(() => t?.cleanup());

    const indexes = async () =>
      (
        await sql<{ name: string; def: string; valid: boolean }>`select c.relname as name, pg_get_indexdef(i.indexrelid) as def, i.indisvalid as valid
          from pg_index i join pg_class c on c.oid = i.indexrelid where i.indrelid = to_regclass('search_documents') order by c.relname`.execute(t.handle.db)
      ).rows;
    const triggers = async () =>
      (await sql<{ name: string; enabled: string }>`select tgname as name, tgenabled as enabled from pg_trigger where tgrelid = to_regclass('search_documents') and not tgisinternal order by tgname`.execute(t.handle.db)).rows;
    const topTerms = async () => (await sql<{ term: string; article_id: number }>`select term, article_id from search_top_terms order by term, article_id`.execute(t.handle.db)).rows;
    /** The candidates table's keys, which the rebuild drops for its bulk load and builds again. */
    const topTermsKeys = async () =>
      (
        await sql<{ name: string; def: string }>`select conname as name, pg_get_constraintdef(oid) as def from pg_constraint where conrelid = to_regclass('search_top_terms')
          union all select c.relname, pg_get_indexdef(i.indexrelid) from pg_index i join pg_class c on c.oid = i.indexrelid where i.indrelid = to_regclass('search_top_terms')
          order by 1, 2`.execute(t.handle.db)
      ).rows;
    const found = async (q: string) => (await t.services.search.search({ q })).items.map((i) => i.article.id);
    const fullText = [RUM_INDEX, RUM_NEWEST_INDEX];

    test('drops the full-text indexes while it writes, builds them after, and leaves everything as a row-by-row index would', async () => {
      const before = { indexes: await indexes(), triggers: await triggers(), top: await topTerms(), keys: await topTermsKeys(), glacier: await found('glacier'), valley: await found('valley') };
      assert.equal(before.keys.length, 4, 'primary key, foreign key and their two indexes');
      assert.deepEqual(fullText.filter((n) => before.indexes.some((i) => i.name === n)), fullText, 'both RUM indexes exist to begin with');
      const statements: string[] = [];
      const listen = (q: string) => void statements.push(q.replace(/\s+/g, ' ').toLowerCase());
      t.handle.statementListeners.add(listen);
      try {
        assert.equal(await t.services.search.reindex(), 3);
      } finally {
        t.handle.statementListeners.delete(listen);
      }
      const at = (pattern: RegExp) => statements.findIndex((s) => pattern.test(s));
      const lastAt = (pattern: RegExp) => statements.findLastIndex((s) => pattern.test(s));
      assert.ok(at(/^drop index/) >= 0 && at(/^drop index/) < at(/^insert into "search_documents"/), 'dropped before the rows are written');
      assert.ok(at(/^create index if not exists/) > lastAt(/^insert into "search_documents"/), 'built after the last row');
      assert.deepEqual(await indexes(), before.indexes, 'the same indexes, valid, with the same definitions');
      assert.deepEqual(await triggers(), before.triggers, 'row-by-row upkeep is back on');
      assert.deepEqual(await topTerms(), before.top, 'the related candidates table filled at the end, as its trigger would have');
      assert.deepEqual(await topTermsKeys(), before.keys, 'with its keys built again');
      assert.ok(at(/^insert into search_top_terms/) < at(/^alter table search_top_terms add constraint search_top_terms_pkey/), 'rows first, then the keys');
      assert.deepEqual({ glacier: await found('glacier'), valley: await found('valley') }, { glacier: before.glacier, valley: before.valley });
      // Vacuumed (the rows written in bulk become all-visible, so index-only scans need not visit the
      // table) and analyzed. Whether the pages are marked all-visible depends on other sessions: a
      // transaction open elsewhere in the database (the other test files' share it) holds the marking
      // back, so only the vacuum itself is asserted here, by PostgreSQL's own record of it.
      const visibility = (
        await sql<{ name: string; vacuumed: boolean; analyzed: boolean }>`select c.relname as name, s.last_vacuum is not null as vacuumed, s.last_analyze is not null as analyzed
          from pg_class c join pg_stat_user_tables s on s.relid = c.oid
          where c.oid in (to_regclass('search_documents'), to_regclass('search_top_terms'), to_regclass('article_entities')) order by c.relname`.execute(t.handle.db)
      ).rows;
      assert.deepEqual(visibility.map((v) => v.name), ['article_entities', 'search_documents', 'search_top_terms']);
      for (const v of visibility) assert.ok(v.vacuumed && v.analyzed, `${v.name} vacuumed and analyzed: ${JSON.stringify(v)}`);
      assert.ok(at(/^vacuum \(analyze\) search_top_terms/) > lastAt(/^(insert into|delete from) search_top_terms/), 'vacuumed after its last write, once the index lanes are done');
      assert.ok(at(/^vacuum \(analyze\) search_top_terms/) > lastAt(/^create index if not exists/));
      assert.equal(await new SearchRepository(t.handle.db, 'postgres').fullTextNotice(), null);
      // Publishing after the rebuild is tracked row by row again.
      const later = await makeArticle(t, await makeSection(t, 'science', 'Science'), { headline: 'Glacier cores dated', bodyHtml: '<p>Ice cores from the glacier were dated.</p>' });
      assert.ok((await topTerms()).some((r) => r.article_id === later && r.term === 'glacier'));
      assert.ok((await found('glacier')).includes(later));
    });

    test('a rebuild that dies midway is reported at start-up and finished by the next one', async () => {
      const before = await indexes();
      const repo = new SearchRepository(t.handle.db, 'postgres');
      await repo.beginBulkIndex(); // … and the process dies here
      assert.deepEqual((await indexes()).filter((i) => fullText.includes(i.name)), [], 'dropped');
      const notice = await repo.fullTextNotice();
      assert.match(notice ?? '', /rebuild is running or was interrupted/);
      for (const name of fullText) assert.ok(notice!.includes(name), `${name} named`);
      assert.match(notice!, /dateline reindex/);
      // Search still answers meanwhile (without the indexes, reading the table).
      assert.ok((await found('glacier')).length >= 2);
      await t.services.search.reindex();
      assert.deepEqual(await indexes(), before, 'the next rebuild built them from the saved definitions');
      assert.equal((await topTermsKeys()).length, 4);
      assert.equal(await repo.fullTextNotice(), null);
    });

    test('a GIN index beside both RUM indexes (an archive indexed before migration 034) is not built again by a rebuild', async () => {
      const before = await indexes();
      const glacier = await found('glacier');
      await sql`create index ${sql.id(GIN_INDEX)} on search_documents using gin (tsv)`.execute(t.handle.db);
      assert.ok((await indexes()).some((i) => i.name === GIN_INDEX));
      await t.services.search.reindex();
      assert.deepEqual(await indexes(), before, 'the RUM indexes built again, the GIN index not');
      assert.deepEqual(await found('glacier'), glacier, 'search finds the same');
    });

    test('a rebuild of an indexed archive starts the documents table afresh: the old rows are not deleted one by one and their space is not carried over', async () => {
      const section = await makeSection(t, 'archive', 'Archive');
      const words = ['harbour', 'ferry', 'storm', 'council', 'budget', 'school', 'river', 'bridge', 'market', 'station'];
      for (let i = 0; i < 40; i++) {
        const body = Array.from({ length: 60 }, (_, j) => `${words[(i + j) % 10]} ${words[(i * 3 + j) % 10]}${j}`).join(' ');
        await makeArticle(t, section, { headline: `Archive story ${i} ${words[i % 10]}`, bodyHtml: `<p>${body}.</p>` });
      }
      await t.services.search.reindex();
      const size = async () =>
        (
          await sql<{ heap: string; toast: string; node: string }>`select pg_relation_size(c.oid) as heap, coalesce(pg_relation_size(nullif(c.reltoastrelid, 0)), 0) as toast, pg_relation_filenode(c.oid) as node
            from pg_class c where c.oid = to_regclass('search_documents')`.execute(t.handle.db)
        ).rows[0]!;
      const first = await size();
      assert.ok(Number(first.heap) >= 3 * 8192, `several pages of documents to compare: ${JSON.stringify(first)}`);
      const statements: string[] = [];
      const listen = (q: string) => void statements.push(q.replace(/\s+/g, ' ').toLowerCase());
      t.handle.statementListeners.add(listen);
      try {
        await t.services.search.reindex();
      } finally {
        t.handle.statementListeners.delete(listen);
      }
      const second = await size();
      assert.ok(statements.some((q) => /^truncate .*search_documents/.test(q)), 'truncated');
      assert.ok(!statements.some((q) => /^delete from "?search_documents"?( |$)/.test(q)), 'no delete of every document');
      assert.notEqual(second.node, first.node, 'a new file for the table');
      // Deleted, the old rows stayed until a vacuum and the new ones were written after them: twice the size.
      assert.equal(Number(second.heap), Number(first.heap), 'the same size as after the first rebuild');
      assert.equal(Number(second.toast), Number(first.toast));
      assert.ok((await found('harbour')).length > 0);
    });

    test('text vectors are stored out of line without compression (migration 036): pglz never shrank one, and trying cost every write', async () => {
      const section = await makeSection(t, 'storage', 'Storage');
      // A vector past the page's in-line limit: it goes to the TOAST table, where pglz only tried.
      const body = Array.from({ length: 400 }, (_, i) => `glacierstationmeasurement${i}`).join(' ');
      const id = await makeArticle(t, section, { headline: 'Glacier station measurements', bodyHtml: `<p>${body}.</p>` });
      await t.services.search.reindex();
      const column = await sql<{ storage: string }>`select attstorage as storage from pg_attribute where attrelid = to_regclass('search_documents') and attname = 'tsv'`.execute(t.handle.db);
      assert.equal(column.rows[0]!.storage, 'e', 'external: out of line, never compressed');
      const stored = await sql<{ size: number; compression: string | null }>`select pg_column_size(tsv) as size, pg_column_compression(tsv) as compression from search_documents where article_id = ${id}`.execute(t.handle.db);
      assert.ok(Number(stored.rows[0]!.size) > 8000, `the whole vector, uncompressed: ${JSON.stringify(stored.rows[0])}`);
      assert.equal(stored.rows[0]!.compression, null);
      assert.deepEqual(await found('glacierstationmeasurement7'), [id]);
    });

    test("the rebuild writes its candidate rows with its documents, stamped with the time its writing began; stories indexed meanwhile by others get theirs all the same", async () => {
      const statements: string[] = [];
      let firstWrite = 0;
      let writes = 0;
      let publishing: Promise<number> | undefined;
      let meanwhile: Promise<unknown> | undefined;
      const world = await makeSection(t, 'meanwhile', 'Meanwhile');
      const edited = ids[0]!;
      let early = 0;
      const listen = (q: string) => {
        const s = q.replace(/\s+/g, ' ').toLowerCase();
        statements.push(s);
        if (s.startsWith('insert into "search_documents"')) {
          firstWrite ||= Date.now();
          // Each batch a clock tick later, so a stamp taken per batch would differ.
          for (const until = Date.now() + 3; Date.now() < until; );
          // After the first batches (the edited story's among them), another writer publishes a
          // story and edits one the rebuild has written, while the candidates' trigger is off.
          if (++writes === 3) {
            meanwhile = (async () => {
              early = await makeArticle(t, world, { headline: 'Moraine survey begins', bodyHtml: '<p>Surveyors began mapping the moraine below the glacier.</p>' });
              await t.handle.db.updateTable('articles').set({ headline: 'Glacier retreat measured by drones', body_text: 'Drones measured the glacier retreat above the valley.' }).where('id', '=', edited).execute();
              await t.services.search.index(edited);
            })();
          }
        }
        // Published from another connection while the trigger that fills the candidates is off
        // (it waits for the index build's lock on the table, then lands).
        if (s.startsWith('create index if not exists') && !publishing) {
          publishing = makeArticle(t, world, { headline: 'Glacier lake drained overnight', bodyHtml: '<p>The glacier lake drained into the valley overnight.</p>' });
        }
      };
      t.handle.statementListeners.add(listen);
      let rebuilt: number;
      try {
        rebuilt = await t.services.search.reindex(() => {}, 1, 0);
      } finally {
        t.handle.statementListeners.delete(listen);
      }
      assert.ok(publishing && meanwhile, 'stories were indexed during the writing pass and during the index builds');
      const late = await publishing;
      await meanwhile;
      const stamps = (
        await sql<{ article_id: number; indexed_at: string }>`select article_id, indexed_at from search_documents where article_id not in (${late}, ${early}, ${edited}) order by article_id`.execute(t.handle.db)
      ).rows;
      // The early story is in the rebuild's count too if it was published before the rebuild read that far.
      assert.ok(stamps.length >= rebuilt - 2 && stamps.length >= 3, `the rest as the rebuild wrote them: ${stamps.length} of ${rebuilt}`);
      assert.ok(statements.some((s) => s.startsWith('insert into search_top_terms (term, article_id) select * from unnest')), 'candidate rows written with the documents');
      assert.ok(statements.filter((s) => s.startsWith('insert into "search_documents"')).length >= 3, 'one batch a document');
      assert.deepEqual([...new Set(stamps.map((r) => Number(r.indexed_at)))].length, 1, 'one stamp for the whole rebuild');
      assert.ok(Number(stamps[0]!.indexed_at) <= firstWrite, 'taken before the first document was written');
      const lateTerms = (await topTerms()).filter((r) => r.article_id === late).map((r) => r.term);
      assert.ok(lateTerms.includes('glacier') && lateTerms.includes('lake'), `the late story's candidate rows: ${lateTerms.join(' ')}`);
      assert.ok((await found('lake')).includes(late));
      // Every document's rows are what the trigger makes of its terms now: none missing, none stale, none twice.
      const expected = (
        await sql<{ term: string; article_id: number }>`select distinct e ->> 0 as term, d.article_id from search_documents d cross join lateral jsonb_array_elements(d.top_terms::jsonb) e
          order by 1, 2`.execute(t.handle.db)
      ).rows;
      assert.deepEqual(await topTerms(), expected);
      const editedTerms = (await topTerms()).filter((r) => r.article_id === edited).map((r) => r.term);
      assert.ok(editedTerms.includes('drone'), `the edited story's rows are its new terms: ${editedTerms.join(' ')}`);
      assert.ok((await topTerms()).some((r) => r.article_id === early && r.term.startsWith('morain')));
    });
  });
}

/** How a rebuild shares its last steps between two lanes (PostgreSQL's index builds). */
describe('evenLanes', () => {
  test('the split whose longer lane is shortest', () => {
    // A vacuum (9) and the candidates' table (48) begin the lanes; GIN 51, ranked RUM 68, newest RUM 57.
    assert.deepEqual(evenLanes([9, 48], [51, 68, 57]), [true, false, true], 'vacuum, GIN and newest RUM (117) beside the table and ranked RUM (116)');
    assert.deepEqual(evenLanes([9, 48], [68, 57]), [true, false], 'without GIN: 77 beside 105');
    assert.deepEqual(evenLanes([9, 0], []), []);
    fc.assert(
      fc.property(fc.tuple(fc.nat(100), fc.nat(100)), fc.array(fc.nat(100), { maxLength: 6 }), (start, costs) => {
        const split = evenLanes(start, costs);
        const span = (inFirst: boolean[]) => {
          const lane = [...start];
          costs.forEach((c, i) => (lane[inFirst[i] ? 0 : 1]! += c));
          return Math.max(lane[0]!, lane[1]!);
        };
        // No single move of one step to the other lane makes the longer lane shorter.
        return split.length === costs.length && costs.every((_, i) => span(split.map((x, j) => (j === i ? !x : x))) >= span(split));
      }),
    );
  });
});
