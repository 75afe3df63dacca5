import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { DIALECTS, createTestDb, type TestDb } from '../helpers/databases.js';
import { makeArticle, makeSection } from '../helpers/factories.js';
import { RANK_POOL, SCAN_BUDGET, SearchRepository } from '../../src/db/repositories/search.repository.js';
import { BULK_CACHE_KIB } from '../../src/db/repositories/search/sqlite.js';
import { reindexIfAnalyzerChanged } from '../../src/cli/reindex.js';
import { migrateToLatest } from '../../src/db/migrator.js';
import { ANALYZER_VERSION } from '../../src/domain/text-analysis.js';

const DAY = 86_400_000;
/** Result ids per engine and query, compared across engines at the end. */
const seen = new Map<string, Map<string, number[]>>();

async function unpublish(t: TestDb, id: number): Promise<void> {
  await sql`update articles set status = 'unpublished' where id = ${id}`.execute(t.handle.db);
  await t.services.publishing.notifyChanged(id);
}

for (const engine of DIALECTS) {
  describe(`search on ${engine}`, () => {
    let t: TestDb;
    let world: number;
    let sport: number;
    const ids: Record<string, number> = {};
    const ids_ = (r: { items: { article: { id: number } }[] }) => r.items.map((i) => i.article.id);
    const run = async (q: string, extra: Record<string, unknown> = {}) => {
      const r = await t.services.search.search({ q, ...extra });
      const key = `${q} ${JSON.stringify(extra)}`;
      (seen.get(engine) ?? seen.set(engine, new Map()).get(engine)!).set(key, ids_(r));
      return r;
    };

    before(async () => {
      t = await createTestDb(engine);
      world = await makeSection(t, 'world', 'World');
      sport = await makeSection(t, 'sport', 'Sport');
      ids.ar = await makeArticle(t, world, {
        language: 'ar',
        headline: 'الانتخاباتُ الرئاسيّة في سوريا',
        bodyHtml: '<p>أعلنت اللجنةُ نتائجَ الإنتخابات في مدينة حلب وسط إقبالٍ كبير. رئيس الوزراء علّق على النتائج.</p>',
        publishedAt: t.clock.now - 2 * DAY,
      });
      ids.fa = await makeArticle(t, world, {
        language: 'fa',
        headline: 'کتاب تازه درباره تاریخ ایران',
        bodyHtml: '<p>این کتاب در ۱۴۰۳ منتشر شد و نویسنده می‌گوید که مردم آن را دوست دارند.</p>',
        publishedAt: t.clock.now - 3 * DAY,
      });
      ids.en1 = await makeArticle(t, world, {
        headline: 'Voters head to the polls in a tight election',
        dek: 'Turnout is expected to be high',
        bodyHtml: '<p>Millions of voters elected a new parliament on Sunday. The governing party conceded early.</p>',
        tags: [{ kind: 'topic', name: 'Elections' }],
        publishedAt: t.clock.now - 1 * DAY,
      });
      ids.en2 = await makeArticle(t, sport, {
        headline: 'Oil prices lift the football league budget',
        bodyHtml: '<p>Higher oil prices helped the league. Prices of oil rose again, analysts said.</p>',
        contentTypeId: 22,
        publishedAt: t.clock.now - 5 * DAY,
      });
      ids.en3 = await makeArticle(t, world, {
        headline: 'Prices rise as crude supply tightens',
        bodyHtml: '<p>The price of crude rose. Oil traders worried.</p>',
        byline: 'Ada Quill',
        publishedAt: t.clock.now - 10 * DAY,
      });
      ids.future = await makeArticle(t, world, { headline: 'Embargoed election result', bodyHtml: '<p>Election.</p>', publishedAt: t.clock.now + DAY });
      ids.draft = await makeArticle(t, world, { headline: 'Draft election piece', bodyHtml: '<p>Election draft.</p>', status: 'draft' });
    });
    after(() => t.cleanup());

    test('indexing returns the search document exactly as it is read back (the related engine uses it without reading it)', async () => {
      for (const id of Object.values(ids)) {
        const indexed = await t.services.search.index(id);
        const stored = (await new SearchRepository(t.handle.db, t.handle.engine).documents([id])).get(id) ?? null;
        assert.deepEqual(indexed, stored, `article ${id}`);
      }
      // Not published: taken out of the index, nothing returned.
      const draft = await makeArticle(t, world, { headline: 'A draft about nothing yet', status: 'draft' });
      assert.equal(await t.services.search.index(draft), null);
    });

    test('Arabic: with or without tashkeel, either alef form, teh marbuta or heh, all find the article', async () => {
      for (const q of ['الانتخابات', 'الإنتخابات', 'انتخابات', 'الانتخاباتُ', 'الرئاسية', 'الرئاسيه', 'سوريا', 'حلب']) {
        assert.deepEqual(ids_(await run(q)), [ids.ar], q);
      }
      const r = await run('الانتخابات');
      assert.ok(r.items[0]!.headline.some((p) => p.match && p.text === 'الانتخاباتُ'));
    });

    test('Arabic: singular, plural and feminine forms find each other (light stemming)', async () => {
      // The article has اللجنةُ, نتائجَ / النتائج and مدينة: other forms of the same words find it.
      for (const q of ['لجنة', 'اللجنتين', 'مدينتها', 'الرئاسي']) assert.deepEqual(ids_(await run(q)), [ids.ar], q);
      const r = await run('مدينتها');
      assert.ok(r.items[0]!.snippet.some((p) => p.match && p.text === 'مدينة'), 'the form in the text is highlighted');
    });

    test('Persian: Arabic or Persian yeh and kaf, Persian or Latin digits, with or without ZWNJ', async () => {
      for (const q of ['كتاب', 'کتاب', 'ايران', 'ایران', '1403', '۱۴۰۳', 'میگوید', 'می‌گوید']) {
        assert.deepEqual(ids_(await run(q)), [ids.fa], q);
      }
    });

    test('English: inflections, prefixes, phrases, exclusions, byline', async () => {
      assert.deepEqual(ids_(await run('elections')), [ids.en1]);
      assert.deepEqual(ids_(await run('voter')), [ids.en1]);
      assert.deepEqual(ids_(await run('govern')), [ids.en1]);
      assert.deepEqual(ids_(await run('elect*')), [ids.en1]);
      assert.deepEqual(new Set(ids_(await run('"oil prices"'))), new Set([ids.en2]));
      assert.deepEqual(new Set(ids_(await run('oil price'))), new Set([ids.en2, ids.en3]));
      assert.deepEqual(ids_(await run('oil -football')), [ids.en3]);
      assert.deepEqual(ids_(await run('quill')), [ids.en3]);
      assert.deepEqual(ids_(await run('-oil')), [], 'only exclusions match nothing');
    });

    test('ranking: headline matches first; date order on request', async () => {
      const r = await run('oil');
      assert.equal(r.items.length, 2);
      assert.equal(r.items[0]!.article.id, ids.en2, 'two headline + body mentions beat one');
      assert.ok(r.items[0]!.rank >= r.items[1]!.rank);
      assert.deepEqual(ids_(await run('oil', { order: 'date' })), [ids.en2, ids.en3]);
    });

    test('filters: section, content type, language, date range; pagination', async () => {
      assert.deepEqual(ids_(await run('oil', { section: 'world' })), [ids.en3]);
      assert.deepEqual(ids_(await run('oil', { type: 'video-report' })), [ids.en2]);
      assert.deepEqual(ids_(await run('oil', { lang: 'ar' })), []);
      const after = new Date(t.clock.now - 7 * DAY).toISOString();
      assert.deepEqual(ids_(await run('oil', { publishedAfter: after })), [ids.en2]);
      const p1 = await run('oil', { limit: 1 });
      const p2 = await run('oil', { limit: 1, page: 2 });
      assert.equal(p1.total, 2);
      assert.deepEqual([...ids_(p1), ...ids_(p2)], [ids.en2, ids.en3]);
      await assert.rejects(t.services.search.search({ q: 'oil', section: 'nope' }), /Unknown section/);
    });

    test('a filter that keeps none of the best matches the index ranked falls back to filtering every match', async () => {
      // en2 ranks first for "oil" but is in Sport: with a pool of one, World's en3 comes from the fallback.
      t.services.search.rankPool = 1;
      try {
        assert.deepEqual(ids_(await t.services.search.search({ q: 'oil', section: 'world', limit: 1 })), [ids.en3]);
        assert.deepEqual(ids_(await t.services.search.search({ q: 'oil', limit: 1, page: 2 })), [ids.en3]);
      } finally {
        t.services.search.rankPool = RANK_POOL;
      }
    });

    test('drafts and embargoed articles are never found; the index follows publish and unpublish at once', async () => {
      assert.deepEqual(ids_(await run('election')), [ids.en1]);
      const fresh = await makeArticle(t, world, { headline: 'Recount ordered after election', bodyHtml: '<p>A recount.</p>' });
      assert.deepEqual(new Set(ids_(await run('recount'))), new Set([fresh]));
      await unpublish(t, fresh);
      assert.deepEqual(ids_(await run('recount')), []);
      t.clock.set(t.clock.now + 2 * DAY);
      assert.ok(ids_(await run('embargoed')).includes(ids.future!), 'due once its time comes');
      t.clock.set(t.clock.now - 2 * DAY);
    });

    test('prefixes search their commonest completions in the index', async () => {
      assert.deepEqual(ids_(await run('qui*')), [ids.en3]);
      // Both engines find both; bm25 and ts_rank_cd may order completions differently.
      assert.deepEqual(new Set(ids_(await t.services.search.search({ q: 'pri*' }))), new Set([ids.en2, ids.en3]));
      assert.deepEqual(ids_(await run('zzq*')), [], 'a prefix nothing starts with finds nothing');
      assert.deepEqual(ids_(await run('oil zzq*')), [], 'and fails an all-words query');
    });

    test('a prefix marks only what it searched: not the function words it left out', async () => {
      const id = await makeArticle(t, world, { headline: 'Thawing river than expected', bodyHtml: '<p>The thaw, which came sooner than the farmers said that it would, flooded the fields.</p>' });
      const marks = (r: Awaited<ReturnType<typeof run>>) => r.items.filter((i) => i.article.id === id).flatMap((i) => [...i.headline, ...i.snippet].filter((p) => p.match).map((p) => p.text.toLowerCase()));
      const found = await run('tha*');
      assert.ok(ids_(found).includes(id));
      assert.deepEqual(marks(found), ['thawing', 'thaw'], '"than" and "that" were not searched');
      // Only function words complete it: then they are searched, and marked.
      const only = await run('whic*');
      assert.ok(ids_(only).includes(id));
      assert.deepEqual(marks(only), ['which']);
      await sql`update articles set status = 'unpublished' where id = ${id}`.execute(t.handle.db);
      await t.services.publishing.notifyChanged(id);
    });

    test('broad queries list the newest matches of a bounded span; the total is then a lower bound', async () => {
      const ranked = await run('oil');
      assert.equal(ranked.totalIsExact, true);
      const newest = await makeArticle(t, world, { headline: 'Oil tanker refloated', bodyHtml: '<p>The oil tanker was refloated.</p>' });
      // Budgets so small that "oil" (3 articles) is broad and "quill" (1) is not.
      t.services.search.scanBudget = 0.6;
      try {
        const broad = await run('oil');
        assert.equal(broad.totalIsExact, false);
        assert.ok(broad.items.length >= 1);
        assert.deepEqual(ids_(broad), [...ids_(broad)].sort((a, b) => b - a), 'newest (highest id) first');
        assert.equal(ids_(broad)[0], newest, 'the newest match first');
        assert.ok(ids_(broad).every((id) => id === newest || ids_(ranked).includes(id)), 'only real matches');
        assert.ok(broad.items.every((i) => i.rank === 0));
        assert.equal((await run('quill')).totalIsExact, true, 'a term in one article is never broad');
        // A broad total is a lower bound: counted up to 200, or five pages past the one asked.
        const repo = (t.services.search as unknown as { repo: SearchRepository }).repo;
        const caps: number[] = [];
        const count = repo.count.bind(repo);
        repo.count = (clauses, filter, now, cap) => (caps.push(cap), count(clauses, filter, now, cap));
        try {
          for (const page of [1, 20, 60]) await t.services.search.search({ q: 'oil', section: 'world', page, limit: 10 });
          await t.services.search.search({ q: 'quill', section: 'world' });
        } finally {
          repo.count = count;
        }
        assert.deepEqual(caps, [200, 250, 650, 1000], 'broad: 200, then 5 pages ahead; not broad: 1,000');
      } finally {
        t.services.search.scanBudget = SCAN_BUDGET;
        await unpublish(t, newest);
      }
    });

    test("one word with no filter is totalled from its document frequency, its matches not counted; a filter or a second word counts them", async () => {
      const ids: number[] = [];
      for (let i = 0; i < 23; i++) ids.push(await makeArticle(t, i % 2 ? world : sport, { headline: `Zebra crossing ${i}`, bodyHtml: `<p>A zebra crossing, number ${i}.</p>` }));
      const statements: string[] = [];
      const listen = (q: string) => void statements.push(q.replace(/\s+/g, ' ').toLowerCase());
      t.handle.statementListeners.add(listen);
      try {
        const word = await t.services.search.search({ q: 'zebra', limit: 10 });
        assert.equal(word.total, 23);
        assert.equal(word.totalIsExact, true);
        assert.ok(!statements.some((q) => /count\(/.test(q)), `no count: ${statements.filter((q) => /count\(/.test(q)).join(' | ')}`);
        const filtered = await t.services.search.search({ q: 'zebra', limit: 10, section: 'world' });
        assert.equal(filtered.total, 11, 'a filter: its matches counted');
        assert.ok(statements.some((q) => /count\(/.test(q)));
        statements.length = 0;
        assert.equal((await t.services.search.search({ q: 'zebra crossing', limit: 10 })).total, 23);
        assert.ok(statements.some((q) => /count\(/.test(q)), 'two words: counted');
      } finally {
        t.handle.statementListeners.delete(listen);
        for (const id of ids) await unpublish(t, id);
      }
    });

    test('function words beside other words are left out of the query', async () => {
      assert.deepEqual(ids_(await run('quill to')), ids_(await run('quill')));
      assert.deepEqual(ids_(await t.services.search.search({ q: 'the' })).length > 0, true, 'alone, a function word is searched');
    });

    test('document frequencies count each published article once', async () => {
      const df = () => t.services.search.documentFrequencies(['quokka']).then((m) => m.get('quokka'));
      assert.equal(await df(), 0);
      const a = await makeArticle(t, world, { headline: 'A quokka at the zoo', bodyHtml: '<p>The quokka smiled.</p>' });
      assert.equal(await df(), 1);
      const b = await makeArticle(t, sport, { headline: 'Quokka mascot', bodyHtml: '<p>Fans love it.</p>' });
      assert.equal(await df(), 2);
      await unpublish(t, a);
      await unpublish(t, b);
      await t.services.search.reindex();
      assert.equal(await df(), 0, 'a rebuild counts exactly');
    });

    test('an index written by an older text analysis is rebuilt at start when small, reported when large', async () => {
      assert.deepEqual(await t.services.search.analyzerState(), { version: ANALYZER_VERSION, current: true, indexed: null }, 'a current index is not counted');
      const said: string[] = [];
      assert.equal(await reindexIfAnalyzerChanged(t.services, (m) => said.push(m)), false, 'nothing to do while current');
      await sql`update search_state set value = ${String(ANALYZER_VERSION - 1)} where key = 'analyzer_version'`.execute(t.handle.db);
      assert.equal(await reindexIfAnalyzerChanged(t.services, (m) => said.push(m), 0), false, 'too large to rebuild at start');
      assert.match(said.join('\n'), new RegExp(`warning: .*text analysis v${ANALYZER_VERSION - 1}; this release uses v${ANALYZER_VERSION}.*dateline reindex`));
      assert.equal((await t.services.search.analyzerState()).current, false);
      assert.equal(await reindexIfAnalyzerChanged(t.services, (m) => said.push(m)), true);
      assert.match(said.at(-1)!, /^Indexed \d+ articles/);
      assert.equal((await t.services.search.analyzerState()).current, true);
      assert.deepEqual(ids_(await run('مدينتها')), [ids.ar]);
    });

    test('upgrading a database whose index was written before text-analysis versions marks it version 1', async () => {
      // Back to 007: migrations 008 and 009 undone, the index as version 1 left it.
      await sql`drop table search_state`.execute(t.handle.db);
      if (engine === 'sqlite') await sql`drop index search_documents_filters`.execute(t.handle.db);
      await sql`delete from kysely_migration where name in ('008-search-state', '009-search-filters-index')`.execute(t.handle.db);
      await migrateToLatest(t.handle);
      assert.deepEqual(await t.services.search.analyzerState(), { version: 1, current: false, indexed: (await t.services.search.indexedIdsAfter(0, 1000)).length });
    });

    test('reindex rebuilds the same index', async () => {
      const before = ids_(await run('oil'));
      assert.equal(await t.services.search.reindex(), await t.services.search.indexedIdsAfter(0, 1000).then((x) => x.length));
      assert.deepEqual(ids_(await run('oil')), before);
      assert.deepEqual(ids_(await run('ایران')), [ids.fa]);
      assert.equal((await t.services.search.analyzerState()).current, true, 'a rebuild writes the current analysis');
      if (engine === 'sqlite') {
        // The rebuild's FTS5 settings persist in the index: they must be put back.
        const cfg = await sql<{ v: number }>`select v from search_fts_config where k = 'hashsize'`.execute(t.handle.db);
        assert.equal(Number(cfg.rows[0]?.v), 1024 * 1024);
      }
    });

    // SQLite only (PostgreSQL has no in-process page cache): defined for SQLite, never skipped.
    if (engine === 'sqlite') test('a rebuild caches a fixed number of pages, whatever the archive size, and gives them back', async () => {
      // SQLite fills the page cache it is allowed: a cache sized for the largest archive made
      // the rebuild's peak memory grow with the archive (issue #13).
      const during: Promise<number>[] = [];
      const cacheKiB = async () => -Number((await sql<{ cache_size: number }>`pragma cache_size`.execute(t.handle.db)).rows[0]?.cache_size);
      await t.services.search.reindex((phase) => {
        if (phase === 'write') during.push(cacheKiB());
      }, 1);
      assert.ok(during.length > 1, 'one batch per article');
      for (const kib of await Promise.all(during)) assert.equal(kib, BULK_CACHE_KIB, 'the rebuild sets its own bounded cache');
      assert.ok(BULK_CACHE_KIB <= 64 * 1024, `at most 64 MiB of pages, not ${BULK_CACHE_KIB} KiB`);
      assert.equal(await cacheKiB(), 2000, "SQLite's default afterwards");
    });
  });
}

describe('search engines agree', () => {
  test('the same results on SQLite and PostgreSQL for every query, the same top result', { skip: DIALECTS.length < 2 }, () => {
    const a = seen.get('sqlite')!;
    const b = seen.get('postgres')!;
    for (const [key, ids] of a) {
      if (!b.has(key)) continue;
      assert.deepEqual([...b.get(key)!].sort(), [...ids].sort(), key);
      assert.equal(b.get(key)![0], ids[0], key);
    }
  });
});
