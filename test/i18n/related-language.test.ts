import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RelatedItem } from '../../src/domain/article.js';
import { relatedForLanguage } from '../../src/domain/related-language.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/databases.js';
import { makeArticle, makeSection } from '../helpers/factories.js';

const item = (id: number, language: string, sort: number): RelatedItem => ({ id, language, sort, pinned: false, score: null, contentTypeId: 21, slug: `s${id}`, headline: `h${id}`, publishedAt: 0, leadMedia: null, translationGroup: null });

describe('related box by language (rule)', () => {
  test('the page language first, in list order; a foreign story shows as its translation where there is one', () => {
    const list = [item(1, 'en', 10), item(2, 'ar', 11), item(3, 'en', 12), item(4, 'fa', 13)];
    const versions = new Map([[3, { id: 30, language: 'ar', contentTypeId: 21, slug: 's30', headline: 'h30', publishedAt: 0, leadMedia: null, translationGroup: null }]]);
    const out = relatedForLanguage(list, 'ar', versions, 99);
    assert.deepEqual(out.map((i) => [i.id, i.language, i.sort]), [[2, 'ar', 11], [30, 'ar', 12], [1, 'en', 10], [4, 'fa', 13]]);
  });

  test('a translation already in the list, or the page itself, is not shown twice', () => {
    const list = [item(1, 'en', 10), item(2, 'ar', 11)];
    assert.deepEqual(relatedForLanguage(list, 'ar', new Map([[1, { ...item(2, 'ar', 0) }]]), 99).map((i) => i.id), [2, 1]);
    assert.deepEqual(relatedForLanguage(list, 'ar', new Map([[1, { ...item(99, 'ar', 0) }]]), 99).map((i) => i.id), [2, 1]);
  });
});

for (const engine of DIALECTS) {
  describe(`related box by language on ${engine}`, () => {
    let t: TestApp;
    let page: number;
    let english: number;
    let englishInArabic: number;
    let arabic: number;
    let persian: number;
    before(async () => {
      t = await createTestApp(engine);
      const world = await makeSection(t, 'world', 'World');
      english = await makeArticle(t, world, { headline: 'Floods hit the coast' });
      englishInArabic = await makeArticle(t, world, { language: 'ar', headline: 'فيضانات تضرب الساحل', bodyHtml: '<p>مياه غزيرة غمرت البيوت</p>' });
      await t.services.repos.translations.setGroup(english, String(english));
      await t.services.repos.translations.markTranslation(englishInArabic, String(english), english);
      const other = await makeArticle(t, world, { headline: 'Markets fall' });
      arabic = await makeArticle(t, world, { language: 'ar', headline: 'انخفاض الأسواق', bodyHtml: '<p>هبطت أسهم البورصة</p>' });
      persian = await makeArticle(t, world, { language: 'fa', headline: 'بازارها سقوط کردند', bodyHtml: '<p>متن</p>' });
      page = await makeArticle(t, world, { language: 'ar', headline: 'عاصفة في الخليج', bodyHtml: '<p>رياح قوية ضربت الموانئ</p>' });
      await t.services.publishing.setRelated(page, [english, other, arabic, persian]);
    });
    after(() => t.cleanup());

    test('an Arabic page\'s box: Arabic first, the English story as its Arabic version, the rest after', async () => {
      const raw = await t.services.repos.related.listVisible(page, t.clock.now);
      assert.ok(!raw.some((r) => r.id === englishInArabic), 'the editors\' list names the English story, not its translation');
      const { related } = await t.services.articles.articleWithRelated(page);
      const languages = related.map((r) => r.language);
      assert.deepEqual(languages, [...languages].sort((a, b) => Number(b === 'ar') - Number(a === 'ar')), 'Arabic stories come first');
      assert.ok(related.some((r) => r.id === englishInArabic), 'the English story shows as its Arabic version');
      assert.ok(!related.some((r) => r.id === english), 'the English original gives way to its translation');
      assert.equal(related.find((r) => r.id === englishInArabic)!.sort, raw.find((r) => r.id === english)!.sort, 'in the English story\'s place in the list');
      assert.ok(related.some((r) => r.id === persian) && related.some((r) => r.id === arabic));
      const a = await t.services.repos.articles.findById(page);
      const html = (await t.app.inject({ url: `/news/${page}/${encodeURIComponent(a!.slug)}` })).body;
      const box = /<aside class="related"[\s\S]*?<\/aside>/.exec(html)![0];
      assert.ok(box.indexOf('فيضانات تضرب الساحل') < box.indexOf('Markets fall'));
      assert.doesNotMatch(box, /Floods hit the coast/);
    });

    test('the content API keeps the editors\' list as it is', async () => {
      const items = (await t.app.inject({ url: `/api/v1/articles/${page}/related` })).json().items;
      const raw = await t.services.repos.related.listVisible(page, t.clock.now);
      assert.deepEqual(items.map((i: { id: number }) => i.id), raw.map((r) => r.id));
      assert.ok(items.some((i: { id: number }) => i.id === english));
    });
  });
}
