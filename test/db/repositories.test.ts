import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DIALECTS, createTestDb, type TestDb } from '../helpers/databases.js';
import { makeArticle, makeImage, makeSection } from '../helpers/factories.js';

for (const engine of DIALECTS) {
  describe(`repositories on ${engine}`, () => {
    let t: TestDb;
    let section: number;
    before(async () => {
      t = await createTestDb(engine);
      section = await makeSection(t);
    });
    after(() => t.cleanup());

    test('migrations seed the content types, legacy id 21 = news', async () => {
      const types = await t.services.repos.taxonomy.listContentTypes();
      assert.deepEqual(
        types.map((c) => [c.id, c.name]),
        [[21, 'news'], [22, 'video-report'], [23, 'photo-gallery'], [24, 'opinion'], [25, 'interview'], [26, 'programme']],
      );
    });

    test('an article round-trips with its tags, lead media and derived fields', async () => {
      const media = await makeImage(t, '2013/05/31/test_635056300967158844_25f_4x3.jpg');
      const id = await makeArticle(t, section, {
        language: 'ar',
        headline: 'الجيش يسيطر على المدينة',
        bodyHtml: '<p>نص <strong>الخبر</strong></p><script>alert(1)</script><p onclick="x()">فقرة &amp; ثانية</p>',
        leadMediaId: media,
        tags: [
          { kind: 'place', name: 'القصير' },
          { kind: 'topic', name: 'Syria' },
        ],
      });
      const a = await t.services.repos.articles.findById(id);
      assert.ok(a);
      assert.equal(a.language, 'ar');
      assert.equal(a.direction, 'rtl');
      assert.equal(a.slug, 'الجيش-يسيطر-على-المدينة');
      assert.equal(a.bodyHtml, '<p>نص <strong>الخبر</strong></p><p>فقرة &amp; ثانية</p>');
      assert.equal(a.bodyText, 'نص الخبر\nفقرة & ثانية');
      assert.equal(a.leadMedia?.key, '2013/05/31/test_635056300967158844_25f_4x3.jpg');
      assert.deepEqual(a.tags.map((x) => [x.kind, x.name, x.slug]), [['place', 'القصير', 'القصير'], ['topic', 'Syria', 'syria']]);
      assert.equal(typeof a.publishedAt, 'number');
      assert.equal(a.revision, 1);
    });

    test('lists show only visible articles, newest first, with stable keyset pages', async () => {
      const s2 = await makeSection(t, 'sport', 'Sport');
      const base = t.clock.now - 10 * 86_400_000;
      const ids: number[] = [];
      for (let i = 0; i < 7; i++) {
        // Two articles share each timestamp so the id breaks ties.
        ids.push(await makeArticle(t, s2, { publishedAt: base + Math.floor(i / 2) * 1000, contentTypeId: i % 2 ? 22 : 21 }));
      }
      await makeArticle(t, s2, { status: 'draft' });
      await makeArticle(t, s2, { publishedAt: t.clock.now + 3_600_000 }); // not yet due
      const expected = [...ids].sort((a, b) => {
        const pa = base + Math.floor(ids.indexOf(a) / 2) * 1000;
        const pb = base + Math.floor(ids.indexOf(b) / 2) * 1000;
        return pb - pa || b - a;
      });
      const seen: number[] = [];
      let cursor: string | undefined;
      for (;;) {
        const page = await t.services.articles.list({ sectionId: s2 }, 3, cursor);
        seen.push(...page.items.map((a) => a.id));
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      assert.deepEqual(seen, expected);
      const videos = await t.services.articles.list({ sectionId: s2, contentTypeId: 22 }, 50);
      assert.equal(videos.items.length, 3);
      assert.equal(await t.services.repos.articles.countVisible({ sectionId: s2 }, t.clock.now), 7);
      const older = await t.services.articles.list({ sectionId: s2, publishedBefore: base + 1000 }, 50);
      assert.deepEqual(older.items.map((a) => a.id).sort(), ids.slice(0, 2).sort());
    });

    test('tag filter and language filter', async () => {
      const id = await makeArticle(t, section, { tags: [{ kind: 'person', name: 'Mira Halden' }], language: 'fa' });
      const tag = await t.services.repos.taxonomy.findTagBySlug('mira-halden');
      assert.ok(tag);
      const byTag = await t.services.articles.list({ tagId: tag.id }, 10);
      assert.deepEqual(byTag.items.map((a) => a.id), [id]);
      const byLang = await t.services.articles.list({ language: 'fa' }, 10);
      assert.deepEqual(byLang.items.map((a) => a.id), [id]);
    });

    test('related links take numbers from one global increasing sequence and read in that order', async () => {
      const a = await makeArticle(t, section);
      const b = await makeArticle(t, section);
      const r = await Promise.all([1, 2, 3, 4].map(() => makeArticle(t, section)));
      await t.services.publishing.setRelated(a, [r[2]!, r[0]!, r[3]!, r[1]!]);
      await t.services.publishing.setRelated(b, [r[1]!, r[0]!]);
      // Editor pins only; the related engine's items follow them with later numbers.
      const listA = (await t.services.repos.related.listVisible(a, t.clock.now)).filter((x) => x.pinned);
      const listB = (await t.services.repos.related.listVisible(b, t.clock.now)).filter((x) => x.pinned);
      assert.deepEqual(listA.map((x) => x.id), [r[2], r[0], r[3], r[1]]);
      const sortsA = listA.map((x) => x.sort);
      assert.deepEqual(sortsA, [sortsA[0]!, sortsA[0]! + 1, sortsA[0]! + 2, sortsA[0]! + 3]);
      assert.ok(listB[0]!.sort > sortsA[3]!, 'later links get later numbers');
      assert.ok(listA.every((x) => x.pinned));
    });

    test('concurrent reservations never hand out the same sort number', async () => {
      const firsts = await Promise.all(Array.from({ length: 20 }, () => t.services.repos.related.reserveSorts(3)));
      const all = firsts.flatMap((f) => [f, f + 1, f + 2]);
      assert.equal(new Set(all).size, all.length);
      await t.services.repos.related.advanceSortTo(3_027_275);
      assert.equal(await t.services.repos.related.reserveSorts(1), 3_027_275);
      await t.services.repos.related.advanceSortTo(10); // never backward
      assert.equal(await t.services.repos.related.reserveSorts(1), 3_027_276);
    });

    test('related lists hide unpublished and future items', async () => {
      const a = await makeArticle(t, section);
      const draft = await makeArticle(t, section, { status: 'draft' });
      const future = await makeArticle(t, section, { publishedAt: t.clock.now + 60_000 });
      const ok = await makeArticle(t, section);
      await t.services.publishing.setRelated(a, [draft, future, ok]);
      const list = await t.services.repos.related.listVisible(a, t.clock.now);
      assert.deepEqual(list.filter((x) => x.pinned).map((x) => x.id), [ok]);
      assert.ok(!list.some((x) => x.id === draft || x.id === future), 'the engine never adds them either');
    });
  });
}
