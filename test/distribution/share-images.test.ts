import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import sharp from 'sharp';
import { migrateToLatest } from '../../src/db/migrator.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/databases.js';
import { makeArticle, makeSection } from '../helpers/factories.js';
import { tempFile, twoToneJpeg } from '../helpers/media-files.js';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const newsArticle = (html: string): Doc =>
  [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)]
    .flatMap((m) => JSON.parse(m[1]!) as Doc | Doc[])
    .find((d: Doc) => d['@type'] === 'NewsArticle')!;
const metaContent = (html: string, property: string) => new RegExp(`<meta property="${property}" content="([^"]*)"/>`).exec(html)?.[1];
const local = (url: string) => url.replace('http://news.test', '');

/**
 * Originals and the rendition width each structured-data crop (16x9, 4x3, 1x1) must use:
 * at least 1200 whenever the crop of the original is at least 1200 wide, never wider than it.
 */
const CASES = [
  // 1000 wide: no crop reaches 1200; the widest standard width inside 1000 is 640.
  { width: 1000, height: 750, expected: [640, 640, 640] },
  // 1200 square: every crop is 1200 wide, so every image is the 1200 rendition (was 1024).
  { width: 1200, height: 1200, expected: [1200, 1200, 1200] },
  // 1500 square: every crop 1500 wide, under 1600: the 1200 rendition (was 1024).
  { width: 1500, height: 1500, expected: [1200, 1200, 1200] },
  // 1500×1000: 16x9 (1500) and 4x3 (1333) crops get 1200; the square crop is only 1000 wide, so 640.
  { width: 1500, height: 1000, expected: [1200, 1200, 640] },
  // 2400×1600: every crop is 1600 or wider: the 1600 rendition.
  { width: 2400, height: 1600, expected: [1600, 1600, 1600] },
] as const;

for (const engine of DIALECTS) {
  describe(`structured-data and share pictures at 1200 px on ${engine}`, () => {
    let t: TestApp;
    const stories: { width: number; height: number; expected: readonly number[]; id: number; slug: string; mediaId: number }[] = [];

    before(async () => {
      t = await createTestApp(engine);
      const world = await makeSection(t, 'world', 'World');
      for (const c of CASES) {
        const picture = await t.services.media.ingest({ path: tempFile(`p${c.width}x${c.height}.jpg`, await twoToneJpeg(c.width, c.height)), alt: `A ${c.width} px picture` });
        await t.runJobs();
        const id = await makeArticle(t, world, { headline: `Story with a ${c.width}×${c.height} picture`, leadMediaId: picture.id });
        stories.push({ ...c, id, slug: (await t.services.repos.articles.findById(id))!.slug, mediaId: picture.id });
      }
    });
    after(() => t.cleanup());

    test('NewsArticle images use a rendition at least 1200 px wide whenever the crop of the original allows it', async () => {
      for (const s of stories) {
        const label = `${s.width}×${s.height}`;
        const html = (await t.app.inject({ url: `/news/${s.id}/${s.slug}` })).body;
        const images = newsArticle(html).image as Doc[];
        assert.deepEqual(images.map((i) => i.width), [...s.expected], label);
        assert.deepEqual(images.map((i) => Math.round((i.width / i.height) * 100) / 100), [1.78, 1.33, 1], label);
        for (const image of images) {
          assert.ok(image.width <= s.width, `${label}: ${image.url} is never upscaled`);
          // The file exists and is what the structured data says it is.
          const res = await t.app.inject({ url: local(image.url) });
          assert.equal(res.statusCode, 200, image.url);
          const info = await sharp(res.rawPayload).metadata();
          assert.equal(`${info.format} ${info.width}x${info.height}`, `jpeg ${image.width}x${image.height}`, image.url);
        }
        // og:image is the 16x9 structured-data picture, with its size.
        assert.equal(metaContent(html, 'og:image'), images[0]!.url, label);
        assert.equal(metaContent(html, 'og:image:width'), String(images[0]!.width), label);
        assert.equal(metaContent(html, 'og:image:height'), String(images[0]!.height), label);
      }
    });

    test('upgrading redoes pictures made before the 1200 width; pages show the original meanwhile, never a missing file', async () => {
      const square = stories.find((s) => s.width === 1200)!;
      const small = stories.find((s) => s.width === 1000)!;
      // The database as it was before migration 022: no sitemap index, no 1200 renditions.
      const wide = await t.handle.db.selectFrom('media_renditions').select('storage_key').where('media_id', '=', square.mediaId).where('width', '=', 1200).execute();
      assert.equal(wide.length, 9, 'three crops × three formats at 1200');
      for (const r of wide) await t.services.mediaStore.delete(r.storage_key);
      await t.handle.db.deleteFrom('media_renditions').where('media_id', '=', square.mediaId).where('width', '=', 1200).execute();
      await sql`drop index articles_sitemap`.execute(t.handle.db);
      await sql`drop index articles_visible_id`.execute(t.handle.db);
      await sql`create index articles_status_published on articles (status, published_at, id)`.execute(t.handle.db);
      await sql`delete from kysely_migration where name = '022-distribution'`.execute(t.handle.db);

      await migrateToLatest(t.handle);
      const state = async (id: number) => (await t.handle.db.selectFrom('media').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state;
      const jobsFor = async (id: number) =>
        t.handle.db.selectFrom('jobs').select(['name', 'status']).where('key', '=', `renditions:${id}`).where('status', '=', 'pending').execute();
      assert.equal(await state(square.mediaId), 'processing');
      assert.deepEqual(await jobsFor(square.mediaId), [{ name: 'media.renditions', status: 'pending' }]);
      assert.equal(await state(small.mediaId), 'ready', 'a picture no crop of which reaches 1200 is left alone');
      assert.deepEqual(await jobsFor(small.mediaId), []);

      // Meanwhile: the original, which exists, and every asset of the page answers.
      const during = (await t.app.inject({ url: `/news/${square.id}/${square.slug}` })).body;
      const images = newsArticle(during).image as Doc[];
      assert.equal(images.length, 1);
      assert.equal(images[0]!.width, 1200);
      assert.match(images[0]!.url, /_orig_/);
      for (const m of during.matchAll(/\s(?:src|srcset)="([^"]+)"/g)) {
        for (const part of m[1]!.split(',')) {
          const url = part.trim().split(/\s+/)[0]!.replace(/&amp;/g, '&');
          if (url.startsWith('/media/')) assert.equal((await t.app.inject({ url })).statusCode, 200, url);
        }
      }

      // The job (due from the migration's time on) makes the 1200 renditions.
      t.clock.set(Date.now() + 1000);
      await t.runJobs();
      assert.equal(await state(square.mediaId), 'ready');
      const after = newsArticle((await t.app.inject({ url: `/news/${square.id}/${square.slug}` })).body).image as Doc[];
      assert.deepEqual(after.map((i) => i.width), [1200, 1200, 1200]);
      for (const image of after) assert.equal((await t.app.inject({ url: local(image.url) })).statusCode, 200, image.url);
    });
  });
}
