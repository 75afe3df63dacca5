import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ERRORS } from '../../src/domain/errors.js';
import { CATALOG_LANGUAGES, catalogs, localText, negotiateLanguage, plural } from '../../src/site/i18n.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/databases.js';
import { makeArticle, makeSection } from '../helpers/factories.js';

describe('public site message catalogs', () => {
  const english = catalogs().get('en')!;

  test('every catalog has every key of the English one, and no other, none empty', () => {
    for (const language of CATALOG_LANGUAGES) {
      const c = catalogs().get(language)!;
      assert.equal(c.language, language);
      assert.deepEqual(Object.keys(c.strings).sort(), Object.keys(english.strings).sort(), `${language}: string keys`);
      assert.deepEqual(Object.keys(c.plurals).sort(), Object.keys(english.plurals).sort(), `${language}: plural keys`);
      assert.deepEqual(Object.keys(c.contentTypes).sort(), Object.keys(english.contentTypes).sort(), `${language}: content type labels`);
      for (const [key, value] of Object.entries(c.strings)) assert.ok(value.trim(), `${language}.${key} is empty`);
      // Placeholders survive translation.
      for (const [key, value] of Object.entries(english.strings)) {
        const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
        assert.deepEqual(names(c.strings[key]!), names(value), `${language}.${key} placeholders`);
      }
    }
  });

  test('server messages (problem titles, details, terms) exist in every catalog with the same placeholders', () => {
    const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    assert.deepEqual(Object.keys(english.problemTitles).sort(), Object.keys(ERRORS).sort(), 'every error code has a title');
    for (const language of CATALOG_LANGUAGES) {
      const c = catalogs().get(language)!;
      for (const section of ['problemTitles', 'problems', 'terms'] as const) {
        assert.deepEqual(Object.keys(c[section]).sort(), Object.keys(english[section]).sort(), `${language}: ${section} keys`);
        for (const [key, value] of Object.entries(english[section])) {
          assert.ok(c[section][key]!.trim(), `${language}.${section}.${key} is empty`);
          assert.deepEqual(names(c[section][key]!), names(value), `${language}.${section}.${key} placeholders`);
        }
      }
      for (const [key, forms] of Object.entries(english.plurals)) {
        for (const form of Object.values(c.plurals[key] as Record<string, string>)) {
          assert.deepEqual(names(form).filter((n) => n !== 'n'), names((forms as Record<string, string>).other!).filter((n) => n !== 'n'), `${language}.plurals.${key} placeholders`);
        }
      }
    }
  });

  test('counted server messages take each Arabic plural form', () => {
    const gone = (n: number) => localText('ar', { plural: 'relatedGone', count: n, values: { ids: '7' } });
    assert.match(gone(1), /^الخبر ذو الصلة 7 لم يعد موجودًا/);
    assert.match(gone(2), /^الخبران ذوا الصلة 7 لم يعودا موجودين/);
    assert.match(gone(3), /^الأخبار ذات الصلة 7 لم تعد موجودة/);
    const words = (n: number) => localText('ar', { key: 'checkShortBody', values: { words: { plural: 'words', count: n } } });
    const ar = (n: number) => new Intl.NumberFormat('ar').format(n);
    assert.deepEqual([1, 2, 3, 11, 100].map(words), ['كلمة واحدة', 'كلمتان', `${ar(3)} كلمات`, `${ar(11)} كلمة`, `${ar(100)} كلمة`].map((w) => `المتن قصير جدًا (${w}). هل اكتمل؟`));
    assert.equal(localText('en', { key: 'loginLocked', values: { minutes: { plural: 'minutes', count: 1 } } }), 'Too many failed sign-in attempts. Try again in 1 minute.');
    assert.equal(localText('fa', { key: 'loginLocked', values: { minutes: { plural: 'minutes', count: 15 } } }), 'تلاش‌های ناموفق ورود بیش از حد بود. ۱۵ دقیقه دیگر دوباره تلاش کنید.');
  });

  test('Accept-Language picks the best language that has a catalog', () => {
    assert.equal(negotiateLanguage(undefined), 'en');
    assert.equal(negotiateLanguage('ar'), 'ar');
    assert.equal(negotiateLanguage('fa-IR,fa;q=0.9,en-US;q=0.8'), 'fa');
    assert.equal(negotiateLanguage('en;q=0.5, ar;q=0.9'), 'ar');
    assert.equal(negotiateLanguage('de-DE, fr;q=0.8'), 'en');
    assert.equal(negotiateLanguage('de, fa;q=0.3'), 'fa');
    assert.equal(negotiateLanguage('ar;q=0, en'), 'en');
  });

  test('every plural message has every form its language uses (Arabic: zero, one, two, few, many, other)', () => {
    assert.deepEqual(new Intl.PluralRules('ar').resolvedOptions().pluralCategories.sort(), ['few', 'many', 'one', 'other', 'two', 'zero']);
    for (const language of CATALOG_LANGUAGES) {
      const forms = new Intl.PluralRules(language).resolvedOptions().pluralCategories;
      for (const [key, messages] of Object.entries(catalogs().get(language)!.plurals)) {
        for (const form of forms) assert.ok((messages as Record<string, string>)[form], `${language} plural "${key}" lacks the "${form}" form`);
      }
    }
  });

  test('counts pick the right form and the language\'s digits', () => {
    assert.equal(plural('en', 'results', 1), '1 result');
    assert.equal(plural('en', 'results', 1200), '1,200 results');
    // Digits are the runtime's CLDR default for the language (Latin for ar in recent CLDR, Persian for fa).
    const ar = (n: number) => new Intl.NumberFormat('ar').format(n);
    assert.deepEqual([0, 1, 2, 3, 11, 100].map((n) => plural('ar', 'results', n)), ['لا نتائج', 'نتيجة واحدة', 'نتيجتان', `${ar(3)} نتائج`, `${ar(11)} نتيجة`, `${ar(100)} نتيجة`]);
    assert.equal(plural('fa', 'entries', 12), '۱۲ به‌روزرسانی');
    assert.equal(plural('de', 'results', 2), '2 results', 'a language without a catalog falls back to English');
  });
});

const ENGLISH_STRINGS = [...Object.values(catalogs().get('en')!.strings), ...Object.values(catalogs().get('en')!.contentTypes)].filter((s) => !/\{\w+\}/.test(s) && s.length > 2 && !['API', 'RSS'].includes(s));

for (const engine of DIALECTS) {
  describe(`pages in Arabic and Persian show no English interface text (${engine})`, () => {
    let t: TestApp;
    let arabic: number;
    before(async () => {
      t = await createTestApp(engine);
      const world = await makeSection(t, 'world', 'World');
      arabic = await makeArticle(t, world, { language: 'ar', headline: 'خبر عربي عن الطقس', dek: 'ملخص', bodyHtml: '<p>نص عربي عن الطقس</p>', byline: 'مراسلنا', source: 'وكالة', place: 'دمشق' });
      for (let i = 0; i < 25; i++) await makeArticle(t, world, { language: 'fa', headline: `خبر فارسی ${i}`, dek: 'خلاصه', bodyHtml: '<p>متن فارسی</p>', byline: 'خبرنگار', source: 'خبرگزاری', place: 'تهران' });
    });
    after(() => t.cleanup());

    test('home, section (with pager), search and article pages', async () => {
      const a = await t.services.repos.articles.findById(arabic);
      const pages = ['/ar/', '/ar/section/world', '/ar/search?q=الطقس', `/news/${arabic}/${encodeURIComponent(a!.slug)}`, '/fa/', '/fa/section/world', '/fa/search?q=فارسی'];
      for (const url of pages) {
        const res = await t.app.inject({ url });
        assert.equal(res.statusCode, 200, url);
        const body = res.body.slice(res.body.indexOf('<body'));
        const leaked = ENGLISH_STRINGS.filter((s) => body.includes(`>${s}<`) || body.includes(`"${s}"`) || body.includes(`>${s} `) || body.includes(` ${s}<`));
        assert.deepEqual(leaked, [], `${url} shows English interface text`);
      }
      const search = (await t.app.inject({ url: '/fa/search?q=فارسی' })).body;
      assert.match(search, /<p class="search-count">\u2068۲۵\u2069 نتیجه<\/p>/);
      assert.match((await t.app.inject({ url: '/fa/section/world' })).body, /صفحه ۱ از ۲/);
    });
  });
}
