/**
 * `npm run bench:live`: N concurrent SSE readers of one live blog on one app process,
 * then the same split over two processes through Redis. The readers live in several
 * reader processes (bench/live-clients.ts) so the client side is not what is measured;
 * each reader notes when the entry reached it on the wall clock the poster notes the
 * post on. Prints server memory per reader and, per post, the time from the editor's post
 * to 50 %, 99 % and 100 % of readers having it. Figures are printed, never asserted.
 *
 *   npm run bench:live                    # 10,000 readers, 5 posts per setup
 *   LIVE_READERS=2000 npm run bench:live  # fewer readers (scaling)
 *   LIVE_POSTS=10 LIVE_CLIENT_PROCS=3 REDIS_URL=redis://127.0.0.1:6379 npm run bench:live
 *   LIVE_SETUPS=two npm run bench:live    # only the two-process run (one, two, or both)
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrator.js';
import { createServices } from '../src/services/index.js';
import { SYSTEM_PRINCIPAL } from '../src/domain/roles.js';

const READERS = Number(process.env.LIVE_READERS ?? 10_000);
const POSTS = Number(process.env.LIVE_POSTS ?? 5);
const CLIENT_PROCS = Math.max(1, Number(process.env.LIVE_CLIENT_PROCS ?? 4));
const SETUPS = (process.env.LIVE_SETUPS ?? 'one,two').split(',');
const REDIS = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const children: ChildProcess[] = [];
process.on('exit', () => children.forEach((c) => c.exitCode === null && c.kill('SIGKILL')));

/** Sends `message` (unless empty) and resolves with the child's first reply named `reply`. */
function ask<T>(child: ChildProcess, message: object, reply: string): Promise<T> {
  return new Promise<T>((resolve) => {
    const on = (m: { cmd: string }) => {
      if (m.cmd !== reply) return;
      child.off('message', on);
      resolve(m as T);
    };
    child.on('message', on);
    if (Object.keys(message).length) child.send(message);
  });
}

async function start(script: string, env: Record<string, string>, execArgv: string[] = []): Promise<ChildProcess> {
  const child = fork(script, [], { execArgv: ['--import', 'tsx', ...execArgv], env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.push(child);
  return child;
}

interface Server {
  child: ChildProcess;
  port: number;
}

async function startServer(env: Record<string, string>): Promise<Server> {
  const child = await start('bench/live-server.ts', env, ['--expose-gc']);
  const { port } = await ask<{ port: number }>(child, {}, 'ready');
  return { child, port };
}

interface Memory {
  rss: number;
  heapUsed: number;
  readers: number;
  reads: number;
  delivered: number;
}
const memory = (s: Server) => ask<Memory>(s.child, { cmd: 'memory' }, 'memory');

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
const load = () => loadavg().map((l) => l.toFixed(2)).join(', ');

async function run(label: string, servers: Server[], clients: ChildProcess[], blogId: number): Promise<void> {
  const before = await Promise.all(servers.map(memory));
  const started = performance.now();
  const path = `/live/events?language=en&blog=${blogId}`;
  const ports = servers.map((s) => s.port);
  await Promise.all(clients.map((c, i) => ask(c, { cmd: 'open', ports, path, count: Math.floor(READERS / clients.length) + (i < READERS % clients.length ? 1 : 0) }, 'opened')));
  for (;;) {
    const m = await Promise.all(servers.map(memory));
    if (m.reduce((a, x) => a + x.readers, 0) >= READERS) break;
    await sleep(200);
  }
  const connectMs = performance.now() - started;
  const afterMem = await Promise.all(servers.map(memory));
  const rss = afterMem.reduce((a, m, i) => a + m.rss - before[i]!.rss, 0);
  const heap = afterMem.reduce((a, m, i) => a + m.heapUsed - before[i]!.heapUsed, 0);
  console.log(`\n${label}: ${READERS} readers (${clients.length} reader processes) connected in ${(connectMs / 1000).toFixed(1)} s; load average ${load()}`);
  console.log(`  memory per reader: ${(rss / READERS / 1024).toFixed(1)} KiB RSS, ${(heap / READERS / 1024).toFixed(1)} KiB heap (server side, after GC)`);
  const p99s: number[] = [];
  for (let k = 0; k < POSTS; k++) {
    const seq = `${label.length}-${k}-${Date.now()}`;
    await Promise.all(clients.map((c) => ask(c, { cmd: 'expect', marker: `Bench entry ${seq}<` }, 'armed')));
    const timesFrom = clients.map((c) => ask<{ times: number[] }>(c, {}, 'times'));
    const { postedAt } = await ask<{ postedAt: number }>(servers[0]!.child, { cmd: 'post', blogId, seq }, 'posted');
    const got = (await Promise.all(timesFrom)).flatMap((r) => r.times);
    const times = got.filter((t) => t > 0).map((t) => t - postedAt).sort((a, b) => a - b);
    const missing = READERS - times.length;
    p99s.push(pct(times, 99));
    console.log(`  post ${k + 1}: 50 % ${pct(times, 50).toFixed(0)} ms · 99 % ${pct(times, 99).toFixed(0)} ms · 100 % ${times.at(-1)!.toFixed(0)} ms${missing ? ` · ${missing} not delivered in 10 s` : ''}`);
    await sleep(500);
  }
  const after = await Promise.all(servers.map(memory));
  const reads = after.map((m, i) => m.reads - afterMem[i]!.reads);
  const handed = after.map((m, i) => m.delivered - afterMem[i]!.delivered);
  console.log(`  post → 99 % of readers: median ${pct([...p99s].sort((a, b) => a - b), 50).toFixed(0)} ms, worst ${Math.max(...p99s).toFixed(0)} ms over ${POSTS} posts; load average ${load()}`);
  console.log(`  per process: events handed over whole ${handed.join(', ')}; reads of the event log ${reads.join(', ')} (safety polls and gaps only, never per reader)`);
  await Promise.all(clients.map((c) => ask(c, { cmd: 'close' }, 'closed')));
  await sleep(500);
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dateline-live-'));
  const url = `sqlite:${join(dataDir, 'live.db')}`;
  const handle = openDatabase(url);
  await migrateToLatest(handle);
  const services = createServices(handle, { dataDir, mediaSitePrefix: 'bench', languages: ['en'] });
  const sectionId = await services.repos.taxonomy.insertSection({ slug: 'world', name: 'World', names: {}, position: 0 });
  const blogId = await services.publishing.createArticle({ language: 'en', contentTypeId: 21, sectionId, status: 'published', headline: 'Bench live blog', dek: '', bodyHtml: '<p>Live.</p>', byline: '', source: '', place: '', publishedAt: Date.now() - 1000 });
  await services.live.service.startBlog(SYSTEM_PRINCIPAL, blogId);
  services.live.stop();
  await handle.close();
  const env = { BENCH_DATABASE_URL: url, BENCH_DATA_DIR: dataDir };
  console.log(`bench:live — ${READERS} SSE readers, ${POSTS} posts per setup (SQLite, loopback, ${CLIENT_PROCS} reader processes); load average ${load()}`);
  const clients: ChildProcess[] = [];
  for (let i = 0; i < CLIENT_PROCS; i++) {
    const c = await start('bench/live-clients.ts', {});
    await ask(c, {}, 'ready');
    clients.push(c);
  }

  if (SETUPS.includes('one')) {
    const one = await startServer(env);
    await run('one process', [one], clients, blogId);
    one.child.send({ cmd: 'stop' });
    await sleep(300);
  }
  if (SETUPS.includes('two')) {
    const prefix = `bench-live-${process.pid}:`;
    const a = await startServer({ ...env, BENCH_REDIS_URL: REDIS, BENCH_REDIS_PREFIX: prefix });
    const b = await startServer({ ...env, BENCH_REDIS_URL: REDIS, BENCH_REDIS_PREFIX: prefix });
    await sleep(500);
    await run('two processes through Redis (half the readers on each; posts on the first)', [a, b], clients, blogId);
    for (const s of [a, b]) s.child.send({ cmd: 'stop' });
    await sleep(500);
  }
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
}

await main();
