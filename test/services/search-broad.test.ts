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
      assert.deepEqual(await broad({}, 20, 0, '"harbour master"'), [idOf.get('Cranes idle at the harbour master office')], '"harbour master" in that order only');
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
  });
}
