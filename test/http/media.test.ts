import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../helpers/app.js';

describe('media files', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp('sqlite');
    await t.services.mediaStore.put('2013/05/31/site_635056300967158844_25f_4x3.jpg', Buffer.from('jpeg bytes'), 'image/jpeg');
  });
  after(() => t.cleanup());

  test('stored keys are served unchanged under /media with immutable caching', async () => {
    const res = await t.app.inject({ url: '/media/2013/05/31/site_635056300967158844_25f_4x3.jpg' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.body, 'jpeg bytes');
    assert.match(res.headers['content-type'] as string, /^image\/jpeg/);
    assert.match(res.headers['cache-control'] as string, /max-age=31536000.*immutable|immutable.*max-age=31536000/);
    assert.ok(res.headers.etag);
    const again = await t.app.inject({ url: '/media/2013/05/31/site_635056300967158844_25f_4x3.jpg', headers: { 'if-none-match': res.headers.etag as string } });
    assert.equal(again.statusCode, 304);
  });

  test('missing files and path tricks get 404/400 problem+json, never files outside the store', async () => {
    for (const url of ['/media/2013/05/31/missing.jpg', '/media/../../etc/passwd', '/media/%2e%2e/%2e%2e/etc/passwd', '/media/.hidden']) {
      const res = await t.app.inject({ url });
      assert.ok([400, 403, 404].includes(res.statusCode), `${url} → ${res.statusCode}`);
      assert.ok(!res.body.includes('root:'), url);
    }
    const missing = await t.app.inject({ url: '/media/2013/05/31/missing.jpg' });
    assert.match(missing.headers['content-type'] as string, /^application\/problem\+json/);
  });

  test('writes are atomic and keys cannot escape the store', async () => {
    await assert.rejects(() => t.services.mediaStore.put('../outside.jpg', Buffer.from('x'), 'image/jpeg'), /escapes the store/);
  });
});
