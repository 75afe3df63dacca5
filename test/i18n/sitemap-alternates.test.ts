import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { articlePath } from '../../src/domain/article.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/databases.js';
import { xmllintValidate } from '../helpers/distribution.js';
import { makeArticle, makeSection } from '../helpers/factories.js';

/** `<xhtml:link>` pairs (hreflang, href) of the `<url>` whose `<loc>` is `loc`. */
function alternatesOf(xml: string, loc: string): string[][] {
  const entry = [...xml.matchAll(/<url>([\s\S]*?)<\/url>/g)].map((m) => m[1]!).find((e) => e.includes(`<loc>${loc}</loc>`));
  assert.ok(entry, `the sitemap lists ${loc}`);
  return [...entry.matchAll(/<xhtml:link rel="alternate" hreflang="([^"]+)" href="([^"]+)"\/>/g)].map((m) => [m[1]!, m[2]!]);
}

for (const engine of DIALECTS) {
  describe(`hreflang alternates in topic and news sitemaps (and on topic pages) on ${engine}`, () => {
    let t: TestApp;
    const ids: Record<string, number> = {};
    const path = async (id: number) => `http://news.test${articlePath((await t.services.repos.articles.findById(id))!)}`;

    before(async () => {
      t = await createTestApp(engine);
      const world = await makeSection(t, 'world', 'World');
      const floods = [{ kind: 'topic' as const, name: 'Floods' }];
      ids.en = await makeArticle(t, world, { headline: 'Floods hit the coast', tags: floods, publishedAt: t.clock.now - 3600_000 });
      ids.ar = await makeArticle(t, world, { language: 'ar', headline: 'فيضانات تضرب الساحل', bodyHtml: '<p>نص</p>', tags: floods, publishedAt: t.clock.now - 3000_000 });
      ids.fa = await makeArticle(t, world, { language: 'fa', headline: 'سیل ساحل را فرا گرفت', bodyHtml: '<p>متن</p>', publishedAt: t.clock.now - 2400_000 });
      ids.single = await makeArticle(t, world, { headline: 'Markets fall', tags: [{ kind: 'topic', name: 'Markets' }], publishedAt: t.clock.now - 1800_000 });
      const group = String(ids.en);
      await t.services.repos.translations.setGroup(ids.en, group);
      await t.services.repos.translations.markTranslation(ids.ar, group, ids.en);
      await t.services.repos.translations.markTranslation(ids.fa, group, ids.en);
      // An Arabic topic with one Persian story: its own page is `/topic/…` (Arabic), the Persian one `/fa/topic/…`.
      ids.arTopicStory = await makeArticle(t, world, { language: 'ar', headline: 'انتخابات', bodyHtml: '<p>نص</p>', tags: [{ kind: 'topic', name: 'انتخابات' }], publishedAt: t.clock.now - 1200_000 });
      await makeArticle(t, world, { language: 'fa', headline: 'انتخابات در شهر', bodyHtml: '<p>متن</p>', tags: [{ kind: 'topic', name: 'انتخابات' }], publishedAt: t.clock.now - 600_000 });
    });
    after(() => t.cleanup());

    test('the news sitemap gives each translated story its published versions and x-default, and validates', async () => {
      const res = await t.app.inject({ url: '/sitemap-news.xml' });
      assert.equal(res.statusCode, 200);
      await xmllintValidate(res.body);
      const expected = [['en', await path(ids.en!)], ['ar', await path(ids.ar!)], ['fa', await path(ids.fa!)], ['x-default', await path(ids.en!)]];
      for (const id of [ids.en!, ids.ar!, ids.fa!]) {
        assert.deepEqual(alternatesOf(res.body, await path(id)).sort(), [...expected].sort(), `alternates of article ${id}`);
      }
      assert.deepEqual(alternatesOf(res.body, await path(ids.single!)), [], 'a story with no translation has no alternates');
    });

    test('the month sitemap carries x-default too', async () => {
      const index = (await t.app.inject({ url: '/sitemap.xml' })).body;
      const month = /<loc>http:\/\/news.test(\/sitemaps\/articles\/[^<]+)<\/loc>/.exec(index)![1]!;
      const body = (await t.app.inject({ url: month })).body;
      await xmllintValidate(body);
      assert.deepEqual(alternatesOf(body, await path(ids.fa!)).find(([l]) => l === 'x-default'), ['x-default', await path(ids.en!)]);
    });

    test('the topic sitemap lists a topic in every language with stories of it, with alternates and x-default, and validates', async () => {
      const res = await t.app.inject({ url: '/sitemaps/topics-1.xml' });
      assert.equal(res.statusCode, 200);
      await xmllintValidate(res.body);
      const floods = [
        ['en', 'http://news.test/topic/floods'],
        ['ar', 'http://news.test/ar/topic/floods'],
        ['x-default', 'http://news.test/topic/floods'],
      ];
      assert.deepEqual(alternatesOf(res.body, 'http://news.test/topic/floods'), floods);
      assert.deepEqual(alternatesOf(res.body, 'http://news.test/ar/topic/floods'), floods);
      assert.doesNotMatch(res.body, /\/fa\/topic\/floods/, 'no Persian story has the topic (the Persian translation was left untagged)');
      const slug = encodeURIComponent((await t.services.catalog.findTag('انتخابات'))!.slug);
      const elections = [
        ['ar', `http://news.test/topic/${slug}`],
        ['fa', `http://news.test/fa/topic/${slug}`],
        ['x-default', `http://news.test/topic/${slug}`],
      ];
      assert.deepEqual(alternatesOf(res.body, `http://news.test/topic/${slug}`), elections);
      assert.deepEqual(alternatesOf(res.body, `http://news.test/fa/topic/${slug}`), elections);
      assert.deepEqual(alternatesOf(res.body, 'http://news.test/topic/markets'), [], 'a topic in one language only has no alternates');
      // Every listed topic page answers, and names the same versions with hreflang (reciprocal links).
      for (const m of res.body.matchAll(/<loc>(http:\/\/news.test([^<]+))<\/loc>/g)) {
        const page = await t.app.inject({ url: m[2]! });
        assert.equal(page.statusCode, 200, m[2]);
        const links = [...page.body.matchAll(/<link rel="alternate" hreflang="([^"]+)" href="([^"]+)"/g)].map((l) => [l[1]!, l[2]!]);
        assert.deepEqual(links, alternatesOf(res.body, m[1]!), `hreflang of ${m[2]}`);
      }
    });

    test('a topic page looks for each other language\'s first visible story only: a scheduled one counts once it is out', async () => {
      const world = (await t.services.catalog.current()).sections.find((s) => s.slug === 'world')!.id;
      await makeArticle(t, world, { language: 'fa', headline: 'بازارها سقوط کردند', bodyHtml: '<p>متن</p>', tags: [{ kind: 'topic', name: 'Markets' }], publishedAt: t.clock.now + 3600_000 });
      const hreflang = async () => [...(await t.app.inject({ url: '/topic/markets' })).body.matchAll(/<link rel="alternate" hreflang="([^"]+)"/g)].map((l) => l[1]);
      const statements: string[] = [];
      const listener = (q: string) => statements.push(q);
      t.handle.statementListeners.add(listener);
      try {
        assert.deepEqual(await hreflang(), [], 'not before the Persian story is published');
      } finally {
        t.handle.statementListeners.delete(listener);
      }
      const probes = statements.filter((q) => /"?language"?\s*=/.test(q) && /article_tags/.test(q));
      assert.equal(probes.length, 2, `one probe each for ar and fa:\n${statements.join('\n')}`);
      assert.ok(probes.every((q) => /limit/i.test(q) && !/distinct/i.test(q)), 'each stops at its first story');
      t.clock.set(t.clock.now + 2 * 3600_000);
      assert.deepEqual(await hreflang(), ['en', 'fa', 'x-default']);
    });
  });
}
