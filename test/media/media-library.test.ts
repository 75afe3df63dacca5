import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { plannedRenditions } from '../../src/domain/media-keys.js';
import { resetFfmpegCheck } from '../../src/services/media-probe.js';
import { DIALECTS, createTestDb, type TestDb } from '../helpers/databases.js';
import { makeArticle, makeSection } from '../helpers/factories.js';
import { pngBomb, pngOf, tempFile, testClip, twoToneJpeg } from '../helpers/media-files.js';
import { startLocalS3, type LocalS3 } from '../helpers/s3.js';

const KEY = /^\d{4}\/\d{2}\/\d{2}\/test_\d{18}_orig_[0-9x]+\.(jpg|png|mp4)$/;
const STORES = ['local', 's3'] as const;

for (const engine of DIALECTS) {
  for (const storeKind of STORES) {
    describe(`media library on ${engine} with ${storeKind} store`, () => {
      let t: TestDb;
      let s3: LocalS3 | null = null;
      before(async () => {
        if (storeKind === 's3') s3 = await startLocalS3();
        t = await createTestDb(engine, { s3: s3?.s3, maxImageMegapixels: 40 });
      });
      after(async () => {
        await t.cleanup();
        await s3?.close();
      });

      const ingestBuffer = (data: Buffer, name: string, extra: { declaredMime?: string; uploadedAt?: number } = {}) =>
        t.services.media.ingest({ path: tempFile(name, data), filename: name, alt: 'Alt text', ...extra });

      test('a photo is stored under a date folder with a tick name, oriented, and rendered in every crop, width and format without metadata', async () => {
        const jpeg = await twoToneJpeg(600, 400, { orientation: 6, gps: true });
        const item = await ingestBuffer(jpeg, 'harbour.jpg', { declaredMime: 'image/jpeg', uploadedAt: Date.parse('2013-05-31T20:48:16.715Z') });
        assert.match(item.key, KEY);
        assert.match(item.key, /^2013\/05\/31\/test_6350563009671\d{5}_orig_2x3\.jpg$/);
        assert.deepEqual([item.width, item.height], [400, 600], 'EXIF orientation applied to the size');
        assert.equal(item.state, 'processing');
        assert.equal(await t.runJobs(), 1);
        const ready = await t.services.media.get(item.id);
        assert.equal(ready.state, 'ready');
        const rows = await t.services.repos.media.renditionsOf(item.id);
        const planned = plannedRenditions({ key: ready.key, width: 400, height: 600, version: 1 });
        assert.deepEqual(rows.map((r) => r.storage_key).sort(), planned.map((p) => p.key).sort());
        assert.deepEqual(new Set(rows.map((r) => r.ratio)), new Set(['16x9', '4x3', '1x1']));
        assert.deepEqual(new Set(rows.map((r) => r.format)), new Set(['avif', 'webp', 'jpeg']));
        for (const r of rows) {
          const bytes = await t.services.mediaStore.read(r.storage_key);
          const meta = await sharp(bytes).metadata();
          assert.equal(meta.format === 'heif' ? 'avif' : meta.format, r.format);
          assert.deepEqual([meta.width, meta.height], [r.width, r.height], r.storage_key);
          assert.equal(meta.exif, undefined, 'no EXIF (so no GPS) in renditions');
        }
        const original = await sharp(await t.services.mediaStore.read(item.key)).metadata();
        assert.ok(original.exif, 'the original is kept as uploaded');
      });

      test('crops follow the focal point and a new focal point makes new file names', async () => {
        const item = await ingestBuffer(await twoToneJpeg(450, 800), 'tall.jpg');
        await t.runJobs();
        const colourOf = async (key: string) => {
          const { channels } = await sharp(await t.services.mediaStore.read(key)).stats();
          return channels[0]!.mean > channels[2]!.mean ? 'red' : 'blue';
        };
        const wide = (version: number) => plannedRenditions({ key: item.key, width: 450, height: 800, version }).find((r) => r.ratio === '16x9' && r.format === 'jpeg')!.key;
        assert.equal(await colourOf(wide(1)), 'blue', 'centre of the picture is the boundary; default centre crop');
        await t.services.media.update(item.id, { focalY: 0 });
        await t.runJobs();
        assert.equal(await colourOf(wide(2)), 'red');
        assert.notEqual(wide(1), wide(2));
        assert.equal(await t.services.mediaStore.exists(wide(1)), false, 'old crop removed');
        await t.services.media.update(item.id, { focalY: 1 });
        await t.runJobs();
        assert.equal(await colourOf(wide(3)), 'blue');
      });

      test('uploads in the same tick get different names', async () => {
        const at = Date.parse('2026-11-24T10:00:00Z');
        const png = await pngOf(64, 48);
        const a = await ingestBuffer(png, 'a.png', { uploadedAt: at });
        const b = await ingestBuffer(png, 'b.png', { uploadedAt: at });
        assert.notEqual(a.key, b.key);
        assert.match(a.key, /_orig_4x3\.png$/);
      });

      test('lies, truncated files, bombs and non-media are refused and leave nothing behind', async () => {
        const before = await t.services.mediaStore.list();
        const rowsBefore = (await t.services.media.list({ limit: 1000 })).length;
        const jpeg = await twoToneJpeg(300, 200);
        const cases: [Buffer, string, string | undefined, number, RegExp][] = [
          [await pngOf(40, 40), 'photo.jpg', undefined, 415, /named \.jpg but its content is image\/png/],
          [jpeg, 'photo.jpg', 'image/png', 415, /sent as image\/png but its content is image\/jpeg/],
          [Buffer.from('just some text, not a picture at all'), 'notes.jpg', 'image/jpeg', 415, /not a recognised image or video/],
          [Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'x.svg', 'image/svg+xml', 415, /upload JPEG, PNG/],
          [jpeg.subarray(0, Math.floor(jpeg.length / 2)), 'half.jpg', 'image/jpeg', 422, /truncated or damaged/],
          [pngBomb(100_000, 100_000), 'bomb.png', 'image/png', 413, /10000000000|100000×100000 .*the limit is 40 megapixels/],
        ];
        for (const [data, name, declared, status, message] of cases) {
          await assert.rejects(
            () => ingestBuffer(data, name, { declaredMime: declared }),
            (err: { status?: number; message: string }) => {
              assert.equal(err.status, status, `${name}: ${err.message}`);
              assert.match(err.message, message);
              return true;
            },
          );
        }
        assert.deepEqual(await t.services.mediaStore.list(), before, 'no files left');
        assert.equal((await t.services.media.list({ limit: 1000 })).length, rowsBefore, 'no rows left');
      });

      test('videos: probed, poster frame rendered, damaged ones refused', async (ctx) => {
        const clip = testClip(1);
        if (!clip) return ctx.skip('ffmpeg is not installed here (CI installs it)');
        const item = await ingestBuffer(clip, 'report.mp4', { declaredMime: 'video/mp4' });
        assert.equal(item.kind, 'video');
        assert.match(item.key, /_orig_4x3\.mp4$/);
        assert.deepEqual([item.width, item.height], [320, 240]);
        assert.ok(item.durationMs! >= 900 && item.durationMs! <= 1200, String(item.durationMs));
        assert.match(item.codecs, /h264/);
        assert.ok(item.posterKey && (await t.services.mediaStore.exists(item.posterKey)));
        await t.runJobs();
        const rows = await t.services.repos.media.renditionsOf(item.id);
        assert.ok(rows.some((r) => r.ratio === '4x3' && r.format === 'jpeg'));
        await assert.rejects(() => ingestBuffer(clip.subarray(0, 2000), 'cut.mp4'), /could not be read|truncated|damaged/);
      });

      test('without ffmpeg a video still uploads, with a clear warning', async () => {
        const clip = testClip(1);
        if (!clip) return;
        const saved = process.env.FFPROBE_PATH;
        process.env.FFPROBE_PATH = '/nonexistent/ffprobe';
        resetFfmpegCheck();
        try {
          const item = await ingestBuffer(clip, 'noffmpeg.mp4');
          assert.equal(item.kind, 'video');
          assert.equal(item.state, 'ready');
          assert.equal(item.posterKey, null);
          assert.match(item.warnings[0]!, /ffmpeg\/ffprobe is not installed/);
        } finally {
          if (saved === undefined) delete process.env.FFPROBE_PATH;
          else process.env.FFPROBE_PATH = saved;
          resetFfmpegCheck();
        }
      });

      test('one item in many articles; usage shown; deletion only when unused', async () => {
        const item = await ingestBuffer(await pngOf(800, 600), 'shared.png');
        await t.runJobs();
        const section = await makeSection(t, `s-${storeKind}`, 'S');
        const a1 = await makeArticle(t, section, { leadMediaId: item.id });
        const a2 = await makeArticle(t, section, { leadMediaId: item.id });
        assert.deepEqual((await t.services.media.usage(item.id)).map((u) => u.id).sort(), [a1, a2].sort());
        await assert.rejects(() => t.services.media.delete(item.id), /used by 2 article/);
        const lone = await ingestBuffer(await pngOf(300, 300), 'lone.png');
        await t.runJobs();
        const keys = (await t.services.repos.media.renditionsOf(lone.id)).map((r) => r.storage_key);
        await t.services.media.delete(lone.id);
        assert.equal(await t.services.repos.media.findById(lone.id), null);
        for (const k of [lone.key, ...keys]) assert.equal(await t.services.mediaStore.exists(k), false, k);
      });
    });
  }
}
