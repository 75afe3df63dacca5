import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { CompiledQuery, sql } from 'kysely';
import { DistributionRepository, type SitemapRow } from '../../src/db/repositories/distribution.repository.js';
import { distributionSettings } from '../../src/services/distribution/distribution-settings.js';
import { SitemapService, w3cDate } from '../../src/services/distribution/sitemap.service.js';
import { escapeXml, truncate, xmlSafe } from '../../src/services/distribution/text.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/databases.js';
import { xmllintValidate } from '../helpers/distribution.js';
import { makeArticle, makeImage, makeSection } from '../helpers/factories.js';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const locs = (xml: string) => [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]!);
const text = async (iter: AsyncIterable<string>) => {
  let out = '';
  for await (const chunk of iter) out += chunk;
  return out;
};

for (const engine of DIALECTS) {
  describe(`sitemaps on ${engine}`, () => {
    let t: TestApp;
    let old: number;
    let recent: number;
    let videoStory: number;
    let arabic: number;

    before(async () => {
      t = await createTestApp(engine, { robotsDisallow: ['/admin/', '/private/'] });
      const world = await makeSection(t, 'world', 'World');
      await makeSection(t, 'empty', 'Empty');
      const video = await t.services.repos.media.insert({
        kind: 'video', storage_key: '2026/11/19/test_1_25f_16x9.mp4', mime: 'video/mp4', width: 1280, height: 720, bytes: 1000,
        duration_ms: 42_400, poster_key: '2026/11/19/test_2_25f_16x9.jpg', alt: 'Smoke over the river', caption: 'Smoke & fire', credit: 'V', created_at: NOW,
      });
      old = await makeArticle(t, world, { headline: 'Qusayr & the <old> days', publishedAt: Date.parse('2013-06-01T06:38:45Z'), leadMediaId: await makeImage(t, '2013/06/01/lead_1_25f_4x3.jpg'), tags: [{ kind: 'place', name: 'Qusayr' }] });
      await makeArticle(t, world, { headline: 'Second story of June 2013', publishedAt: Date.parse('2013-06-20T10:00:00Z') });
      await makeArticle(t, world, { headline: 'Third story of June 2013', publishedAt: Date.parse('2013-06-30T23:59:59Z') });
      recent = await makeArticle(t, world, { headline: 'Fresh news', publishedAt: NOW - 3600_000, tags: [{ kind: 'topic', name: 'Floods' }] });
      videoStory = await makeArticle(t, world, { headline: 'Watch: the river at dawn', publishedAt: NOW - 7200_000, leadMediaId: video });
      arabic = await makeArticle(t, world, { language: 'ar', headline: 'أخبار عاجلة', publishedAt: NOW - 600_000 });
      await makeArticle(t, world, { headline: 'Three days old', publishedAt: NOW - 72 * 3600_000 });
      await makeArticle(t, world, { headline: 'Embargoed until tomorrow', publishedAt: NOW + 86_400_000 });
      await makeArticle(t, world, { status: 'draft', headline: 'Draft' });
    });
    after(() => t.cleanup());

    test('the index validates against siteindex.xsd and every file it lists validates against the sitemap schemas', async () => {
      const res = await t.app.inject({ url: '/sitemap.xml' });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'application/xml; charset=utf-8');
      assert.equal(res.headers['surrogate-key'], 'sitemap');
      await xmllintValidate(res.body);
      const files = locs(res.body);
      assert.deepEqual(files, [
        'http://news.test/sitemap-news.xml',
        'http://news.test/sitemaps/sections.xml',
        'http://news.test/sitemaps/topics-1.xml',
        'http://news.test/sitemaps/articles/2026-11.xml',
        'http://news.test/sitemaps/articles/2013-06.xml',
      ]);
      for (const file of files) {
        const doc = await t.app.inject({ url: file.replace('http://news.test', '') });
        assert.equal(doc.statusCode, 200, file);
        assert.match(doc.headers['surrogate-key'] as string, /\bsitemap\b/);
        await xmllintValidate(doc.body);
      }
    });

    test('a month sitemap lists its visible articles with their real last change, images and videos', async () => {
      const june = await t.app.inject({ url: '/sitemaps/articles/2013-06.xml' });
      assert.equal(locs(june.body).filter((l) => l.includes('/news/')).length, 3);
      const a = (await t.services.repos.articles.findById(old))!;
      assert.ok(june.body.includes(`<url><loc>http://news.test/news/${old}/${a.slug}</loc><lastmod>${w3cDate(Math.max(a.updatedAt, a.publishedAt!))}</lastmod>`));
      assert.match(june.body, /<image:image><image:loc>http:\/\/news\.test\/media\/2013\/06\/01\/lead_1_25f_4x3\.jpg<\/image:loc><image:caption>Caption<\/image:caption><image:title>A test picture<\/image:title><\/image:image>/);
      const november = await t.app.inject({ url: '/sitemaps/articles/2026-11.xml' });
      const ids = locs(november.body).filter((l) => l.includes('/news/')).map((l) => Number(/\/news\/(\d+)\//.exec(l)![1]));
      assert.ok(ids.includes(recent) && ids.includes(videoStory) && ids.includes(arabic));
      assert.ok(!november.body.includes('Embargoed') && !november.body.includes('Draft'));
      assert.equal(ids.length, 4, 'recent, video, arabic and the three-day-old story; not the embargoed one or the draft');
      assert.match(
        november.body,
        /<video:video><video:thumbnail_loc>http:\/\/news\.test\/media\/2026\/11\/19\/test_2_25f_16x9\.jpg<\/video:thumbnail_loc><video:title>Watch: the river at dawn<\/video:title><video:description>A dek<\/video:description><video:content_loc>http:\/\/news\.test\/media\/2026\/11\/19\/test_1_25f_16x9\.mp4<\/video:content_loc><video:duration>42<\/video:duration><video:publication_date>2026-11-20T10:00:00\+00:00<\/video:publication_date><\/video:video>/,
      );
    });

    test('the Google News sitemap holds only the last 48 hours, with publication name and language', async () => {
      const res = await t.app.inject({ url: '/sitemap-news.xml' });
      await xmllintValidate(res.body);
      const ids = locs(res.body).map((l) => Number(/\/news\/(\d+)\//.exec(l)![1]));
      assert.deepEqual(ids, [arabic, recent, videoStory]);
      assert.match(res.body, /<news:publication><news:name>Dateline Test<\/news:name><news:language>ar<\/news:language><\/news:publication>/);
      assert.match(res.body, /<news:title>Fresh news<\/news:title>/);
      assert.equal(res.headers['surrogate-key'], `sitemap latest article-${arabic} article-${recent} article-${videoStory}`);
    });

    test('section and topic sitemaps list their pages', async () => {
      const sections = await t.app.inject({ url: '/sitemaps/sections.xml' });
      // Every site language's home and section pages (the default at /, the others under their prefix).
      assert.deepEqual(locs(sections.body), [
        'http://news.test/', 'http://news.test/ar/', 'http://news.test/fa/',
        'http://news.test/section/world', 'http://news.test/ar/section/world', 'http://news.test/fa/section/world',
        'http://news.test/section/empty', 'http://news.test/ar/section/empty', 'http://news.test/fa/section/empty',
      ]);
      assert.match(sections.body, /<loc>http:\/\/news\.test\/section\/world<\/loc><lastmod>2026-11-20T11:50:00\+00:00<\/lastmod>/);
      const topics = await t.app.inject({ url: '/sitemaps/topics-1.xml' });
      assert.deepEqual(locs(topics.body).sort(), ['http://news.test/topic/floods', 'http://news.test/topic/qusayr']);
    });

    test('robots.txt names the sitemaps and the configured disallow list', async () => {
      const res = await t.app.inject({ url: '/robots.txt' });
      assert.equal(res.statusCode, 200);
      assert.match(res.headers['content-type'] as string, /^text\/plain/);
      assert.equal(res.body, 'User-agent: *\nDisallow: /admin/\nDisallow: /private/\n\nSitemap: http://news.test/sitemap.xml\nSitemap: http://news.test/sitemap-news.xml\n');
    });

    test('wrong sitemap names are 404 problems that explain the naming', async () => {
      for (const [url, pattern] of [
        ['/sitemaps/articles/2013-13.xml', /2026-11/],
        ['/sitemaps/articles/june.xml', /2026-11/],
        ['/sitemaps/articles/2013-06', /2026-11\.xml/],
        ['/sitemaps/articles/2001-01.xml', /No articles were published in 2001-01/],
        ['/sitemaps/articles/2013-06-2.xml', /has 1 sitemap file/],
        ['/sitemaps/topics-9.xml', /no topic sitemap 9/],
        ['/sitemaps/pages.xml', /index at \/sitemap\.xml/],
      ] as const) {
        const res = await t.app.inject({ url });
        assert.equal(res.statusCode, 404, url);
        assert.match(res.headers['content-type'] as string, /^application\/problem\+json/, url);
        assert.match(res.json().detail, pattern, url);
      }
    });

    test('a month is read from the covering index alone (no visit to the article rows)', async () => {
      const repo = new DistributionRepository(t.handle.db, t.handle.engine);
      const q = repo.sitemapBatch(Date.UTC(2013, 5, 1), Date.UTC(2013, 6, 1), NOW, { publishedAt: Date.UTC(2013, 5, 2), id: 1 }, 2000).compile();
      const plan = await t.handle.db.transaction().execute(async (trx) => {
        // A handful of rows: make PostgreSQL show the plan it uses on a large table.
        if (engine === 'postgres') await sql`set local enable_seqscan = off`.execute(trx);
        const explained = await trx.executeQuery(CompiledQuery.raw(`explain ${engine === 'sqlite' ? 'query plan ' : ''}${q.sql}`, [...q.parameters]));
        return (explained.rows as Record<string, unknown>[]).map((r) => String(r.detail ?? r['QUERY PLAN'])).join('\n');
      });
      if (engine === 'sqlite') assert.match(plan, /SEARCH articles USING COVERING INDEX articles_sitemap \(status=\? AND published_at>\? AND published_at<\?\)/, plan);
      else assert.match(plan, /Index Only Scan using articles_sitemap on articles/, plan);
      assert.doesNotMatch(plan, /TEMP B-TREE|Sort\b/, `rows come in index order, never sorted: ${plan}`);
      // And the rows read that way, in batches of two, are June 2013's three stories, oldest first.
      const rows: SitemapRow[] = [];
      for await (const batch of repo.sitemapRows(Date.UTC(2013, 5, 1), Date.UTC(2013, 6, 1), NOW, { limit: 10, batch: 2 })) rows.push(...batch);
      assert.deepEqual(rows.map((r) => r.id).slice(0, 1), [old]);
      assert.equal(rows.length, 3);
      assert.ok(rows.every((r, i) => i === 0 || r.publishedAt >= rows[i - 1]!.publishedAt));
    });

    test('a month with more articles than a file holds is split, every article in exactly one file, each valid', async () => {
      const repo = new DistributionRepository(t.handle.db, t.handle.engine);
      const s = t.services;
      const small = new SitemapService(s.repos.articles, repo, s.catalog, s.contentCache, () => t.clock.now, 2);
      const settings = distributionSettings({ siteName: 'Dateline Test', baseUrl: 'http://news.test', languages: ['en'], timeZone: 'UTC' });
      const index = await small.index(settings);
      await xmllintValidate(index);
      assert.ok(index.includes('/sitemaps/articles/2013-06.xml') && index.includes('/sitemaps/articles/2013-06-2.xml'));
      assert.ok(!index.includes('/sitemaps/articles/2013-06-3.xml'));
      const first = await text(await small.month(settings, '2013-06'));
      const second = await text(await small.month(settings, '2013-06-2'));
      await xmllintValidate(first);
      await xmllintValidate(second);
      const all = [...locs(first), ...locs(second)].filter((l) => l.includes('/news/'));
      assert.equal(all.length, 3);
      assert.equal(new Set(all).size, 3);
      await assert.rejects(small.month(settings, '2013-06-3'), /has 2 sitemap file/);
    });
  });
}

describe('sitemap text helpers (property-based)', () => {
  test('escaped text holds no markup or XML-invalid characters and unescapes to the safe text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const e = escapeXml(s);
        assert.ok(!/[<>"']/.test(e));
        assert.ok(!/&(?!(amp|lt|gt|quot|apos);)/.test(e));
        const back = e.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
        assert.equal(back, xmlSafe(s));
        // eslint-disable-next-line no-control-regex
        assert.ok(!/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.test(e));
      }),
      { numRuns: 500 },
    );
  });

  test('truncate never exceeds its limit and keeps short text whole', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.integer({ min: 2, max: 400 }), (s, max) => {
        const out = truncate(s, max);
        assert.ok([...out].length <= max);
        if ([...s].length <= max) assert.equal(out, s);
      }),
      { numRuns: 500 },
    );
  });

  test('lastmod dates are W3C datetimes with an explicit offset', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_102_444_800_000 }), (ms) => {
        const d = w3cDate(ms);
        assert.match(d, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/);
        assert.equal(Math.floor(Date.parse(d) / 1000), Math.floor(ms / 1000));
      }),
    );
  });
});
