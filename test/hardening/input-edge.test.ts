import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/databases.js';
import { makeArticle, makeSection } from '../helpers/factories.js';
import { login, makeUser, type Client } from '../helpers/newsroom.js';
import { MAX_JSON_BODY_BYTES, TEXT_LIMITS } from '../../src/domain/limits.js';
import { bodyOf, rawRequest, statusOf } from './raw-http.js';

/** Issue 10 item 2 (and 7): the inputs that used to answer 500, on both engines, now a clear 4xx. */
const HOSTILE_URLS = [
  '/topic/%00',
  '/topic/a%00b',
  '/section/%00',
  '/news/1/%00',
  '/api/v1/articles?tag=%00',
  '/api/v1/articles?section=%00x',
  '/api/v1/articles/slug/%00',
  '/api/v1/articles/Infinity',
  '/api/v1/articles/-Infinity',
  '/api/v1/articles/1e400',
  '/api/v1/articles/99999999999',
  '/api/v1/articles?limit=Infinity',
  '/api/v1/articles?limit=1e400',
  '/api/v1/articles?limit=-1',
  '/section/world?page=Infinity',
  '/topic/x?page=1e400',
  '/search?q=a&page=Infinity',
  '/search?limit=abc',
  '/search?q=a&limit=100000',
  '/search?q=%00',
  '/api/v1/search?q=%00',
  '/api/v1/search?q=a&limit=Infinity',
  '/api/admin/articles?section=99999999999',
  '/api/admin/articles?authorId=4294967296',
  '/api/admin/articles?q=%00',
  '/api/admin/articles/1/revisions/1/diff?against=99999999999',
  '/api/admin/articles/1/revisions/4294967296',
  '/api/admin/tags?q=%00',
  '/api/admin/media?q=%00',
  '/api/admin/media?limit=Infinity',
];

for (const engine of DIALECTS) {
  describe(`input edge (${engine})`, () => {
    let t: TestApp;
    let editor: Client;
    let sectionId: number;
    before(async () => {
      t = await createTestApp(engine, { bodyIdleTimeoutSeconds: 1 });
      sectionId = await makeSection(t);
      await makeArticle(t, sectionId);
      editor = await login(t.app, await makeUser(t, 'editor'));
    });
    after(async () => t?.cleanup());

    it('answers hostile URLs with 4xx, signed in or not, problem+json on the API', async () => {
      for (const url of HOSTILE_URLS) {
        for (const res of [await t.app.inject({ url }), await editor.get(url)]) {
          assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
          if (url.startsWith('/api/')) assert.match(String(res.headers['content-type']), /application\/problem\+json/, url);
        }
      }
      // Invalid UTF-8 in a query string stays literal text: harmless, searched as typed.
      assert.equal((await t.app.inject({ url: '/search?q=%ED%A0%80' })).statusCode, 200);
      const nul = await t.app.inject({ url: '/api/v1/articles?tag=%00' });
      assert.match(nul.json().detail, /NUL character/);
      const inf = await t.app.inject({ url: '/api/v1/articles?limit=Infinity' });
      assert.equal(inf.statusCode, 400);
    });

    it('bounds the search page like the API: no 3,000-result pages', async () => {
      const res = await t.app.inject({ url: '/search?q=headline&limit=51' });
      assert.equal(res.statusCode, 400);
      assert.equal((await t.app.inject({ url: '/search?q=headline&limit=50' })).statusCode, 200);
      assert.equal((await t.app.inject({ url: '/search?q=headline&utm_source=x' })).statusCode, 200, 'unknown page parameters stay harmless');
    });

    it('signs in with a NUL in the email as a wrong password, not a 500', async () => {
      const res = await t.app.inject({ method: 'POST', url: '/api/admin/session', payload: { email: 'a\u0000b@news.test', password: 'x\u0000y' } });
      assert.equal(res.statusCode, 401);
    });

    it('strips NUL and lone surrogates an editor pasted into a body, and stores the rest', async () => {
      const res = await editor.post('/api/admin/articles', { headline: 'Pasted\u0000 head\ud800line', sectionId, dek: 'a\u0000b', bodyHtml: '<p>x\u0000y\udc00z</p>' });
      assert.equal(res.statusCode, 201, res.body);
      const a = res.json();
      assert.equal(a.headline, 'Pasted head\ufffdline');
      assert.equal(a.dek, 'ab');
      assert.equal(a.bodyHtml, '<p>xy\ufffdz</p>');
    });

    it('refuses ids and revision numbers beyond the 32-bit column range in bodies', async () => {
      const created = (await editor.post('/api/admin/articles', { headline: 'Range', sectionId })).json();
      for (const body of [{ baseRevision: 4294967296 }, { baseRevision: 1, leadMediaId: 2147483648 }, { baseRevision: 1, sectionId: 1e20 }, { baseRevision: 1, contentTypeId: -1 }]) {
        const res = await editor.put(`/api/admin/articles/${created.id}`, body);
        assert.equal(res.statusCode, 400, `${JSON.stringify(body)}: ${res.body}`);
      }
      const deep = await t.app.inject({ method: 'POST', url: '/api/admin/articles', headers: { cookie: editor.cookie, 'x-csrf-token': editor.csrfToken, 'content-type': 'application/json' }, payload: `{"headline":"x","sectionId":1,"tags":${'['.repeat(500)}${']'.repeat(500)}}` });
      assert.equal(deep.statusCode, 400, deep.body);
    });

    it('accepts a body of the documented 2,000,000 characters and names the limit beyond it (item 7)', async () => {
      const created = (await editor.post('/api/admin/articles', { headline: 'Long read', sectionId })).json();
      const words = 'ش'.repeat(TEXT_LIMITS.bodyHtml - 7);
      const ok = await editor.put(`/api/admin/articles/${created.id}`, { baseRevision: created.revision, bodyHtml: `<p>${words}</p>` });
      assert.equal(ok.statusCode, 200, ok.body.slice(0, 300));
      const tooLong = await editor.put(`/api/admin/articles/${created.id}`, { baseRevision: ok.json().revision, bodyHtml: `<p>${words}xx</p>` });
      assert.equal(tooLong.statusCode, 400);
      assert.match(tooLong.json().detail, /2000000/);
      const huge = await t.app.inject({ method: 'POST', url: '/api/admin/articles', headers: { cookie: editor.cookie, 'x-csrf-token': editor.csrfToken, 'content-type': 'application/json' }, payload: `{"headline":"${'x'.repeat(MAX_JSON_BODY_BYTES)}"}` });
      assert.equal(huge.statusCode, 413);
      assert.match(huge.json().detail, new RegExp(MAX_JSON_BODY_BYTES.toLocaleString('en')));
    });

    describe('over a real socket', () => {
      let port: number;
      before(async () => {
        await t.app.listen({ port: 0, host: '127.0.0.1' });
        port = (t.app.server.address() as AddressInfo).port;
      });

      it('answers oversized headers and a malformed request line with problem+json', async () => {
        const big = await rawRequest(port, [`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`]);
        assert.equal(statusOf(big.text), 431);
        assert.match(big.text, /application\/problem\+json/);
        assert.equal(JSON.parse(bodyOf(big.text)).code, 'HEADERS_TOO_LARGE');
        const bad = await rawRequest(port, ['GARBAGE\u0001 / HTTP/9\r\n\r\n']);
        assert.equal(statusOf(bad.text), 400);
        assert.equal(JSON.parse(bodyOf(bad.text)).status, 400);
      });

      it('answers a JSON body that stops arriving with 408 after the idle timeout, and closes', async () => {
        const res = await rawRequest(
          port,
          [`POST /api/admin/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"email":"a@b.c",`],
          { keepOpen: true, waitMs: 8000 },
        );
        assert.equal(statusOf(res.text), 408, res.text);
        assert.equal(JSON.parse(bodyOf(res.text)).code, 'REQUEST_TIMEOUT');
        assert.ok(res.closed, 'the connection is closed');
      });
    });
  });
}
