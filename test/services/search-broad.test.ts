import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SearchRepository, SCAN_BUDGET, type SearchFilter } from '../../src/db/repositories/search.repository.js';
import { parseQuery, type QueryClause } from '../../src/domain/text-analysis.js';
import { DIALECTS, createTestDb, type TestDb } from '../helpers/databases.js';
import { makeArticle, makeSection } from '../helpers/factories.js';

const DAY = 86_400_000;
const clauses = (q: string): QueryClause[] => parseQuery(q).clauses;

/**
 * Broad queries (too many postings to rank, see `planSearch`) list their newest matches;
 * on PostgreSQL with the rum extension from migration 031's index, elsewhere from the
 * bounded query. The filters, visibility and the plan's lowest id must hold either way.
 */
for (const engine of DIALECTS) {
  describe(`broad search on ${engine}: newest matches first, filtered`, () => {
    let t: TestDb;
    let repo: SearchRepository;
    let world: number;
    let sport: number;
    /** Every harbour story: id → what the filters look at. */
    const stories = new Map<number, { section: number; type: number; language: string; at: number }>();
    const idOf = new Map<string, number>();

    before(async () => {
      t = await createTestDb(engine);
      repo = new SearchRepository(t.handle.db, engine);
      world = await makeSection(t, 'world', 'World');
      sport = await makeSection(t, 'sport', 'Sport');
      // Created oldest first, so ids grow with the publish time except where noted.
      const specs: [number, number, string, number, string][] = [
        [world, 21, 'en', 30, 'Harbour dredging ends after a decade'],
        [sport, 22, 'en', 20, 'Rowing crews race across the harbour'],
        [world, 21, 'ar', 12, 'Harbour traffic resumes at dawn'],
        [world, 22, 'en', 9, 'Storm closes the harbour to ferries'],
        [sport, 21, 'en', 6, 'Harbour swim draws record entries'],
        [world, 21, 'en', 4, 'Cranes idle at the harbour master office'],
        [world, 21, 'en', 40, 'Harbour museum reopens'], // a high id for an old story
        [world, 21, 'en', 2, 'The master of the harbour retires'],
      ];
      for (const [section, type, language, daysAgo, headline] of specs) {
        const at = t.clock.now - daysAgo * DAY;
        const id = await makeArticle(t, section, { headline, bodyHtml: `<p>${headline}.</p>`, contentTypeId: type, language, publishedAt: at });
        stories.set(id, { section, type, language, at });
        idOf.set(headline, id);
      }
      await makeArticle(t, world, { headline: 'Harbour plan under embargo', bodyHtml: '<p>Harbour.</p>', publishedAt: t.clock.now + DAY });
      await makeArticle(t, world, { headline: 'Harbour draft', bodyHtml: '<p>Harbour.</p>', status: 'draft' });
      await makeArticle(t, world, { headline: 'Airport expansion approved', bodyHtml: '<p>No water here.</p>' });
    });
    after(() => t.cleanup());

    /** The stories a filter keeps, newest id first. */
    const expected = (keep: (s: { section: number; type: number; language: string; at: number }, id: number) => boolean) =>
      [...stories].filter(([id, s]) => keep(s, id)).map(([id]) => id).sort((a, b) => b - a);
    const broad = (filter: SearchFilter, limit = 20, offset = 0, query = 'harbour') =>
      repo.search(clauses(query), { walk: false, ...filter, minId: filter.minId ?? 1 }, t.clock.now, { limit, offset, order: 'relevance' }).then((hits) => {
        assert.ok(hits.every((h) => h.rank === 0), 'broad hits are unranked');
        return hits.map((h) => h.articleId);
      });

    test('newest first, visible only, paged; the plan’s lowest id bounds the list', async () => {
      const all = expected(() => true);
      assert.equal(all.length, 8);
      for (const walk of [false, true]) {
        assert.deepEqual(await broad({ walk }), all, 'every visible match, highest id first (no embargoed or draft one)');
        assert.deepEqual(await broad({ walk }, 3), all.slice(0, 3));
        assert.deepEqual(await broad({ walk }, 3, 3), all.slice(3, 6), 'the second page follows the first');
      }
      const minId = all[4]!;
      assert.deepEqual(await broad({ minId }), all.filter((id) => id >= minId));
      // Filtered, as SQLite counts an unfiltered query in its text index alone (embargoed matches too).
      assert.equal(await repo.count(clauses('harbour'), { minId: 1, walk: false, language: 'en' }, t.clock.now, 1000), expected((s) => s.language === 'en').length);
      assert.equal(await repo.count(clauses('harbour'), { minId, walk: false, sectionId: world }, t.clock.now, 1000), expected((s, id) => id >= minId && s.section === world).length);
    });

    test('section, content type, language and dates filter the newest matches', async () => {
      assert.deepEqual(await broad({ sectionId: sport }), expected((s) => s.section === sport));
      assert.deepEqual(await broad({ contentTypeId: 22 }), expected((s) => s.type === 22));
      assert.deepEqual(await broad({ language: 'ar' }), expected((s) => s.language === 'ar'));
      const after = t.clock.now - 10 * DAY;
      const before = t.clock.now - 3 * DAY;
      assert.deepEqual(await broad({ publishedAfter: after, publishedBefore: before }), expected((s) => s.at >= after && s.at < before));
      assert.deepEqual(await broad({ sectionId: world, contentTypeId: 21, language: 'en' }, 2), expected((s) => s.section === world && s.type === 21 && s.language === 'en').slice(0, 2));
      assert.deepEqual(await broad({ language: 'fa' }), [], 'a filter nothing passes');
    });

    test('phrases and exclusions hold in the newest-first list', async () => {
      const cranes = idOf.get('Cranes idle at the harbour master office')!;
      const statements: string[] = [];
      const listen = (q: string) => void statements.push(q);
      t.handle.statementListeners.add(listen);
      try {
        assert.deepEqual(await broad({}, 20, 0, '"harbour master"'), [cranes], '"harbour master" in that order only');
        assert.deepEqual(await broad({ sectionId: sport }, 20, 0, '"harbour master"'), [], 'filtered');
        for (const minId of [null, 1]) {
          const count = (q: string, filter: SearchFilter = {}) => repo.count(clauses(q), { walk: false, minId, ...filter }, t.clock.now, 1000);
          assert.equal(await count('"harbour master"'), 1);
          assert.equal(await count('"master harbour"'), 0, 'the words in the other order');
          assert.equal(await count('"harbour zyzzyva"'), 0, 'a word no story has');
          assert.equal(await count('"harbour master"', { language: 'ar' }), 0);
        }
      } finally {
        t.handle.statementListeners.delete(listen);
      }
      if (engine === 'postgres' && process.env.SKIP_RUM_TESTS !== '1') {
        // The rarest word's newest matches from migration 031's index, the phrase checked on those rows only.
        assert.ok(statements.length > 0 && statements.every((q) => /left join search_terms/.test(q)), statements.join('\n'));
      }
      const rowing = idOf.get('Rowing crews race across the harbour')!;
      const withoutRace = await broad({}, 20, 0, 'harbour -race');
      assert.deepEqual(withoutRace, expected((_, id) => id !== rowing), 'the rowing story left out');
    });

    test('through the service: a word too common to rank lists the newest matches that pass the filters', async () => {
      // A budget so small that "harbour" is broad and only the newest part of the archive is listed.
      const budget = 4;
      const plan = await repo.planSearch(clauses('harbour'), budget);
      assert.ok(plan.minId !== null && plan.minId > Math.min(...stories.keys()), 'a bounded span');
      const want = expected((s, id) => id >= plan.minId! && s.section === world && s.type === 21);
      assert.ok(want.length >= 2);
      t.services.search.scanBudget = budget;
      try {
        const r = await t.services.search.search({ q: 'harbour', section: 'world', type: '21' });
        assert.equal(r.totalIsExact, false);
        assert.deepEqual(r.items.map((i) => i.article.id), want);
        assert.equal(r.total, r.items.length);
      } finally {
        t.services.search.scanBudget = SCAN_BUDGET;
      }
    });

    test('a prefix: its completions\' newest matches united, newest first, filtered, and counted once each up to the cap', async () => {
      // Words of one prefix that analysis keeps apart (no shared stem): quayfront, quaysid(e), quaymast(er), quaylight.
      const quay = new Map<number, { section: number; language: string }>();
      for (const [section, language, headline] of [
        [world, 'en', 'Quayfront cafes reopen'],
        [sport, 'en', 'Quayside regatta postponed'],
        [world, 'ar', 'Quaymaster appointed'],
        [world, 'en', 'Quayfront and quayside lights restored'], // two completions: counted and listed once
        [sport, 'en', 'Quaylight festival returns'],
        [world, 'en', 'Quayside cranes sold'],
      ] as const) {
        const id = await makeArticle(t, section, { headline, bodyHtml: `<p>${headline}.</p>`, language });
        quay.set(id, { section, language });
      }
      await makeArticle(t, world, { headline: 'Quayfront tower under embargo', bodyHtml: '<p>Quayfront.</p>', publishedAt: t.clock.now + DAY });
      const plan = await repo.planSearch(clauses('quay*'));
      assert.deepEqual([...(plan.clauses[0]!.anyOf ?? [])].sort(), ['quayfront', 'quaylight', 'quaymast', 'quaysid']);
      const ids = [...quay.keys()].sort((a, b) => b - a);
      const listed = async (filter: SearchFilter, limit = 20, offset = 0) =>
        (await repo.search(plan.clauses, { walk: false, minId: 1, ...filter }, t.clock.now, { limit, offset, order: 'relevance' })).map((h) => h.articleId);
      assert.deepEqual(await listed({}), ids, 'every visible match once, newest first');
      assert.deepEqual(await listed({}, 2, 2), ids.slice(2, 4), 'paged');
      assert.deepEqual(await listed({ sectionId: sport }), ids.filter((id) => quay.get(id)!.section === sport));
      assert.deepEqual(await listed({ minId: ids[2]! }), ids.slice(0, 3), 'the plan\'s lowest id bounds the list');
      const statements: string[] = [];
      const listen = (q: string) => void statements.push(q);
      t.handle.statementListeners.add(listen);
      try {
        for (const minId of [null, 1]) {
          const count = (filter: SearchFilter, cap: number) => repo.count(plan.clauses, { walk: false, minId, ...filter }, t.clock.now, cap);
          // Unfiltered, SQLite counts in its text index alone, the embargoed match too (see count).
          assert.equal(await count({}, 1000), quay.size + (engine === 'sqlite' ? 1 : 0), 'each article once, though one holds two completions');
          assert.equal(await count({ language: 'en' }, 1000), 5, 'the embargoed one not, filtered');
          assert.equal(await count({}, 3), 3, 'up to the cap');
          assert.equal(await count({ sectionId: world, language: 'en' }, 1000), 3);
          assert.equal(await count({ language: 'fa' }, 1000), 0);
        }
      } finally {
        t.handle.statementListeners.delete(listen);
      }
      if (engine === 'postgres' && process.env.SKIP_RUM_TESTS !== '1') {
        // Each completion read apart from migration 031's index, not the OR of them tested row by row.
        assert.ok(statements.length > 0 && statements.every((q) => /unnest\(/.test(q)), statements.join('\n'));
      }
    });

    test('a prefix is ranked only while its completions hold few postings (4 times a word\'s cost each)', async () => {
      // harbour is in 10 documents (8 visible, an embargoed one and a draft): as a word it is ranked under a budget of 10…
      assert.equal((await repo.planSearch(clauses('harbour'), 5)).minId, null);
      // …as a prefix's only completion it costs 4 postings' work each: broad under the same budget.
      const prefix = await repo.planSearch(clauses('harbou*'), 5);
      assert.deepEqual(prefix.clauses[0]!.anyOf, ['harbour']);
      assert.notEqual(prefix.minId, null);
      assert.equal((await repo.planSearch(clauses('harbou*'), 20)).minId, null, 'ranked again with room for 40 postings');
    });
  });
}
