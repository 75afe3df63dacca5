import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

/**
 * Issue 14 item 5: the built server runs from one bundle (scripts/bundle-server.mjs), and
 * everything a module reads or starts beside itself still resolves: stylesheets, scripts,
 * messages, fonts, packages loaded on first use, the newsroom app, Ajv through createRequire.
 */
describe('the server bundle', () => {
  const bundle = 'dist/cli/main.bundle.js';
  let server: ChildProcess | undefined;
  let origin = '';
  const dataDir = mkdtempSync(join(tmpdir(), 'dateline-bundle-'));

  before(async () => {
    // Builds dist/ (with the bundle) when a source is newer than the last build; else nothing.
    const built = spawnSync(process.execPath, ['scripts/ensure-build.mjs'], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    assert.equal(built.status, 0, built.stderr);
    const port = 30000 + Math.floor(Math.random() * 20000);
    origin = `http://127.0.0.1:${port}`;
    server = spawn(process.execPath, [bundle, 'serve'], {
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: '', DEMO_CONTENT: 'off', LOG_LEVEL: 'warn', REQUEST_LOG: 'off', REDIS_URL: '' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    server.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const started = Date.now();
    for (;;) {
      assert.equal(server.exitCode, null, `the bundled server exited: ${stderr}`);
      if (Date.now() - started > 60_000) assert.fail(`not serving after 60 s: ${stderr}`);
      try {
        if ((await fetch(`${origin}/readyz`)).ok) break;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  });
  after(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server!.once('exit', r));
      server.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps each module’s own URL: no import.meta.url is left that would point at the bundle', () => {
    const code = readFileSync(bundle, 'utf8');
    // Every import.meta.url left is the rewrite's: `new URL("<the module's file in dist>", import.meta.url).href`.
    const wrong = [...code.matchAll(/import\.meta\.url/g)].filter((m) => {
      const own = /new URL\("([^"]+)", $/.exec(code.slice(Math.max(0, m.index - 120), m.index))?.[1];
      const file = own && join('dist/cli', own);
      return !file || !code.startsWith(').href', m.index + 'import.meta.url'.length) || !existsSync(file) || !readFileSync(file, 'utf8').includes('import.meta.url');
    });
    assert.deepEqual(wrong.map((m) => code.slice(m.index - 80, m.index + 20)), []);
    for (const own of ['../site/i18n.js', '../http/routes/site.routes.js', '../services/lazy-require.js', '../db/postgres-sync/sync-client.js']) {
      assert.ok(code.includes(`new URL(${JSON.stringify(own)}, import.meta.url)`), own);
      assert.ok(existsSync(join('dist/cli', own)), `${own} is in dist beside the bundle`);
    }
  });

  it('dateline runs the bundle where the build made it', () => {
    const entry = readFileSync('dist/cli/dateline.js', 'utf8');
    assert.match(entry, /main\.bundle\.js/);
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
    assert.match(pkg.scripts.start!, /dist\/cli\/dateline\.js serve/);
    assert.match(pkg.scripts.build!, /bundle-server\.mjs/);
  });

  it('serves pages, their assets, feeds, the newsroom app and validated API answers', async () => {
    const home = await fetch(`${origin}/`);
    assert.equal(home.status, 200);
    const html = await home.text();
    const assets = [...html.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    assert.ok(assets.some((a) => a.endsWith('.css')) && assets.some((a) => a.endsWith('.js')), assets.join(' '));
    for (const path of [...assets, '/feeds/rss.xml', '/feeds/atom.xml', '/admin/', '/api/docs/json', '/manifest.webmanifest', '/icons/icon-180.png']) {
      const res = await fetch(`${origin}${path}`);
      assert.equal(res.status, 200, path);
      assert.ok((await res.arrayBuffer()).byteLength > 0, path);
    }
    const bad = await fetch(`${origin}/api/v1/articles?limit=abc`);
    assert.equal(bad.status, 400);
    assert.match(bad.headers.get('content-type') ?? '', /problem\+json/);
    const arabic = await fetch(`${origin}/api/v1/articles?limit=abc`, { headers: { 'accept-language': 'ar' } });
    assert.equal(arabic.status, 400);
  });
});
