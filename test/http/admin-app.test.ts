import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerErrorHandling } from '../../src/http/plugins/errors.js';
import { adminAppRoutes } from '../../src/http/routes/admin-app.routes.js';

const SHELL = '<!doctype html><html><head><script type="module" crossorigin src="/admin/assets/index-abc123.js"></script></head><body><div id="app"></div></body></html>';

/** The admin plugin over a stand-in build (the real one is made by `npm run build:admin`). */
async function appOver(root: string): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, routerOptions: { ignoreTrailingSlash: true } });
  registerErrorHandling(app, async (status) => `<p>error ${status}</p>`);
  await app.register(adminAppRoutes(root), { prefix: '/admin' });
  app.get('/admin/preview/:id', async () => 'preview');
  await app.ready();
  return app;
}

describe('newsroom app shell at /admin/', () => {
  let dir: string;
  let app: FastifyInstance;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dateline-admin-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), SHELL);
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    app = await appOver(dir);
  });
  after(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const url of ['/admin', '/admin/', '/admin/articles/12', '/admin/articles/12/history', '/admin/setup?token=abc', '/admin/invite?token=xyz']) {
    test(`${url} answers the app shell with a strict CSP`, async () => {
      const res = await app.inject({ url });
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^text\/html/);
      const csp = String(res.headers['content-security-policy']);
      assert.match(csp, /script-src 'self'/);
      assert.match(csp, /style-src 'self'/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:/);
      assert.equal(res.headers['cache-control'], 'no-cache');
      assert.equal(res.body, SHELL);
    });
  }

  test('hashed assets are served with a year of caching and the CSP', async () => {
    const res = await app.inject({ url: '/admin/assets/index-abc123.js' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /javascript/);
    assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.match(String(res.headers['content-security-policy']), /default-src 'self'/);
  });

  test('a missing asset is a real 404, not the app shell', async () => {
    assert.equal((await app.inject({ url: '/admin/assets/missing-abc123.js' })).statusCode, 404);
    assert.equal((await app.inject({ url: '/admin/favicon.ico' })).statusCode, 404);
  });

  test('state-changing methods are not answered with the shell', async () => {
    assert.equal((await app.inject({ method: 'POST', url: '/admin/articles/12', payload: {} })).statusCode, 404);
  });

  test('a more specific /admin/ route (the preview) wins over the fallback', async () => {
    assert.equal((await app.inject({ url: '/admin/preview/7' })).body, 'preview');
  });

  test('without a build, /admin/ says how to build it', async () => {
    const bare = await appOver(join(dir, 'not-built'));
    const res = await bare.inject({ url: '/admin/articles' });
    assert.equal(res.statusCode, 503);
    assert.match(res.body, /npm run build:admin/);
    await bare.close();
  });
});
