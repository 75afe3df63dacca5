import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/databases.js';
import { makeArticle, makeSection } from '../helpers/factories.js';
import { tempFile, twoToneJpeg } from '../helpers/media-files.js';
import { login, makeUser } from '../helpers/newsroom.js';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Every JSON-LD document of a page, parsed. */
function jsonLd(html: string): Doc[] {
  return [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((m) => JSON.parse(m[1]!) as Doc);
}
function meta(html: string, attr: 'name' | 'property', key: string): string[] {
  const re = new RegExp(`<meta ${attr}="${key.replace(/[:.]/g, '\\$&')}" content="([^"]*)"/>`, 'g');
  return [...html.matchAll(re)].map((m) => m[1]!.replace(/&amp;/g, '&').replace(/&quot;/g, '"'));
}
const RFC3339_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;

/** Same-origin URLs a browser would fetch for a page: stylesheets, icons, manifest, feeds, pictures, posters, sources. */
function assetUrls(html: string): string[] {
  const urls = new Set<string>();
  for (const m of html.matchAll(/<link [^>]*href="([^"]+)"/g)) urls.add(m[1]!);
  for (const m of html.matchAll(/\s(?:src|poster)="([^"]+)"/g)) urls.add(m[1]!);
  for (const m of html.matchAll(/\ssrcset="([^"]+)"/g)) for (const part of m[1]!.split(',')) urls.add(part.trim().split(/\s+/)[0]!);
  return [...urls].map((u) => u.replace(/&amp;/g, '&')).filter((u) => u.startsWith('/') || u.startsWith('http://news.test/')).map((u) => u.replace('http://news.test', ''));
}

for (const engine of DIALECTS) {
  describe(`structured data and sharing on ${engine}`, () => {
    let t: TestApp;
    let story: number;
    let slug: string;
    before(async () => {
      t = await createTestApp(engine);
      const world = await makeSection(t, 'world', 'World');
      const picture = await t.services.media.ingest({ path: tempFile('lead.jpg', await twoToneJpeg(2400, 1600)), alt: 'Fighters near Qusayr', caption: 'Near Qusayr', credit: 'Agency' });
      await t.runJobs();
      story = await makeArticle(t, world, {
        headline: 'Groups of militants sent to battle in Qusayr',
        dek: 'Hundreds of fighters deployed',
        publishedAt: Date.parse('2013-06-01T06:38:45Z'),
        leadMediaId: picture.id,
        tags: [{ kind: 'place', name: 'Qusayr' }, { kind: 'topic', name: 'Syria war' }],
        byline: 'Jane Doe and John Roe',
      });
      const editor = await login(t.app, await makeUser(t, 'editor'));
      const res = await editor.post(`/api/admin/articles/${story}/transitions`, { action: 'correct', note: 'An earlier version misstated the number of fighters.' });
      assert.equal(res.statusCode, 200, res.body);
      slug = (await t.services.repos.articles.findById(story))!.slug;
    });
    after(() => t.cleanup());

    test('an article page carries NewsArticle JSON-LD with every field search engines read, and corrections', async () => {
      const res = await t.app.inject({ url: `/news/${story}/${slug}` });
      assert.equal(res.statusCode, 200);
      const docs = jsonLd(res.body);
      const news = docs.find((d) => d['@type'] === 'NewsArticle')!;
      assert.equal(news['@context'], 'https://schema.org');
      assert.equal(news.headline, 'Groups of militants sent to battle in Qusayr');
      assert.equal(news.description, 'Hundreds of fighters deployed');
      assert.equal(news.url, `http://news.test/news/${story}/${slug}`);
      assert.equal(news.mainEntityOfPage['@id'], news.url);
      assert.equal(news.inLanguage, 'en');
      assert.equal(news.articleSection, 'World');
      assert.equal(news.isAccessibleForFree, true);
      // Site zone Asia/Tehran: the offset is written out.
      assert.equal(news.datePublished, '2013-06-01T11:08:45+04:30');
      assert.match(news.dateModified, RFC3339_OFFSET);
      assert.ok(Date.parse(news.dateModified) >= Date.parse(news.datePublished));
      assert.deepEqual(news.author, [{ '@type': 'Person', name: 'Jane Doe' }, { '@type': 'Person', name: 'John Roe' }]);
      assert.equal(news.publisher['@type'], 'NewsMediaOrganization');
      assert.equal(news.publisher.name, 'Dateline Test');
      assert.equal(news.publisher.logo['@type'], 'ImageObject');
      assert.equal((await t.app.inject({ url: news.publisher.logo.url.replace('http://news.test', '') })).statusCode, 200);
      // Three crops, each at least 1200 wide since the original (2400x1600) allows it.
      const ratios = news.image.map((i: Doc) => Math.round((i.width / i.height) * 100) / 100);
      assert.deepEqual(ratios, [1.78, 1.33, 1]);
      for (const image of news.image) {
        assert.ok(image.width >= 1200, `${image.url} is ${image.width} wide`);
        assert.equal((await t.app.inject({ url: image.url.replace('http://news.test', '') })).statusCode, 200, image.url);
      }
      assert.deepEqual(news.keywords, ['Qusayr', 'Syria war']);
      assert.equal(news.correction.length, 1);
      assert.equal(news.correction[0]['@type'], 'CorrectionComment');
      assert.equal(news.correction[0].text, 'An earlier version misstated the number of fighters.');
      assert.match(news.correction[0].datePublished, RFC3339_OFFSET);
      const crumbs = docs.find((d) => d['@type'] === 'BreadcrumbList')!;
      assert.deepEqual(
        crumbs.itemListElement.map((c: Doc) => [c.position, c.name, c.item]),
        [[1, 'Dateline Test', 'http://news.test/'], [2, 'World', 'http://news.test/section/world'], [3, news.headline, news.url]],
      );
    });

    test('an article page has Open Graph and Twitter tags with image size and alt, and article times, section and tags', async () => {
      const html = (await t.app.inject({ url: `/news/${story}/${slug}` })).body;
      assert.deepEqual(meta(html, 'property', 'og:site_name'), ['Dateline Test']);
      assert.deepEqual(meta(html, 'property', 'og:locale'), ['en_US']);
      assert.deepEqual(meta(html, 'property', 'og:type'), ['article']);
      assert.deepEqual(meta(html, 'property', 'og:url'), [`http://news.test/news/${story}/${slug}`]);
      assert.deepEqual(meta(html, 'property', 'og:description'), ['Hundreds of fighters deployed']);
      const [image] = meta(html, 'property', 'og:image');
      assert.match(image!, /_1600w_16x9\.jpg$/);
      assert.deepEqual(meta(html, 'property', 'og:image:width'), ['1600']);
      assert.deepEqual(meta(html, 'property', 'og:image:height'), ['900']);
      assert.deepEqual(meta(html, 'property', 'og:image:alt'), ['Fighters near Qusayr']);
      assert.deepEqual(meta(html, 'property', 'article:published_time'), ['2013-06-01T11:08:45+04:30']);
      assert.match(meta(html, 'property', 'article:modified_time')[0]!, RFC3339_OFFSET);
      assert.deepEqual(meta(html, 'property', 'article:section'), ['World']);
      assert.deepEqual(meta(html, 'property', 'article:tag'), ['Qusayr', 'Syria war']);
      assert.deepEqual(meta(html, 'name', 'twitter:card'), ['summary_large_image']);
      assert.deepEqual(meta(html, 'name', 'twitter:image'), [image]);
      assert.deepEqual(meta(html, 'name', 'twitter:image:alt'), ['Fighters near Qusayr']);
      assert.deepEqual(meta(html, 'name', 'description'), ['Hundreds of fighters deployed']);
    });

    test('the home page has WebSite with SearchAction and the publisher', async () => {
      const docs = jsonLd((await t.app.inject({ url: '/' })).body);
      const site = docs.find((d) => d['@type'] === 'WebSite')!;
      assert.equal(site.url, 'http://news.test/');
      assert.equal(site.potentialAction['@type'], 'SearchAction');
      assert.equal(site.potentialAction.target.urlTemplate, 'http://news.test/search?q={search_term_string}');
      assert.equal(site.potentialAction['query-input'], 'required name=search_term_string');
      const search = await t.app.inject({ url: site.potentialAction.target.urlTemplate.replace('http://news.test', '').replace('{search_term_string}', 'qusayr') });
      assert.equal(search.statusCode, 200);
      assert.ok(docs.some((d) => d['@type'] === 'NewsMediaOrganization'));
    });

    test('every public page has a description, a canonical URL and Open Graph tags', async () => {
      for (const [url, canonical] of [
        ['/', 'http://news.test/'],
        [`/news/${story}/${slug}`, `http://news.test/news/${story}/${slug}`],
        ['/section/world', 'http://news.test/section/world'],
        ['/topic/qusayr', 'http://news.test/topic/qusayr'],
        ['/search?q=qusayr', 'http://news.test/search?q=qusayr'],
        ['/search', 'http://news.test/search'],
        ['/feeds', 'http://news.test/feeds'],
      ]) {
        const html = (await t.app.inject({ url: url! })).body;
        assert.equal(meta(html, 'name', 'description').length, 1, url);
        assert.ok(meta(html, 'name', 'description')[0]!.length > 10, url);
        assert.ok(html.includes(`<link rel="canonical" href="${canonical}"/>`), `${url} canonical`);
        for (const p of ['og:title', 'og:description', 'og:url', 'og:site_name', 'og:locale']) assert.equal(meta(html, 'property', p).length, 1, `${url} ${p}`);
        assert.equal(meta(html, 'name', 'twitter:card').length, 1, url);
      }
    });

    test('no asset a page asks for is missing: stylesheet, icons, manifest and its icons, feeds, pictures', async () => {
      const pages = ['/', `/news/${story}/${slug}`, '/section/world', '/topic/qusayr', '/search?q=qusayr', '/feeds', '/no-such-page'];
      const checked = new Set<string>();
      for (const page of pages) {
        const html = (await t.app.inject({ url: page })).body;
        const urls = assetUrls(html);
        assert.ok(urls.includes('/favicon.ico') && urls.includes('/manifest.webmanifest'), page);
        for (const url of urls) {
          if (checked.has(url)) continue;
          checked.add(url);
          const res = await t.app.inject({ url });
          assert.equal(res.statusCode, 200, `${page} → ${url}`);
        }
      }
      // Browsers ask for /favicon.ico whatever the page says; it must be a real ICO.
      const ico = await t.app.inject({ url: '/favicon.ico' });
      assert.equal(ico.headers['content-type'], 'image/x-icon');
      assert.deepEqual([...ico.rawPayload.subarray(0, 4)], [0, 0, 1, 0]);
      assert.equal(ico.rawPayload.readUInt16LE(4), 3);
      const manifest = await t.app.inject({ url: '/manifest.webmanifest' });
      assert.match(manifest.headers['content-type'] as string, /^application\/manifest\+json/);
      const m = manifest.json();
      assert.equal(m.name, 'Dateline Test');
      assert.equal(m.start_url, '/');
      for (const icon of m.icons) {
        const res = await t.app.inject({ url: icon.src });
        assert.equal(res.statusCode, 200, icon.src);
        if (icon.type === 'image/png') {
          const info = await sharp(res.rawPayload).metadata();
          assert.equal(`${info.width}x${info.height}`, icon.sizes);
        }
      }
      assert.equal((await t.app.inject({ url: '/icons/icon-999.png' })).statusCode, 404);
    });
  });
}

for (const engine of DIALECTS) {
  describe(`structured data of a video lead on ${engine}`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(engine);
    });
    after(() => t.cleanup());

    test('a video lead adds a VideoObject with duration, thumbnail and content URL', async () => {
      const world = await makeSection(t, 'world', 'World');
      const video = await t.services.repos.media.insert({
        kind: 'video', storage_key: '2026/11/19/test_1_25f_16x9.mp4', mime: 'video/mp4', width: 1280, height: 720, bytes: 1000,
        duration_ms: 65_400, poster_key: '2026/11/19/test_2_25f_16x9.jpg', alt: 'River at dawn', caption: 'The river', credit: 'V', created_at: t.clock.now,
      });
      const id = await makeArticle(t, world, { headline: 'Watch: the river', leadMediaId: video, byline: '' });
      const a = (await t.services.repos.articles.findById(id))!;
      const news = jsonLd((await t.app.inject({ url: `/news/${id}/${a.slug}` })).body).find((d) => d['@type'] === 'NewsArticle')!;
      assert.equal(news.video['@type'], 'VideoObject');
      assert.equal(news.video.duration, 'PT1M5S');
      assert.equal(news.video.contentUrl, 'http://news.test/media/2026/11/19/test_1_25f_16x9.mp4');
      assert.deepEqual(news.video.thumbnailUrl, ['http://news.test/media/2026/11/19/test_2_25f_16x9.jpg']);
      assert.equal(news.video.description, 'The river');
      assert.match(news.video.uploadDate, RFC3339_OFFSET);
      // No byline: the author is the organisation, never an empty Person.
      assert.equal(news.author['@type'], 'Organization');
    });
  });
}
