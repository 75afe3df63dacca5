import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/databases.js';
import { makeArticle, makeSection } from '../helpers/factories.js';
import { login, makeUser, type Client } from '../helpers/newsroom.js';

/**
 * Content Security Policy and security headers on every HTML page the app serves —
 * public pages, error pages, the newsroom app, the preview, the API docs — found from
 * the route table, so a new page is checked too. A policy must exist, allow no
 * 'unsafe-inline' / 'unsafe-eval', restrict object-src and framing.
 */
function assertStrictHtmlHeaders(res: LightMyRequestResponse, what: string): void {
  const csp = String(res.headers['content-security-policy'] ?? '');
  assert.ok(csp, `${what}: no Content-Security-Policy`);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|unsafe-hashes|\*(?![.\w])/, `${what}: ${csp}`);
  assert.match(csp, /object-src 'none'/, `${what}: object-src not none: ${csp}`);
  assert.match(csp, /frame-ancestors 'self'/, `${what}: ${csp}`);
  assert.match(csp, /base-uri 'self'/, `${what}: ${csp}`);
  assert.match(csp, /script-src ('none'|'self')/, `${what}: ${csp}`);
  assert.equal(res.headers['x-content-type-options'], 'nosniff', what);
  assert.equal(res.headers['referrer-policy'], 'strict-origin-when-cross-origin', what);
  assert.equal(res.headers['x-frame-options'], 'SAMEORIGIN', what);
}

for (const engine of DIALECTS) {
  describe(`security headers (${engine})`, () => {
    let t: TestApp;
    let editor: Client;
    let articleId: number;
    before(async () => {
      t = await createTestApp(engine);
      const section = await makeSection(t);
      articleId = await makeArticle(t, section);
      editor = await login(t.app, await makeUser(t, 'editor'));
    });
    after(async () => t?.cleanup());

    it('every HTML GET route answers with a strict policy, signed in or not, found or not', async () => {
      const concrete = (url: string) => url.replace(':id', String(articleId)).replace(':slug', 'world').replace('*', 'index.html');
      const checked: string[] = [];
      for (const route of t.app.routeTable.filter((r) => r.method === 'GET' && !r.url.startsWith('/api/') && !r.url.startsWith('/media'))) {
        for (const url of [concrete(route.url), route.url.replace(/:\w+|\*/g, 'nope-404')]) {
          for (const res of [await t.app.inject({ url }), await editor.get(url)]) {
            if (!String(res.headers['content-type'] ?? '').startsWith('text/html')) continue;
            assertStrictHtmlHeaders(res, `GET ${url} (${res.statusCode})`);
            checked.push(url);
          }
        }
      }
      for (const url of ['/', '/no/such/page', '/search?q=test', `/admin/preview/${articleId}`, '/admin/']) {
        for (const res of [await t.app.inject({ url }), await editor.get(url)]) {
          if (String(res.headers['content-type'] ?? '').startsWith('text/html')) {
            assertStrictHtmlHeaders(res, `GET ${url} (${res.statusCode})`);
            checked.push(url);
          }
        }
      }
      assert.ok(checked.length >= 20, `only ${checked.length} HTML answers checked`);
    });

    it('the API docs page has a policy without unsafe-inline too', async () => {
      const res = await t.app.inject({ url: '/api/docs/' });
      assert.equal(res.statusCode, 200);
      const csp = String(res.headers['content-security-policy'] ?? '');
      assert.ok(csp);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    });
  });
}
