import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { SKIP, serveToBrowser } from '../helpers/browser.js';
import sharp from 'sharp';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeSection } from '../helpers/factories.js';
import { testClip } from '../helpers/media-files.js';
import { login, makeUser } from '../helpers/newsroom.js';


function multipart(data: Buffer, filename: string, type: string, alt: string) {
  const boundary = '----datelinebrowser';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="alt"\r\n\r\n${alt}\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, contentType: `multipart/form-data; boundary=${boundary}` };
}

describe('photos and video in a real browser', { skip: SKIP }, () => {
  let t: TestApp;
  let browser: Browser;
  let origin: string;
  let photoStory: string;
  let videoStory: string;
  before(async () => {
    t = await createTestApp('sqlite', { timeZone: 'UTC' });
    t.clock.set(Date.now());
    const section = await makeSection(t);
    const editor = await login(t.app, await makeUser(t, 'editor'));
    const upload = async (data: Buffer, filename: string, type: string, alt: string) => {
      const body = multipart(data, filename, type, alt);
      const res = await t.app.inject({ method: 'POST', url: '/api/admin/media', payload: body.payload, headers: { 'content-type': body.contentType, cookie: editor.cookie, 'x-csrf-token': editor.csrfToken } });
      assert.equal(res.statusCode, 201, res.body);
      return res.json() as { id: number };
    };
    // A large photo (12 MP) and a short clip.
    const big = await sharp({ create: { width: 4000, height: 3000, channels: 3, background: '#2a6f97', noise: { type: 'gaussian', mean: 100, sigma: 20 } } }).jpeg({ quality: 85 }).toBuffer();
    const photo = await upload(big, 'harbour.jpg', 'image/jpeg', 'The harbour at dawn');
    const clipBytes = testClip(2);
    assert.ok(clipBytes, 'ffmpeg is needed for the video part (CI installs it)');
    const clip = await upload(clipBytes, 'report.mp4', 'video/mp4', 'Video report from the harbour');
    const focal = await editor.patch(`/api/admin/media/${photo.id}`, { focalX: 0.3, focalY: 0.4 });
    assert.equal(focal.statusCode, 200, focal.body);
    await t.runJobs();
    const publish = async (headline: string, leadMediaId: number) => {
      const a = (await editor.post('/api/admin/articles', { headline, sectionId: section, bodyHtml: '<p>Text.</p>', leadMediaId })).json();
      const res = await editor.post(`/api/admin/articles/${a.id}/transitions`, { action: 'publish' });
      assert.equal(res.statusCode, 200, res.body);
      return new URL(res.json().publicUrl as string).pathname;
    };
    photoStory = await publish('Harbour reopens after the storm', photo.id);
    videoStory = await publish('Video: boats return to the harbour', clip.id);
    ({ origin, browser } = await serveToBrowser(t.app));
  });
  after(async () => {
    await browser?.close();
    await t?.cleanup();
  });

  test('the lead photo comes as AVIF at the width the layout needs, with its size set', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
    const avifRequests: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('.avif')) avifRequests.push(r.url());
    });
    await page.goto(`${origin}${photoStory}`);
    const img = page.locator('.lead-media img');
    await img.evaluate((el: HTMLImageElement) => (el.complete ? null : new Promise((r) => el.addEventListener('load', r, { once: true }))));
    const info = await img.evaluate((el: HTMLImageElement) => ({ src: el.currentSrc, natural: el.naturalWidth, w: el.getAttribute('width'), h: el.getAttribute('height') }));
    assert.match(info.src, /_1024wv2_16x9\.avif$/, `chose ${info.src}`);
    assert.equal(info.natural, 672, 'the 1024 px file fills the 42rem (672 px) column');
    assert.deepEqual([info.w, info.h], ['640', '360'], 'intrinsic size set: no layout shift');
    assert.ok(avifRequests.length >= 1);
    const phone = await browser.newPage({ viewport: { width: 390, height: 800 }, deviceScaleFactor: 1 });
    await phone.goto(`${origin}${photoStory}`);
    const phoneSrc = await phone.locator('.lead-media img').evaluate((el: HTMLImageElement) => el.currentSrc);
    assert.match(phoneSrc, /_640wv2_16x9\.avif$/, `phone chose ${phoneSrc}`);
    await page.close();
    await phone.close();
  });

  test('the video plays, with its poster', async () => {
    const page = await browser.newPage();
    await page.goto(`${origin}${videoStory}`);
    const video = page.locator('.lead-media video');
    assert.equal(await video.getAttribute('preload'), 'none');
    assert.match((await video.getAttribute('poster')) ?? '', /_\d+w_16x9\.jpg$/);
    const played = await video.evaluate(async (el: HTMLVideoElement) => {
      el.muted = true;
      await el.play();
      await new Promise((r) => setTimeout(r, 500));
      return { time: el.currentTime, duration: el.duration, error: el.error?.code ?? null };
    });
    assert.equal(played.error, null);
    assert.ok(played.duration > 1.5 && played.duration < 2.5, `duration ${played.duration}`);
    assert.ok(played.time > 0, 'playback advanced');
    await page.close();
  });
});
