import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CdnPurger } from '../../src/services/cache/cdn-purger.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeArticle, makeSection } from '../helpers/factories.js';
import { actor, makeUser } from '../helpers/newsroom.js';

const VARNISHD = '/usr/sbin/varnishd';
const required = process.env.CI === 'true' || process.env.REQUIRE_VARNISH === '1';
const available = existsSync(VARNISHD) && existsSync('/usr/lib/x86_64-linux-gnu/varnish/vmods/libvmod_xkey.so');
if (!available && required) throw new Error('varnishd with the xkey vmod is required here: apt-get install -y varnish varnish-modules');
if (!available) console.log('# Varnish: SKIPPED (apt-get install -y varnish varnish-modules)');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Varnish from Debian in front of the app on loopback, with the VCL the project ships. */
describe('Varnish in front of the app (xkey purges)', { skip: !available }, () => {
  let t: TestApp;
  let varnish: ChildProcess;
  let workDir: string;
  let front: string;
  let editor: ReturnType<typeof actor>;
  const ids: Record<string, number> = {};

  before(async () => {
    t = await createTestApp('sqlite');
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const appPort = (t.app.server.address() as { port: number }).port;
    workDir = mkdtempSync(join(tmpdir(), 'dateline-varnish-'));
    // varnishd reads the VCL as its own unprivileged user.
    chmodSync(workDir, 0o755);
    const vcl = readFileSync(new URL('../../deploy/varnish/dateline.vcl', import.meta.url), 'utf8').replace('.port = "3000"', `.port = "${appPort}"`);
    writeFileSync(join(workDir, 'dateline.vcl'), vcl);
    const port = await freePort();
    varnish = spawn(VARNISHD, ['-F', '-n', join(workDir, 'n'), '-a', `127.0.0.1:${port}`, '-f', join(workDir, 'dateline.vcl'), '-s', 'malloc,32m', '-T', 'none', '-p', 'vsl_space=1M'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    varnish.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
    front = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      try {
        await (await fetch(`${front}/healthz`)).arrayBuffer();
        break;
      } catch {
        if (i > 100 || varnish.exitCode !== null) throw new Error(`varnishd did not start: ${stderr}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    // What VARNISH_PURGE_URL wires in production.
    const purger = new CdnPurger({ varnishUrl: `${front}/`, httpUrl: '', httpAuthorization: '' });
    t.services.pageCaching.purge.addSink({ purge: (keys) => purger.purge(keys) });
    editor = actor(await makeUser(t, 'editor'));
    ids.world = await makeSection(t, 'world', 'World');
    ids.sport = await makeSection(t, 'sport', 'Sport');
    ids.a = await makeArticle(t, ids.world, { headline: 'Harbour reopens after storm' });
    ids.c = await makeArticle(t, ids.sport, { headline: 'Marathon record falls' });
  });

  after(async () => {
    varnish?.kill('SIGTERM');
    await new Promise((r) => (varnish?.exitCode !== null ? r(null) : varnish.once('exit', r)));
    await t?.cleanup();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  const viaVarnish = async (path: string) => {
    const res = await fetch(front + path, { redirect: 'manual' });
    return { status: res.status, cache: res.headers.get('x-varnish-cache'), body: await res.text() };
  };

  test('a publish shows through Varnish on the next request; unaffected pages stay cached there', async () => {
    const a = await t.services.newsroom.workflow.get(ids.a!);
    const c = await t.services.newsroom.workflow.get(ids.c!);
    const pathA = `/news/${ids.a}/${a.slug}`;
    const pathC = `/news/${ids.c}/${c.slug}`;
    const paths = ['/', '/section/world', '/section/sport', pathA, pathC, `/api/v1/articles/${ids.c}`];
    for (const p of paths) await viaVarnish(p);
    for (const p of paths) assert.equal((await viaVarnish(p)).cache, 'HIT', `${p} is cached by Varnish`);

    await t.services.newsroom.workflow.save(editor, ids.a!, a.revision, { dek: 'Ferries run again from noon' });
    const draft = await t.services.newsroom.workflow.create(editor, { headline: 'Bridge opens to traffic', sectionId: ids.world!, bodyHtml: '<p>At last.</p>' });
    await t.services.newsroom.workflow.transition(editor, draft.id, { action: 'publish' });

    const article = await viaVarnish(pathA);
    assert.equal(article.cache, 'MISS');
    assert.match(article.body, /Ferries run again from noon/);
    for (const p of ['/', '/section/world']) assert.match((await viaVarnish(p)).body, /Bridge opens to traffic/, `${p} shows the publish`);
    // (C's page is not in this list: the related engine puts A in its related box.)
    for (const p of ['/section/sport', `/api/v1/articles/${ids.c}`]) assert.equal((await viaVarnish(p)).cache, 'HIT', `${p} stayed cached`);
  });

  test('purges from elsewhere than the app hosts are refused', async () => {
    const res = await fetch(`${front}/`, { method: 'PURGE' });
    assert.equal(res.status, 400, 'a purge without keys is refused');
  });
});
