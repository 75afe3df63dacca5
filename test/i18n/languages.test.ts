import assert from 'node:assert/strict';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/databases.js';
import { makeArticle, makeSection } from '../helpers/factories.js';

const hreflangs = (html: string) => [...html.matchAll(/<link rel="alternate" hreflang="([^"]+)" href="([^"]+)"/g)].map((m) => [m[1], m[2]]);
const switcher = (html: string) => /<nav class="language-switcher"[\s\S]*?<\/nav>/.exec(html)?.[0] ?? '';

for (const engine of DIALECTS) {
  describe(`site languages (path prefixes) on ${engine}`, () => {
    let t: TestApp;
    let en: number;
    let ar: number;
    let fa: number;
    before(async () => {
      t = await createTestApp(engine);
      const world = await makeSection(t, 'world', 'World');
      en = await makeArticle(t, world, { headline: 'Ceasefire talks resume in Doha' });
      ar = await makeArticle(t, world, { language: 'ar', headline: 'استئناف محادثات وقف إطلاق النار', bodyHtml: '<p>نص عربي</p>' });
      fa = await makeArticle(t, world, { language: 'fa', headline: 'گفتگوهای آتش‌بس از سر گرفته شد', bodyHtml: '<p>متن فارسی</p>' });
    });
    after(() => t.cleanup());

    test('/ar/ and /fa/ are their language\'s home: right to left, only their stories', async () => {
      for (const [lang, own, others] of [['ar', ar, [en, fa]], ['fa', fa, [en, ar]]] as const) {
        const res = await t.app.inject({ url: `/${lang}/` });
        assert.equal(res.statusCode, 200);
        assert.match(res.body, new RegExp(`^<!doctype html><html lang="${lang}" dir="rtl"`));
        assert.match(res.body, new RegExp(`href="/news/${own}/`));
        for (const o of others) assert.doesNotMatch(res.body, new RegExp(`href="/news/${o}/`));
        assert.match(String(res.headers['surrogate-key']), new RegExp(`\\blang-${lang}\\b`));
        // Navigation and search stay in the language.
        assert.match(res.body, new RegExp(`href="/${lang}/section/world"`));
        assert.match(res.body, new RegExp(`action="/${lang}/search"`));
      }
      // Without the trailing slash too.
      assert.equal((await t.app.inject({ url: '/ar' })).statusCode, 200);
    });

    test('the default language stays at / with every old URL unchanged', async () => {
      const home = await t.app.inject({ url: '/' });
      assert.equal(home.statusCode, 200);
      assert.match(home.body, /<html lang="en" dir="ltr"/);
      // The home front shows every language's newest, as before.
      for (const id of [en, ar, fa]) assert.match(home.body, new RegExp(`href="/news/${id}/`));
      const section = await t.app.inject({ url: '/section/world' });
      assert.equal(section.statusCode, 200);
      for (const id of [en, ar, fa]) assert.match(section.body, new RegExp(`href="/news/${id}/`));
      assert.equal((await t.app.inject({ url: '/search?q=ceasefire' })).statusCode, 200);
      assert.equal((await t.app.inject({ url: '/feeds/rss.xml' })).statusCode, 200);
    });

    test('section fronts per language show that language\'s stories and link to the others', async () => {
      const res = await t.app.inject({ url: '/fa/section/world' });
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /<html lang="fa" dir="rtl"/);
      assert.match(res.body, new RegExp(`href="/news/${fa}/`));
      assert.doesNotMatch(res.body, new RegExp(`href="/news/${ar}/`));
      assert.deepEqual(hreflangs(res.body), [
        ['en', 'http://news.test/section/world'],
        ['ar', 'http://news.test/ar/section/world'],
        ['fa', 'http://news.test/fa/section/world'],
        ['x-default', 'http://news.test/section/world'],
      ]);
      assert.match(res.body, /<link rel="canonical" href="http:\/\/news.test\/fa\/section\/world"/);
      const nav = switcher(res.body);
      assert.match(nav, /href="http:\/\/news.test\/ar\/section\/world"[^>]*>العربية</);
      assert.match(nav, /href="http:\/\/news.test\/section\/world"[^>]*>English</);
      assert.match(nav, /aria-current="true">فارسی</);
      const missing = await t.app.inject({ url: '/fa/section/nowhere', headers: { accept: 'text/html' } });
      assert.equal(missing.statusCode, 404);
      assert.match(missing.body, /<html lang="fa" dir="rtl"[\s\S]*صفحه پیدا نشد/, 'the 404 page speaks the language of the address');
    });

    test('every page has the switcher; an article without translations switches to the other homes', async () => {
      const a = await t.services.repos.articles.findById(en);
      const res = await t.app.inject({ url: `/news/${en}/${a!.slug}` });
      const nav = switcher(res.body);
      assert.match(nav, /href="http:\/\/news.test\/ar\/" hreflang="ar"[^>]*data-translation="home"/);
      assert.match(nav, /href="http:\/\/news.test\/fa\/" hreflang="fa"/);
      for (const url of ['/', '/ar/', '/search', '/fa/search?q=x', '/section/world', '/ar/section/world']) {
        const page = await t.app.inject({ url });
        assert.ok(switcher(page.body), `${url} has a language switcher`);
      }
    });

    test('search on a language page filters by that language unless "all languages"', async () => {
      const ids = (html: string) => [...html.matchAll(/<li [^>]*lang="(\w+)"[^>]*>\s*<h2 class="search-headline" dir="auto"><a href="\/news\/(\d+)\//g)].map((m) => Number(m[2]));
      const own = await t.app.inject({ url: `/ar/search?q=${encodeURIComponent('محادثات')}` });
      assert.equal(own.statusCode, 200);
      assert.deepEqual(ids(own.body), [ar]);
      assert.match(own.body, /<option value="ar" selected=""|<option value="ar" selected/);
      const english = await t.app.inject({ url: '/ar/search?q=ceasefire' });
      assert.deepEqual(ids(english.body), [], 'an English story is not found on the Arabic search page by default');
      const all = await t.app.inject({ url: '/ar/search?q=ceasefire&lang=all' });
      assert.deepEqual(ids(all.body), [en]);
      // The default language's search is as it always was: every language.
      assert.deepEqual(ids((await t.app.inject({ url: '/search?q=ceasefire' })).body), [en]);
    });

    test('a language\'s feeds page is in that language', async () => {
      const res = await t.app.inject({ url: '/fa/feeds' });
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /<html lang="fa" dir="rtl"/);
      assert.match(res.body, /<h1>خوراک‌ها<\/h1>/);
      assert.match(res.body, /href="\/feeds\/lang\/fa\/rss.xml"/);
    });

    test('a language\'s feeds live under its prefix', async () => {
      const res = await t.app.inject({ url: '/ar/feeds/rss.xml' });
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /استئناف محادثات/);
      assert.doesNotMatch(res.body, /Ceasefire talks/);
    });
  });
}

describe('site languages by host (LANGUAGE_HOSTS)', () => {
  let t: TestApp;
  let ar: number;
  before(async () => {
    t = await createTestApp('sqlite', { languageHosts: { ar: 'ar.news.test' } });
    const world = await makeSection(t, 'world', 'World');
    await makeArticle(t, world, { headline: 'English story' });
    ar = await makeArticle(t, world, { language: 'ar', headline: 'خبر عربي', bodyHtml: '<p>نص</p>' });
  });
  after(() => t.cleanup());

  test('the Arabic host serves the Arabic home at /, Persian keeps its prefix, the default host is unchanged', async () => {
    const arHome = await t.app.inject({ url: '/', headers: { host: 'ar.news.test' } });
    assert.match(arHome.body, /<html lang="ar" dir="rtl"/);
    assert.match(arHome.body, new RegExp(`href="/news/${ar}/`));
    assert.doesNotMatch(arHome.body, /English story/);
    assert.match(arHome.body, /<link rel="canonical" href="http:\/\/ar.news.test\/"/);
    const home = await t.app.inject({ url: '/', headers: { host: 'news.test' } });
    assert.match(home.body, /<html lang="en"/);
    assert.match(switcher(home.body), /href="http:\/\/ar.news.test\/"/);
    assert.match(switcher(home.body), /href="http:\/\/news.test\/fa\/"/);
    assert.equal((await t.app.inject({ url: '/ar/' })).statusCode, 404, 'a language with a host has no path prefix');
  });
});

describe('language settings', () => {
  test('DEFAULT_LANGUAGE moves to the front; LANGUAGE_HOSTS is read and checked against SITE_LANGUAGES', async () => {
    const { loadConfig, ConfigError } = await import('../../src/config/config.js');
    const c = loadConfig({ SITE_LANGUAGES: 'en,ar,fa', DEFAULT_LANGUAGE: 'ar', LANGUAGE_HOSTS: 'fa=FA.example.test, en=news.example.test' }, '/tmp');
    assert.deepEqual(c.languages, ['ar', 'en', 'fa']);
    assert.equal(c.defaultLanguage, 'ar');
    assert.deepEqual(c.languageHosts, { fa: 'fa.example.test', en: 'news.example.test' });
    assert.equal(loadConfig({}, '/tmp').defaultLanguage, 'en');
    assert.throws(() => loadConfig({ SITE_LANGUAGES: 'en,ar', DEFAULT_LANGUAGE: 'fa' }, '/tmp'), (err: unknown) => err instanceof ConfigError && /DEFAULT_LANGUAGE: "fa" is not one of SITE_LANGUAGES/.test(err.message));
    assert.throws(() => loadConfig({ LANGUAGE_HOSTS: 'ar' }, '/tmp'), /must look like ar=ar.example.org/);
    assert.throws(() => loadConfig({ LANGUAGE_HOSTS: 'de=de.example.test' }, '/tmp'), /LANGUAGE_HOSTS: "de" is not one of SITE_LANGUAGES/);
  });
});

describe('bidirectional isolation', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp('sqlite');
  });
  after(() => t.cleanup());

  test('headlines, names, places and datelines that may mix scripts are isolated', async () => {
    const world = await makeSection(t, 'world', 'World');
    const id = await makeArticle(t, world, { language: 'ar', headline: 'مقابلة مع CNN حول الانتخابات', bodyHtml: '<p>نص</p>', byline: 'John Smith', source: 'Reuters', place: 'New York' });
    const a = await t.services.repos.articles.findById(id);
    const page = (await t.app.inject({ url: `/news/${id}/${encodeURIComponent(a!.slug)}` })).body;
    assert.match(page, /<h1 dir="auto">مقابلة مع CNN حول الانتخابات<\/h1>/);
    assert.match(page, /<span class="byline">بقلم <bdi>John Smith<\/bdi><\/span>/);
    assert.match(page, /<span class="source"><bdi>Reuters<\/bdi><\/span>/);
    assert.match(page, /<span class="place"><bdi>New York<\/bdi><\/span>/);
    assert.match(page, /<time class="dateline" datetime="[^"]+" dir="auto">/);
    const home = (await t.app.inject({ url: '/ar/' })).body;
    assert.match(home, /<a href="\/news\/\d+\/[^"]+" dir="auto">مقابلة مع CNN حول الانتخابات<\/a>/);
    // A count with a "+" keeps its order inside a right-to-left sentence (FSI … PDI).
    // Three results: Arabic's "few" form carries the number (one and two are words).
    for (const h of ['الانتخابات في المدينة', 'الانتخابات في القرية']) await makeArticle(t, world, { language: 'ar', headline: h, bodyHtml: '<p>الانتخابات</p>' });
    const search = (await t.app.inject({ url: `/ar/search?q=${encodeURIComponent('الانتخابات')}` })).body;
    const count = /<p class="search-count">([^<]*)<\/p>/.exec(search)?.[1] ?? '';
    assert.match(count, /^\u2068[0-9٠-٩]+\+?\u2069 /, `the result count is isolated: ${count}`);
  });
});

describe('page cache with a host per language', () => {
  let t: TestApp;
  let port = 0;
  const get = (host: string, path: string) =>
    new Promise<{ body: string; cache: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ body, cache: String(res.headers['x-cache'] ?? '') }));
      });
      req.on('error', reject);
      req.end();
    });
  before(async () => {
    t = await createTestApp('sqlite', { languageHosts: { ar: 'ar.news.test' } });
    const world = await makeSection(t, 'world', 'World');
    await makeArticle(t, world, { headline: 'English story' });
    await makeArticle(t, world, { language: 'ar', headline: 'خبر عربي', bodyHtml: '<p>نص</p>' });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as AddressInfo).port;
  });
  after(() => t.cleanup());

  test('the same path on two hosts is two cached pages', async () => {
    assert.ok(t.services.pageCaching.cache, 'the page cache is on');
    const ar1 = await get('ar.news.test', '/');
    const en1 = await get('news.test', '/');
    const ar2 = await get('ar.news.test', '/');
    const en2 = await get('news.test', '/');
    assert.match(ar1.body, /<html lang="ar"/);
    assert.match(en1.body, /<html lang="en"/);
    assert.match(ar2.body, /<html lang="ar"/, 'the Arabic host never gets the English page from the cache');
    assert.match(en2.body, /<html lang="en"/);
    assert.equal(ar2.cache, 'HIT');
    assert.equal(en2.cache, 'HIT');
  });

  test('a new story in a language purges that language\'s home (its lang-{code} key)', async () => {
    const world = (await t.services.catalog.current()).sections[0]!.id;
    await makeArticle(t, world, { language: 'ar', headline: 'خبر جديد للتو', bodyHtml: '<p>نص</p>', publishedAt: t.clock.now });
    const again = await get('ar.news.test', '/');
    assert.notEqual(again.cache, 'HIT');
    assert.match(again.body, /خبر جديد للتو/);
  });
});
