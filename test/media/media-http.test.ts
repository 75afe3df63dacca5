import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/databases.js';
import { makeArticle, makeSection } from '../helpers/factories.js';
import { pngOf, testClip, twoToneJpeg } from '../helpers/media-files.js';
import { login, makeUser, type Client } from '../helpers/newsroom.js';

/** A multipart/form-data body with one file part and optional text fields. */
function multipart(file: { data: Buffer; filename: string; type: string } | null, fields: Record<string, string> = {}) {
  const boundary = `----dateline${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  if (file) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.filename}"\r\nContent-Type: ${file.type}\r\n\r\n`));
    parts.push(file.data, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

for (const engine of DIALECTS) {
  describe(`media over HTTP on ${engine}`, () => {
    let t: TestApp;
    let author: Client;
    let contributor: Client;
    before(async () => {
      t = await createTestApp(engine, { mediaMaxUploadMb: 1 });
      author = await login(t.app, await makeUser(t, 'author'));
      contributor = await login(t.app, await makeUser(t, 'contributor'));
    });
    after(() => t.cleanup());

    const upload = (client: Client | null, file: Parameters<typeof multipart>[0], fields: Record<string, string> = {}, csrf = true) => {
      const body = multipart(file, fields);
      const headers: Record<string, string> = { 'content-type': body.contentType };
      if (client) {
        headers.cookie = client.cookie;
        if (csrf) headers['x-csrf-token'] = client.csrfToken;
      }
      return t.app.inject({ method: 'POST', url: '/api/admin/media', headers, payload: body.payload });
    };

    test('upload a photo, get its renditions, set its focal point', async () => {
      const jpeg = await twoToneJpeg(900, 600);
      const res = await upload(contributor, { data: jpeg, filename: 'market.jpg', type: 'image/jpeg' }, { alt: 'Stalls at the market', credit: 'Dateline/Test' });
      assert.equal(res.statusCode, 201, res.body);
      const item = res.json();
      assert.match(item.key, /^\d{4}\/\d{2}\/\d{2}\/test_\d{18}_orig_3x2\.jpg$/);
      assert.equal(item.alt, 'Stalls at the market');
      assert.equal(item.state, 'processing');
      assert.deepEqual(item.renditions, []);
      await t.runJobs();
      const ready = (await author.get(`/api/admin/media/${item.id}`)).json();
      assert.equal(ready.state, 'ready');
      assert.ok(ready.renditions.some((r: { ratio: string; format: string; width: number; url: string }) => r.ratio === '4x3' && r.format === 'avif' && r.width === 640 && r.url.endsWith('_640w_4x3.avif')));
      const file = await t.app.inject({ url: new URL(ready.renditions[0].url).pathname });
      assert.equal(file.statusCode, 200);
      assert.match(file.headers['cache-control'] as string, /immutable/);
      const patched = await author.patch(`/api/admin/media/${item.id}`, { focalX: 0.2, focalY: 0.8, caption: 'Morning' });
      assert.equal(patched.statusCode, 200, patched.body);
      assert.equal(patched.json().state, 'processing');
      await t.runJobs();
      const again = (await author.get(`/api/admin/media/${item.id}`)).json();
      assert.ok(again.renditions[0].url.includes('wv2_'), 'new names after a new crop');
      const library = (await author.get('/api/admin/media?q=market')).json();
      assert.deepEqual(library.items.map((i: { id: number }) => i.id), [item.id]);
      const publicItem = await t.app.inject({ url: `/api/v1/media/${item.id}` });
      assert.equal(publicItem.json().renditions.length, again.renditions.length);
    });

    test('refusals: too large, mislabelled, truncated, not multipart, no CSRF, no session — nothing kept', async () => {
      const before = await t.services.mediaStore.list();
      const big = await sharp({ create: { width: 1400, height: 1000, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 60 } } }).jpeg({ quality: 100 }).toBuffer();
      assert.ok(big.length > 1024 * 1024);
      const jpeg = await twoToneJpeg(300, 200);
      const cases: [Awaited<ReturnType<typeof upload>>, number, RegExp][] = [
        [await upload(author, { data: big, filename: 'big.jpg', type: 'image/jpeg' }), 413, /larger than the upload limit of 1 MB/],
        [await upload(author, { data: await pngOf(50, 50), filename: 'fake.jpg', type: 'image/jpeg' }), 415, /content is image\/png/],
        [await upload(author, { data: jpeg.subarray(0, 800), filename: 'cut.jpg', type: 'image/jpeg' }), 422, /truncated or damaged/],
        [await upload(author, null, { alt: 'no file' }), 400, /No file was sent/],
        [await author.post('/api/admin/media', { file: 'not multipart' }), 415, /multipart\/form-data/],
        [await upload(author, { data: jpeg, filename: 'a.jpg', type: 'image/jpeg' }, {}, false), 403, /CSRF|csrf/],
        [await upload(null, { data: jpeg, filename: 'a.jpg', type: 'image/jpeg' }), 401, /sign in|session|authenticat/i],
      ];
      for (const [res, status, detail] of cases) {
        assert.equal(res.statusCode, status, res.body);
        assert.match(res.headers['content-type'] as string, /application\/problem\+json/);
        assert.match(res.json().detail, detail);
      }
      assert.deepEqual(await t.services.mediaStore.list(), before);
    });

    test('pages serve AVIF/WebP/JPEG renditions with sizes, video with poster; legacy pic uses date-folder tick names', async (ctx) => {
      const photo = (await upload(author, { data: await twoToneJpeg(1200, 800), filename: 'lead.jpg', type: 'image/jpeg' }, { alt: 'Lead photo' })).json();
      const clip = testClip(1);
      if (!clip) return ctx.skip('ffmpeg is not installed (CI installs it)');
      const video = (await upload(author, { data: clip, filename: 'clip.mp4', type: 'video/mp4' }, { alt: 'Clip' })).json();
      assert.equal(video.kind, 'video');
      await t.runJobs();
      const s = await makeSection(t, 'media-s', 'Media');
      const withVideo = await makeArticle(t, s, { leadMediaId: video.id, headline: 'Video item' });
      const withPhoto = await makeArticle(t, s, { leadMediaId: photo.id, headline: 'Photo item' });
      const main = await makeArticle(t, s, { leadMediaId: photo.id, headline: 'Main story' });
      await t.services.publishing.setRelated(main, [withPhoto, withVideo]);
      const a = await t.services.repos.articles.findById(main);
      const page = (await t.app.inject({ url: `/news/${main}/${a!.slug}` })).body;
      assert.match(page, /<picture><source type="image\/avif" srcset="\/media\/[^"]*_320w_16x9\.avif 320w, [^"]*_640w_16x9\.avif 640w, [^"]*_1024w_16x9\.avif 1024w, [^"]*_1200w_16x9\.avif 1200w" sizes="[^"]+"\/>/);
      assert.match(page, /<source type="image\/webp" srcset="[^"]*_320w_16x9\.webp 320w/);
      assert.match(page, /<img src="\/media\/[^"]*_640w_16x9\.jpg" srcset="[^"]*_320w_16x9\.jpg 320w[^"]*" sizes="[^"]+" alt="Lead photo" width="640" height="360"/);
      const videoPage = (await t.app.inject({ url: `/news/${withVideo}/video-item` })).body;
      assert.match(videoPage, /<video controls preload="none" poster="\/media\/[^"]+_320w_16x9\.jpg" width="320" height="240"[^>]*><source src="\/media\/[^"]+_orig_4x3\.mp4" type="video\/mp4"\/><\/video>/);
      const legacy = (await t.app.inject({ url: `/api/legacy/related/${main}` })).json() as { pic: string }[];
      assert.match(legacy[0]!.pic, /^\/\d{4}\/\d{2}\/\d{2}\/test_\d{18}_640w_4x3\.jpg$/);
      assert.match(legacy[1]!.pic, /^\/\d{4}\/\d{2}\/\d{2}\/test_\d{18}_orig_4x3\.mp4$/);
      const usage = (await author.get(`/api/admin/media/${photo.id}/usage`)).json();
      assert.equal(usage.items.length, 2);
      const blocked = await (await login(t.app, await makeUser(t, 'editor'))).del(`/api/admin/media/${photo.id}`);
      assert.equal(blocked.statusCode, 409);
      assert.match(blocked.json().detail, /used by 2 article/);
      assert.equal((await contributor.del(`/api/admin/media/${photo.id}`)).statusCode, 403, 'contributors cannot delete');
    });
  });
}
