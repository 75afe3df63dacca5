/**
 * The spike benchmark: cached pages beside nginx serving the same bytes from disk on
 * loopback in the same run (so the ratio holds on a noisy machine), uncached article
 * renders (content cache on and off), and publish-to-visible time on the same process
 * and on another process through Redis. Figures are printed, never asserted.
 *
 *   npm run bench:spike                        # 8 s per target, 32 connections
 *   BENCH_SECONDS=5 BENCH_CONNECTIONS=64 npm run bench:spike
 *   BENCH_ROUNDS=3 npm run bench:spike         # nginx and the app take turns 3 times
 *
 * The cached targets alternate nginx and the app for BENCH_ROUNDS rounds (default 2)
 * and keep each one's best round: on a shared machine other work only ever lowers a
 * round's figure, so the best of alternating rounds compares the two most fairly.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { openDatabase } from '../src/db/database.js';
import { SYSTEM_PRINCIPAL } from '../src/domain/roles.js';
import { createServices } from '../src/services/index.js';
import { seed } from './spike-seed.js';
import { ensureDebianPackage, loadGenerator, measureLoad } from './load-generator.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 2));
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const children: ChildProcess[] = [];
process.on('exit', () => children.forEach((c) => c.exitCode === null && c.kill('SIGKILL')));

const port = () => 20000 + Math.floor(Math.random() * 20000);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * fetch with one retry: a keep-alive connection left idle during a load run may be
 * closed by the server just as the next request goes out on it ("other side closed").
 */
async function get(url: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch {
    return fetch(url, init);
  }
}

async function waitFor(url: string, limitMs = 120_000): Promise<void> {
  const start = Date.now();
  for (;;) {
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() - start > limitMs) throw new Error(`${url} did not come up`);
    await sleep(200);
  }
}

/** One app process (`dateline serve`) on a data directory. */
async function startApp(dataDir: string, env: NodeJS.ProcessEnv = {}, args: string[] = []): Promise<{ base: string; child: ChildProcess }> {
  const p = port();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', ...args], {
    env: { ...process.env, PORT: String(p), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', REQUEST_LOG: 'off', DATABASE_URL: '', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  const base = `http://127.0.0.1:${p}`;
  await waitFor(`${base}/healthz`);
  return { base, child };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

async function load(url: string): Promise<{ rps: number; p50: number; p99: number; errors: number }> {
  return measureLoad(url, connections, seconds);
}

const row = (name: string, r: { rps: number; p50: number; p99: number; errors: number }, ratio?: number) =>
  console.log(
    `  ${name.padEnd(44)} ${Math.round(r.rps).toString().padStart(7)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms${r.errors ? `  ${r.errors} errors` : ''}${ratio === undefined ? '' : `   ratio to nginx ${ratio.toFixed(2)}`}`,
  );

/** nginx serving the given files from a temp dir on loopback (installed from Debian when missing). */
async function startNginx(files: Record<string, { body: Buffer; type: string }>): Promise<{ base: string; child: ChildProcess; dir: string } | null> {
  if (!existsSync('/usr/sbin/nginx')) {
    console.log('nginx is not installed: trying apt-get install nginx…');
    if (!ensureDebianPackage('nginx') || !existsSync('/usr/sbin/nginx')) {
      console.log('nginx is MISSING (apt-get install nginx failed): the cached figures below have no nginx beside them.');
      return null;
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'dateline-nginx-'));
  chmodSync(dir, 0o755); // nginx's workers read the files as an unprivileged user
  const root = join(dir, 'root');
  const locations: string[] = [];
  for (const [name, f] of Object.entries(files)) {
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, name), f.body);
    locations.push(`location = /${name} { default_type "${f.type}"; }`);
  }
  const p = port();
  writeFileSync(
    join(dir, 'nginx.conf'),
    `worker_processes 1; daemon off; pid ${dir}/nginx.pid; error_log ${dir}/error.log;
events { worker_connections 1024; }
http { access_log off; sendfile on; tcp_nopush on; keepalive_requests 100000; types {}
  client_body_temp_path ${dir}/tmp; proxy_temp_path ${dir}/tmp; fastcgi_temp_path ${dir}/tmp; uwsgi_temp_path ${dir}/tmp; scgi_temp_path ${dir}/tmp;
  server { listen 127.0.0.1:${p}; root ${root}; ${locations.join(' ')} } }`,
  );
  mkdirSync(join(dir, 'tmp'));
  const child = spawn('/usr/sbin/nginx', ['-c', join(dir, 'nginx.conf'), '-p', dir], { stdio: 'inherit' });
  children.push(child);
  const base = `http://127.0.0.1:${p}`;
  await waitFor(`${base}/${Object.keys(files)[0]}`);
  return { base, child, dir };
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dateline-spike-'));
  console.log(`Spike benchmark: ${seconds} s per target and round, ${rounds} round(s), ${connections} connections (${loadGenerator()}), app and nginx on loopback.\n`);
  console.log('Writing a synthetic newsroom (6 sections, 120 articles with tags and related lists)…');
  await seed(dataDir);
  const app = await startApp(dataDir, { DEMO_CONTENT: 'off' });
  const list = (await (await get(`${app.base}/api/v1/articles?limit=5`)).json()) as { items: { id: number; slug: string }[] };
  const first = list.items[0]!;
  const paths = { article: `/news/${first.id}/${first.slug}`, home: '/', legacy: `/api/legacy/related/${first.id}` };

  // The same bytes the app serves, for nginx.
  const files: Record<string, { body: Buffer; type: string }> = {};
  for (const [name, path] of Object.entries(paths)) {
    const res = await get(app.base + path, { headers: { 'accept-encoding': 'identity' } });
    files[name] = { body: Buffer.from(await res.arrayBuffer()), type: res.headers.get('content-type') ?? 'text/html' };
  }
  const nginx = await startNginx(files);

  console.log('\nCached responses (page cache on), beside nginx serving the same bytes:');
  const best = <T extends { rps: number }>(a: T | null, b: T): T => (a && a.rps >= b.rps ? a : b);
  for (const [name, path] of Object.entries(paths)) {
    await (await get(app.base + path)).arrayBuffer();
    let n: Awaited<ReturnType<typeof load>> | null = null;
    let a: Awaited<ReturnType<typeof load>> | null = null;
    const seen: string[] = [];
    for (let r = 0; r < rounds; r++) {
      const nr = nginx ? await load(`${nginx.base}/${name}`) : null;
      const ar = await load(app.base + path);
      if (nr) n = best(n, nr);
      a = best(a, ar);
      seen.push(nr ? `${(ar.rps / nr.rps).toFixed(2)}` : `${Math.round(ar.rps)}`);
    }
    if (!a) continue;
    if (rounds > 1) console.log(`  (${name}: ${nginx ? 'ratio' : 'req/s'} per round ${seen.join(', ')}; best round of each below)`);
    if (n) row(`nginx ${name} (${files[name]!.body.length} bytes)`, n);
    row(`dateline cached ${name}${n ? '' : ` (${files[name]!.body.length} bytes)`}`, a, n ? a.rps / n.rps : undefined);
  }
  if (nginx) {
    await stop(nginx.child);
    rmSync(nginx.dir, { recursive: true, force: true });
  }

  console.log('\nPublish to visible:');
  await publishToVisible(dataDir, app.base);
  await stop(app.child);

  console.log('\nUncached article page (every request renders):');
  for (const [label, env] of [
    ['page cache off, content cache on', { PAGE_CACHE_MB: '0' }],
    ['all caching off (CONTENT_CACHE_SECONDS=0)', { CONTENT_CACHE_SECONDS: '0' }],
  ] as const) {
    const s = await startApp(dataDir, { DEMO_CONTENT: 'off', ...env });
    await (await get(s.base + paths.article)).arrayBuffer();
    row(label, await load(s.base + paths.article));
    await stop(s.child);
  }
  rmSync(dataDir, { recursive: true, force: true });
}

/**
 * Edits a published story's dek through the newsroom services, then polls a serving
 * process until the page shows it: an app inside this process (its own cache purged by
 * its own save), a `dateline serve` process without Redis (purged from the database
 * purge log), and one with Redis (purged over pub/sub).
 */
async function publishToVisible(dataDir: string, sameBase: string): Promise<void> {
  const handle = openDatabase(`sqlite:${join(dataDir, 'dateline.db')}`);
  const redisUrl = await findRedis();
  try {
    const local = createServices(handle, { dataDir, mediaSitePrefix: 'dateline', contentCacheSeconds: 5 });
    await local.pageCaching.start();
    const ids = (await local.repos.articles.listVisible({}, { limit: 3 }, Date.now())).map((a) => a.id);
    const measure = async (base: string, services: typeof local, id: number, label: string) => {
      const a = await services.newsroom.workflow.get(id);
      const path = `/news/${id}/${a.slug}`;
      await (await get(base + path)).text();
      await (await get(base + path)).text();
      const marker = `Update ${Date.now()}`;
      const t0 = performance.now();
      await services.newsroom.workflow.save(SYSTEM_PRINCIPAL, id, a.revision, { dek: marker });
      const saved = performance.now();
      for (;;) {
        const text = await (await get(base + path)).text();
        if (text.includes(marker)) break;
        if (performance.now() - t0 > 10_000) throw new Error('not visible after 10 s');
      }
      const t1 = performance.now();
      console.log(`  ${label.padEnd(48)} ${(t1 - saved).toFixed(1)} ms after the save returned (save itself, with search, related refresh and purge: ${(saved - t0).toFixed(1)} ms)`);
    };
    // In-process: this process's own page cache, purged by its own publish.
    const { buildApp } = await import('../src/http/app.js');
    const inProcess = await buildApp(
      { siteName: 'Bench', baseUrl: 'http://127.0.0.1', timeZone: 'UTC', datelineFormat: 'ddd MMM D, YYYY HH:mm:ss', languages: ['en', 'ar', 'fa'], logLevel: 'silent', requestLog: false, dataDir },
      local,
    );
    await inProcess.listen({ port: 0, host: '127.0.0.1' });
    const inBase = `http://127.0.0.1:${(inProcess.server.address() as { port: number }).port}`;
    await measure(inBase, local, ids[0]!, 'same process');
    await measure(sameBase, local, ids[1]!, 'another process, database purge log (no Redis)');
    await inProcess.close();
    await local.pageCaching.stop();
    if (redisUrl) {
      const prefix = `bench:${process.pid}:`;
      const other = await startApp(dataDir, { REDIS_URL: redisUrl, REDIS_PREFIX: prefix, DEMO_CONTENT: 'off' });
      const viaRedis = createServices(handle, { dataDir, mediaSitePrefix: 'dateline', contentCacheSeconds: 5, redisUrl, redisPrefix: prefix });
      await viaRedis.pageCaching.start();
      for (let i = 0; i < 50 && !viaRedis.pageCaching.bus?.healthy; i++) await sleep(20);
      await measure(other.base, viaRedis, ids[2]!, 'another process through Redis');
      await viaRedis.pageCaching.stop();
      await stop(other.child);
    } else console.log(`  another process through Redis: SKIPPED (no Redis at ${REDIS_URL} and no redis-server to start: apt-get install redis-server)`);
  } finally {
    await handle.close();
  }
}

/** BENCH_REDIS_URL (default the local 6379) when it answers, else a private redis-server started here, else null. */
async function findRedis(): Promise<string | null> {
  const answers = async (url: string) => {
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    const ok = await probe.connect().then(() => probe.ping().then(() => true), () => false).catch(() => false);
    probe.disconnect();
    return ok;
  };
  if (await answers(REDIS_URL)) return REDIS_URL;
  if (spawnSync('redis-server', ['--version']).error) return null;
  const p = port();
  children.push(spawn('redis-server', ['--port', String(p), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' }));
  const url = `redis://127.0.0.1:${p}`;
  for (let i = 0; i < 50; i++) {
    if (await answers(url)) {
      console.log(`  (no Redis at ${REDIS_URL}: started a private redis-server on port ${p})`);
      return url;
    }
    await sleep(100);
  }
  return null;
}

await main();
process.exit(0);
