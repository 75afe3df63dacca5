import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrator.js';
import { RUM_INDEX } from '../../src/db/migrations/030-search-rum.js';
import { SearchRepository } from '../../src/db/repositories/search.repository.js';
import type { PostgresTsvector } from '../../src/db/repositories/search/postgres.js';
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
        const rows = await sql<{ ext: string | null; idx: string | null }>`select (select extname from pg_extension where extname = 'rum') as ext, to_regclass(${RUM_INDEX})::text as idx`.execute(handle.db);
        assert.deepEqual(rows.rows[0], { ext: null, idx: null });
        const repo = new SearchRepository(handle.db, 'postgres');
        assert.match((await repo.fullTextNotice()) ?? '', /rum/);
        assert.deepEqual(await repo.search([word('oil')], {}, Date.now(), { limit: 10, offset: 0, order: 'relevance' }), []);
      } finally {
        await handle.close();
      }
    });
  });
}
