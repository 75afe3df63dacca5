import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import Parser from 'rss-parser';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/databases.js';
import { JSON_FEED_SCHEMA, xmllintWellFormed } from '../helpers/distribution.js';
import { makeArticle, makeImage, makeSection } from '../helpers/factories.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const validateJsonFeed = ajv.compile(JSON.parse(readFileSync(JSON_FEED_SCHEMA, 'utf8')));

type Extra = { id?: string; 'dc:creator'?: string; 'media:content'?: { $: Record<string, string> }; 'media:thumbnail'?: { $: Record<string, string> }; 'content:encoded'?: string };
const parser = new Parser<Record<string, unknown>, Extra>({ customFields: { item: ['dc:creator', 'media:content', 'media:thumbnail', 'content:encoded'] } });

const RFC822 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} (GMT|[+-]\d{4})$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Checks the JSON Feed 1.1 rules (jsonfeed.org/version/1.1) the community schema does not state. */
function assertJsonFeed11(doc: Record<string, unknown>): void {
  assert.ok(validateJsonFeed(doc), JSON.stringify(validateJsonFeed.errors));
  assert.equal(Object.keys(doc)[0], 'version', 'version should appear at the very top');
  assert.equal(doc.version, 'https://jsonfeed.org/version/1.1');
  assert.equal(typeof doc.title, 'string');
  assert.ok(!('author' in doc), '1.1 deprecates author for authors');
  const items = doc.items as Record<string, unknown>[];
  assert.ok(Array.isArray(items));
  const ids = new Set<string>();
  for (const item of items) {
    assert.equal(typeof item.id, 'string');
    assert.ok(!ids.has(item.id as string), 'ids are unique');
    ids.add(item.id as string);
    assert.ok(typeof item.content_html === 'string' || typeof item.content_text === 'string', 'content_html or content_text is required');
    assert.ok(!('author' in item));
    for (const d of ['date_published', 'date_modified']) if (item[d] !== undefined) assert.match(item[d] as string, RFC3339);
    if (item.authors) assert.ok(Array.isArray(item.authors) && (item.authors as unknown[]).length > 0);
    for (const a of (item.attachments as Record<string, unknown>[] | undefined) ?? []) {
      assert.equal(typeof a.url, 'string');
      assert.equal(typeof a.mime_type, 'string');
    }
  }
}

for (const engine of DIALECTS) {
  describe(`feeds on ${engine}`, () => {
    let t: TestApp;
    let world: number;
    let story: number;
    let videoStory: number;
    let arabic: number;
    let sport: number;
    const feedUrls = (kind: string) => ['rss.xml', 'atom.xml', 'feed.json'].map((f) => `${kind}/${f}`);

    before(async () => {
      t = await createTestApp(engine);
      world = await makeSection(t, 'world', 'World');
      const sportSection = await makeSection(t, 'sport', 'Sport');
      const video = await t.services.repos.media.insert({
        kind: 'video', storage_key: '2013/05/28/test_635053398363632686_25f_4x3.mp4', mime: 'video/mp4', width: 640, height: 480, bytes: 123456,
        duration_ms: 65_000, poster_key: '2013/05/28/test_635053398363632685_25f_4x3.jpg', alt: 'Video alt', caption: 'Video caption', credit: 'V', created_at: t.clock.now,
      });
      story = await makeArticle(t, world, {
        headline: 'Groups of militants sent to battle in Qusayr:Sabra & <friends>',
        dek: 'Hundreds of fighters deployed',
        bodyHtml: '<p>Hundreds of fighters have been sent.</p><p><img src="/media/2013/06/01/inline.jpg" alt="inline"><a href="/section/world">more</a></p>',
        publishedAt: Date.parse('2013-06-01T06:38:45Z'),
        leadMediaId: await makeImage(t, '2013/06/01/lead_635057000000000000_25f_4x3.jpg'),
        tags: [{ kind: 'place', name: 'Qusayr' }],
        byline: 'Staff reporter',
      });
      videoStory = await makeArticle(t, world, { headline: 'Video: the battle for Qusayr', leadMediaId: video, publishedAt: Date.parse('2013-06-02T08:00:00Z'), tags: [{ kind: 'place', name: 'Qusayr' }] });
      arabic = await makeArticle(t, world, { language: 'ar', headline: 'الجيش يتقدم في القصير', bodyHtml: '<p>نص عربي</p>', publishedAt: Date.parse('2013-06-03T08:00:00Z') });
      sport = await makeArticle(t, sportSection, { headline: 'Cup final tonight', publishedAt: Date.parse('2013-06-04T08:00:00Z') });
      await makeArticle(t, world, { status: 'draft', headline: 'A draft nobody may see' });
    });
    after(() => t.cleanup());

    test('site RSS 2.0: parsed by rss-parser, full text, media, enclosure, creator, categories, self link, RFC 822 dates', async () => {
      const res = await t.app.inject({ url: '/feeds/rss.xml' });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'application/rss+xml; charset=utf-8');
      await xmllintWellFormed(res.body);
      const feed = await parser.parseString(res.body);
      assert.equal(feed.title, 'Dateline Test');
      assert.equal(feed.link, 'http://news.test/');
      assert.deepEqual(feed.items.map((i) => i.title), ['Cup final tonight', 'الجيش يتقدم في القصير', 'Video: the battle for Qusayr', 'Groups of militants sent to battle in Qusayr:Sabra & <friends>']);
      assert.ok(!res.body.includes('A draft nobody may see'));
      assert.match(res.body, /<atom:link href="http:\/\/news\.test\/feeds\/rss\.xml" rel="self" type="application\/rss\+xml"\/>/);
      assert.match(feed.lastBuildDate as string, RFC822);
      const main = feed.items.find((i) => i.title?.startsWith('Groups'))!;
      const slug = (await t.services.repos.articles.findById(story))!.slug;
      assert.equal(main.pubDate, 'Sat, 01 Jun 2013 06:38:45 GMT');
      assert.match(main.pubDate!, RFC822);
      assert.equal(main.link, `http://news.test/news/${story}/${slug}`);
      assert.equal(main.guid, `http://news.test/news/${story}`);
      assert.equal(main['dc:creator'], 'Staff reporter');
      const categories = (main.categories ?? []) as unknown as { _: string; $: { domain: string } }[];
      assert.deepEqual(categories.map((c) => [c._, c.$.domain]), [['World', 'http://news.test/section/world'], ['Qusayr', 'http://news.test/topic/qusayr']]);
      // Full text by default, links made absolute for readers elsewhere.
      assert.match(main['content:encoded']!, /<p>Hundreds of fighters have been sent.<\/p>/);
      assert.match(main['content:encoded']!, /src="http:\/\/news\.test\/media\/2013\/06\/01\/inline\.jpg"/);
      assert.match(main['content:encoded']!, /href="http:\/\/news\.test\/section\/world"/);
      assert.equal(main['media:content']!.$.url, 'http://news.test/media/2013/06/01/lead_635057000000000000_25f_4x3.jpg');
      assert.equal(main['media:content']!.$.medium, 'image');
      assert.equal(main['media:thumbnail']!.$.width, '1200');
      const video = feed.items.find((i) => i.title?.startsWith('Video'))!;
      assert.deepEqual({ ...video.enclosure }, { url: 'http://news.test/media/2013/05/28/test_635053398363632686_25f_4x3.mp4', length: '123456', type: 'video/mp4' });
      assert.equal(video['media:content']!.$.medium, 'video');
      assert.equal(video['media:content']!.$.duration, '65');
      assert.equal(video['media:thumbnail']!.$.url, 'http://news.test/media/2013/05/28/test_635053398363632685_25f_4x3.jpg');
    });

    test('site Atom 1.0: parsed, entries with RFC 3339 dates, authors, categories and a video enclosure', async () => {
      const res = await t.app.inject({ url: '/feeds/atom.xml' });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'application/atom+xml; charset=utf-8');
      await xmllintWellFormed(res.body);
      const feed = await parser.parseString(res.body);
      assert.equal(feed.items.length, 4);
      const main = feed.items.find((i) => i.title?.startsWith('Groups'))!;
      const slug = (await t.services.repos.articles.findById(story))!.slug;
      assert.equal(main.link, `http://news.test/news/${story}/${slug}`);
      assert.equal(main.id, `http://news.test/news/${story}`);
      assert.match(main.isoDate!, RFC3339);
      assert.match(res.body, /<updated>\d{4}-\d{2}-\d{2}T[\d:.]+Z<\/updated>/);
      assert.match(res.body, /<published>2013-06-01T06:38:45\.000Z<\/published>/);
      assert.match(res.body, /<author>\s*<name>Staff reporter<\/name>\s*<\/author>/);
      assert.match(res.body, /<category label="Qusayr" scheme="http:\/\/news\.test\/topic\/" term="qusayr"\/>/);
      assert.match(res.body, /<link rel="enclosure" href="http:\/\/news\.test\/media\/2013\/05\/28\/test_635053398363632686_25f_4x3\.mp4" type="video\/mp4" length="123456"\/>/);
      assert.match(res.body, /<link rel="self" href="http:\/\/news\.test\/feeds\/atom\.xml"\/>/);
      assert.match(main.content!, /Hundreds of fighters have been sent/);
    });

    test('site JSON Feed 1.1: valid against the schema and the spec, with authors, language and a video attachment', async () => {
      const res = await t.app.inject({ url: '/feeds/feed.json' });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'application/feed+json; charset=utf-8');
      const doc = res.json();
      assertJsonFeed11(doc);
      assert.equal(doc.feed_url, 'http://news.test/feeds/feed.json');
      assert.equal(doc.home_page_url, 'http://news.test/');
      const main = doc.items.find((i: { id: string }) => i.id === `http://news.test/news/${story}`);
      assert.deepEqual(main.authors, [{ name: 'Staff reporter' }]);
      assert.equal(main.language, 'en');
      assert.equal(main.date_published, '2013-06-01T06:38:45.000Z');
      assert.match(main.content_html, /Hundreds of fighters/);
      const ar = doc.items.find((i: { id: string }) => i.id === `http://news.test/news/${arabic}`);
      assert.equal(ar.language, 'ar');
      const video = doc.items.find((i: { id: string }) => i.id === `http://news.test/news/${videoStory}`);
      assert.deepEqual(video.attachments, [{ url: 'http://news.test/media/2013/05/28/test_635053398363632686_25f_4x3.mp4', mime_type: 'video/mp4', size_in_bytes: 123456, duration_in_seconds: 65 }]);
    });

    test('section, topic and language feeds carry only their stories, in all three formats', async () => {
      const cases: [string, number[]][] = [
        ['/feeds/section/world', [arabic, videoStory, story]],
        ['/feeds/section/sport', [sport]],
        ['/feeds/topic/qusayr', [videoStory, story]],
        ['/feeds/lang/ar', [arabic]],
        ['/feeds/lang/en', [sport, videoStory, story]],
      ];
      for (const [base, ids] of cases) {
        for (const url of feedUrls(base)) {
          const res = await t.app.inject({ url });
          assert.equal(res.statusCode, 200, url);
          let got: string[];
          if (url.endsWith('.json')) {
            const doc = res.json();
            assertJsonFeed11(doc);
            got = doc.items.map((i: { id: string }) => i.id);
          } else {
            await xmllintWellFormed(res.body);
            got = (await parser.parseString(res.body)).items.map((i) => (url.endsWith('rss.xml') ? i.guid! : (i.id as string)));
          }
          assert.deepEqual(got, ids.map((id) => `http://news.test/news/${id}`), url);
        }
      }
      const ar = await t.app.inject({ url: '/feeds/lang/ar/rss.xml' });
      assert.match(ar.body, /<language>ar<\/language>/);
      assert.equal(ar.headers['surrogate-key'], `feed lang-ar article-${arabic}`);
      const section = await t.app.inject({ url: '/feeds/section/sport/atom.xml' });
      assert.match(section.headers['surrogate-key'] as string, /^feed section-\d+ article-\d+$/);
      const site = await t.app.inject({ url: '/feeds/rss.xml' });
      assert.equal(site.headers['surrogate-key'], `feed latest article-${sport} article-${arabic} article-${videoStory} article-${story}`);
    });

    test('unknown sections, topics, languages and file names are 404 problems that say what exists', async () => {
      for (const [url, pattern] of [
        ['/feeds/section/nowhere/rss.xml', /section/i],
        ['/feeds/topic/nothing/atom.xml', /tag|topic/i],
        ['/feeds/lang/de/feed.json', /en, ar, fa/],
        ['/feeds/lang/!!/feed.json', /language/],
        ['/feeds/section/world/index.html', /rss\.xml, atom\.xml or feed\.json/],
        ['/feeds/podcast.xml', /rss\.xml, atom\.xml or feed\.json/],
      ] as const) {
        const res = await t.app.inject({ url });
        assert.equal(res.statusCode, 404, url);
        assert.match(res.headers['content-type'] as string, /^application\/problem\+json/, url);
        assert.match(res.json().detail, pattern, url);
      }
    });

    test('conditional GET: ETag and Last-Modified answer 304; Cache-Control is set; updated is the newest change', async () => {
      const first = await t.app.inject({ url: '/feeds/section/world/rss.xml' });
      const etag = first.headers.etag as string;
      const lastModified = first.headers['last-modified'] as string;
      assert.ok(etag);
      assert.match(first.headers['cache-control'] as string, /public, max-age=\d+/);
      const newest = Math.max(...(await Promise.all([story, videoStory, arabic].map((id) => t.services.repos.articles.findById(id)))).map((a) => Math.max(a!.updatedAt, a!.publishedAt!)));
      assert.equal(lastModified, new Date(newest).toUTCString());
      assert.match(first.body, new RegExp(`<lastBuildDate>${new Date(newest).toUTCString()}</lastBuildDate>`));

      const byTag = await t.app.inject({ url: '/feeds/section/world/rss.xml', headers: { 'if-none-match': etag } });
      assert.equal(byTag.statusCode, 304);
      assert.equal(byTag.body, '');
      const byDate = await t.app.inject({ url: '/feeds/section/world/rss.xml', headers: { 'if-modified-since': lastModified } });
      assert.equal(byDate.statusCode, 304);
      const older = await t.app.inject({ url: '/feeds/section/world/rss.xml', headers: { 'if-modified-since': new Date(newest - 60_000).toUTCString() } });
      assert.equal(older.statusCode, 200);
      // If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2).
      const staleTag = await t.app.inject({ url: '/feeds/section/world/rss.xml', headers: { 'if-none-match': '"other"', 'if-modified-since': lastModified } });
      assert.equal(staleTag.statusCode, 200);
      const garbage = await t.app.inject({ url: '/feeds/section/world/rss.xml', headers: { 'if-modified-since': 'yesterday-ish' } });
      assert.equal(garbage.statusCode, 200);
    });

    test('the feed list and every page link the feeds with rel=alternate', async () => {
      const list = await t.app.inject({ url: '/feeds' });
      assert.equal(list.statusCode, 200);
      for (const href of ['/feeds/rss.xml', '/feeds/lang/ar/atom.xml', '/feeds/section/world/feed.json', '/feeds/section/sport/rss.xml', '/feeds/topic/qusayr/rss.xml']) {
        assert.ok(list.body.includes(`href="${href}"`), href);
        assert.equal((await t.app.inject({ url: href })).statusCode, 200, href);
      }
      const a = await t.services.repos.articles.findById(story);
      const pages: [string, string[]][] = [
        ['/', ['/feeds/rss.xml', '/feeds/atom.xml', '/feeds/feed.json']],
        [`/news/${story}/${a!.slug}`, ['/feeds/rss.xml', '/feeds/section/world/rss.xml']],
        ['/section/world', ['/feeds/section/world/rss.xml', '/feeds/section/world/atom.xml', '/feeds/section/world/feed.json']],
        ['/topic/qusayr', ['/feeds/topic/qusayr/rss.xml']],
        ['/search?q=qusayr', ['/feeds/rss.xml']],
        ['/feeds', ['/feeds/rss.xml']],
      ];
      for (const [url, hrefs] of pages) {
        const res = await t.app.inject({ url });
        assert.equal(res.statusCode, 200, url);
        for (const href of hrefs) {
          const type = href.endsWith('rss.xml') ? 'application/rss\\+xml' : href.endsWith('atom.xml') ? 'application/atom\\+xml' : 'application/feed\\+json';
          assert.match(res.body, new RegExp(`<link rel="alternate" type="${type}" title="[^"]+" href="${href.replace(/\./g, '\\.')}"/>`), `${url} → ${href}`);
        }
      }
      const ar = (await t.services.repos.articles.findById(arabic))!;
      const arPage = await t.app.inject({ url: `/news/${arabic}/${encodeURIComponent(ar.slug)}` });
      assert.ok(arPage.body.includes('href="/feeds/lang/ar/rss.xml"'));
    });
  });
}

describe('feeds in excerpt mode', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp('sqlite', { feedContent: 'excerpt', feedItems: 2 });
    const world = await makeSection(t, 'world', 'World');
    for (let i = 0; i < 3; i++) await makeArticle(t, world, { dek: i === 0 ? '' : `Dek ${i}`, bodyHtml: `<p>Body number ${i} with <b>bold</b> text.</p>` });
  });
  after(() => t.cleanup());

  test('FEED_CONTENT=excerpt leaves the full text out; FEED_ITEMS caps the items', async () => {
    const rss = await t.app.inject({ url: '/feeds/rss.xml' });
    const feed = await parser.parseString(rss.body);
    assert.equal(feed.items.length, 2);
    assert.ok(!rss.body.includes('content:encoded'));
    assert.equal(feed.items[0]!.content, 'Body number 0 with bold text.');
    const atom = await t.app.inject({ url: '/feeds/atom.xml' });
    assert.ok(!atom.body.includes('<content'));
    const json = (await t.app.inject({ url: '/feeds/feed.json' })).json();
    assertJsonFeed11(json);
    assert.equal(json.items[1].content_html, 'Dek 1');
  });
});
