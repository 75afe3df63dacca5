import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/databases.js';
import { makeArticle, makeImage, makeSection } from '../helpers/factories.js';

const DEBUG_OUTPUT = /string\(\d+\)|at \S+ \(|node_modules|Error:|stack|SQLITE|syntax error/i;

for (const engine of DIALECTS) {
  describe(`public site on ${engine}`, () => {
    let t: TestApp;
    let story: number;
    let arabic: number;
    let related: number[];
    before(async () => {
      t = await createTestApp(engine, {}, (app) => {
        app.get('/boom', async () => {
          throw new Error('secret database password in stack');
        });
      });
      const world = await makeSection(t, 'world', 'World');
      await makeSection(t, 'sport', 'Sport');
      const video = await t.services.repos.media.insert({
        kind: 'video', storage_key: '2013/05/28/test_635053398363632686_25f_4x3.mp4', mime: 'video/mp4', width: 640, height: 480,
        duration_ms: 3000, poster_key: '2013/05/28/test_635053398363632685_25f_4x3.jpg', alt: 'Video alt', caption: 'Video caption', credit: 'V',
      created_at: t.clock.now });
      related = [
        await makeArticle(t, world, { headline: 'Syrian army confirms presence in Qusayr', leadMediaId: await makeImage(t, '2013/05/31/a_1_25f_4x3.jpg') }),
        await makeArticle(t, world, { headline: "Syria's battle to recapture Qusayr continues", leadMediaId: video }),
        await makeArticle(t, world, { headline: 'Remains found in Qusayr', leadMediaId: await makeImage(t, '2013/05/29/a_2_25f_4x3.jpg') }),
        await makeArticle(t, world, { headline: 'Commander arrested in Qusayr' }),
      ];
      story = await makeArticle(t, world, {
        headline: 'Groups of militants sent to battle in Qusayr:Sabra',
        dek: 'Hundreds of fighters deployed',
        bodyHtml: '<p>Hundreds of fighters have been sent.</p><p><a href="javascript:alert(1)">x</a><img src=x onerror=alert(1)></p>',
        publishedAt: Date.parse('2013-06-01T06:38:45Z'),
        leadMediaId: await makeImage(t, '2013/06/01/lead_635057000000000000_25f_4x3.jpg'),
        tags: [{ kind: 'place', name: 'Qusayr' }],
        byline: 'Staff reporter',
        source: 'Dateline Wire',
      });
      await t.services.publishing.setRelated(story, related);
      arabic = await makeArticle(t, world, { language: 'ar', headline: 'الجيش يتقدم في القصير', bodyHtml: '<p>نص عربي</p>' });
    });
    after(() => t.cleanup());

    test('article page: headline, zoned dateline, body, lead media, related box', async () => {
      const a = await t.services.repos.articles.findById(story);
      const res = await t.app.inject({ url: `/news/${story}/${a!.slug}` });
      assert.equal(res.statusCode, 200);
      assert.match(res.headers['content-type'] as string, /^text\/html/);
      const html = res.body;
      assert.match(html, /^<!doctype html><html lang="en" dir="ltr">/);
      assert.match(html, /<h1 dir="auto">Groups of militants sent to battle in Qusayr:Sabra<\/h1>/);
      assert.match(html, /<time class="dateline" datetime="2013-06-01T11:08:45\+04:30" dir="auto">Sat Jun 1, 2013 11:08:45<\/time>/);
      assert.match(html, /<p>Hundreds of fighters have been sent.<\/p>/);
      assert.match(html, /<img src="\/media\/2013\/06\/01\/lead_635057000000000000_25f_4x3.jpg" alt="A test picture" width="1200" height="900"/);
      assert.match(html, /<aside class="related"[^>]*><h2 id="related-title">Related stories<\/h2>/);
      const box = html.slice(html.indexOf('<aside class="related"'));
      const order = related.map((id) => box.indexOf(`href="/news/${id}/`));
      assert.ok(order.every((i) => i > 0) && order.join() === [...order].sort((x, y) => x - y).join(), 'related in sort order');
      assert.match(box, /class="related-video"[\s\S]*?src="\/media\/2013\/05\/28\/test_635053398363632685_25f_4x3.jpg"[\s\S]*?▶ Video/);
      assert.match(html, /By <bdi>Staff reporter<\/bdi>/);
      assert.match(html, /href="\/topic\/qusayr" rel="tag" dir="auto">Qusayr</);
      // JSON-LD data blocks and the site's own static live client are the only scripts a page may carry.
      assert.ok(!/javascript:|onerror|<script(?! type="application\/ld\+json">| src="\/assets\/live\.[0-9a-f]{10}\.js" defer>)/i.test(html), 'body is sanitized');
      assert.ok(!DEBUG_OUTPUT.test(html));
      assert.match(res.headers['content-security-policy'] as string, /script-src 'self'/);
    });

    test('a stale or missing slug moves permanently to the current one', async () => {
      const a = await t.services.repos.articles.findById(story);
      const stale = await t.app.inject({ url: `/news/${story}/an-old-headline` });
      assert.equal(stale.statusCode, 301);
      assert.equal(stale.headers.location, `/news/${story}/${a!.slug}`);
      const bare = await t.app.inject({ url: `/news/${story}` });
      assert.equal(bare.statusCode, 301);
      assert.equal(bare.headers.location, `/news/${story}/${a!.slug}`);
    });

    test('an Arabic article renders right to left with an Arabic slug', async () => {
      const a = await t.services.repos.articles.findById(arabic);
      assert.equal(a!.slug, 'الجيش-يتقدم-في-القصير');
      const res = await t.app.inject({ url: `/news/${arabic}/${encodeURIComponent(a!.slug)}` });
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /<html lang="ar" dir="rtl">/);
      assert.match(res.body, /<h1 dir="auto">الجيش يتقدم في القصير<\/h1>/);
      assert.match(res.body, /href="\/ar\/section\/world">العالم</, 'localized section name');
    });

    test('home, section and topic pages list stories and paginate', async () => {
      const home = await t.app.inject({ url: '/' });
      assert.equal(home.statusCode, 200);
      assert.match(home.body, /class="lead-story"/);
      assert.match(home.body, /Groups of militants|Syrian army/);
      assert.match(home.body, /<a href="\/section\/world">World<\/a>/);
      const section = await t.app.inject({ url: '/section/world' });
      assert.equal(section.statusCode, 200);
      assert.match(section.body, /<h1 dir="auto">World<\/h1>/);
      assert.ok(section.body.includes(`/news/${story}/`));
      const empty = await t.app.inject({ url: '/section/sport' });
      assert.equal(empty.statusCode, 200);
      assert.match(empty.body, /No stories here yet/);
      const topic = await t.app.inject({ url: '/topic/qusayr' });
      assert.equal(topic.statusCode, 200);
      assert.ok(topic.body.includes(`/news/${story}/`));
      assert.equal((await t.app.inject({ url: '/section/world?page=2' })).statusCode, 404);
      assert.equal((await t.app.inject({ url: '/section/world?page=zero' })).statusCode, 400);
      assert.equal((await t.app.inject({ url: '/section/world?utm_source=x' })).statusCode, 200, 'tracking parameters are ignored');
    });

    test('real 404, 400 and generic 500 pages with no debug output', async () => {
      for (const [url, status] of [['/no/such/page', 404], ['/news/999999/x', 404], ['/news/abc/x', 400], ['/section/nowhere', 404], ['/topic/nothing', 404], ['/boom', 500]] as const) {
        const res = await t.app.inject({ url });
        assert.equal(res.statusCode, status, url);
        assert.match(res.headers['content-type'] as string, /^text\/html/, url);
        assert.match(res.body, /^<!doctype html>/);
        assert.match(res.body, new RegExp(`<p class="status">${status}</p>`));
        assert.ok(!DEBUG_OUTPUT.test(res.body), `${url} leaks: ${res.body}`);
        assert.ok(!res.body.includes('secret'), url);
      }
      const api500 = await t.app.inject({ url: '/boom', headers: { accept: 'application/json' } });
      assert.equal(api500.json().detail, 'An unexpected error occurred. It has been logged.');
      assert.equal(api500.headers['cache-control'], 'no-store');
    });

    test('the stylesheet is served once, cached forever', async () => {
      const home = await t.app.inject({ url: '/' });
      const href = /<link rel="stylesheet" href="([^"]+)"/.exec(home.body)![1]!;
      const css = await t.app.inject({ url: href });
      assert.equal(css.statusCode, 200);
      assert.match(css.headers['cache-control'] as string, /immutable/);
      assert.ok(css.body.length < 20_000, 'one small CSS file');
    });
  });
}
