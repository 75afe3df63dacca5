/**
 * `npm run bench:live`: N concurrent SSE readers of one live blog on one app process,
 * then the same split over two processes woken through Redis. Prints memory per reader
 * (server RSS and heap growth divided by readers) and the time from an editor's post to
 * 50 %, 99 % and 100 % of readers having it. Figures are printed, never asserted.
 *
 *   npm run bench:live                    # 10,000 readers, 5 posts per setup
 *   LIVE_READERS=2000 npm run bench:live  # a loaded machine
 *   LIVE_POSTS=10 REDIS_URL=redis://127.0.0.1:6379 npm run bench:live
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrator.js';
import { createServices } from '../src/services/index.js';
import { SYSTEM_PRINCIPAL } from '../src/domain/roles.js';

const READERS = Number(process.env.LIVE_READERS ?? 10_000);
const POSTS = Number(process.env.LIVE_POSTS ?? 5);
const REDIS = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const children: ChildProcess[] = [];
process.on('exit', () => children.forEach((c) => c.exitCode === null && c.kill('SIGKILL')));

interface Server {
  child: ChildProcess;
  port: number;
  ask<T>(message: object, reply: string): Promise<T>;
}

async function startServer(env: Record<string, string>): Promise<Server> {
  const child = fork('bench/live-server.ts', [], { execArgv: ['--import', 'tsx', '--expose-gc'], env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.push(child);
  const ask = <T>(message: object, reply: string) =>
    new Promise<T>((resolve) => {
      const on = (m: { cmd: string }) => {
        if (m.cmd !== reply) return;
        child.off('message', on);
        resolve(m as T);
      };
      child.on('message', on);
      if (Object.keys(message).length) child.send(message);
    });
  const { port } = await ask<{ port: number }>({}, 'ready');
  return { child, port, ask };
}

/** A bare SSE reader: one socket, scanning for the marker of the entry it waits for. */
class Reader {
  socket: Socket;
  waiting: string | null = null;
  gotAt = 0;
  /** The end of the last chunk: a marker may straddle two. */
  private tail = '';
  constructor(port: number, blogId: number, onOpen: () => void) {
    this.socket = connect(port, '127.0.0.1', () => {
      this.socket.write(`GET /live/events?language=en&blog=${blogId} HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\n\r\n`);
      onOpen();
    });
    this.socket.setEncoding('utf8');
    this.socket.on('data', (chunk: string) => {
      const text = this.tail + chunk;
      this.tail = text.slice(-120);
      if (this.waiting && text.includes(this.waiting)) {
        this.gotAt = performance.now();
        this.waiting = null;
      }
    });
    this.socket.on('error', () => undefined);
  }
}

async function openReaders(ports: number[], blogId: number, n: number): Promise<Reader[]> {
  const readers: Reader[] = [];
  // In batches, so the accept queue keeps up.
  for (let i = 0; i < n; i += 500) {
    const batch = Math.min(500, n - i);
    await new Promise<void>((resolve) => {
      let open = 0;
      for (let j = 0; j < batch; j++) readers.push(new Reader(ports[(i + j) % ports.length]!, blogId, () => ++open === batch && resolve()));
    });
  }
  return readers;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function run(label: string, servers: Server[], blogId: number): Promise<void> {
  const before = await Promise.all(servers.map((s) => s.ask<{ rss: number; heapUsed: number }>({ cmd: 'memory' }, 'memory')));
  const started = performance.now();
  const readers = await openReaders(servers.map((s) => s.port), blogId, READERS);
  for (;;) {
    const m = await Promise.all(servers.map((s) => s.ask<{ readers: number }>({ cmd: 'memory' }, 'memory')));
    if (m.reduce((a, x) => a + x.readers, 0) >= READERS) break;
    await sleep(200);
  }
  const connectMs = performance.now() - started;
  const afterMem = await Promise.all(servers.map((s) => s.ask<{ rss: number; heapUsed: number; reads: number }>({ cmd: 'memory' }, 'memory')));
  const rss = afterMem.reduce((a, m, i) => a + m.rss - before[i]!.rss, 0);
  const heap = afterMem.reduce((a, m, i) => a + m.heapUsed - before[i]!.heapUsed, 0);
  console.log(`\n${label}: ${READERS} readers connected in ${(connectMs / 1000).toFixed(1)} s`);
  console.log(`  memory per reader: ${(rss / READERS / 1024).toFixed(1)} KiB RSS, ${(heap / READERS / 1024).toFixed(1)} KiB heap (server side, after GC)`);
  const p99s: number[] = [];
  for (let k = 0; k < POSTS; k++) {
    const marker = `Bench entry ${label.length}-${k}-${Date.now()}<`;
    for (const r of readers) (r.waiting = marker), (r.gotAt = 0);
    const t0 = performance.now();
    const seq = marker.slice('Bench entry '.length, -1);
    await servers[0]!.ask({ cmd: 'post', blogId, seq }, 'posted');
    const deadline = t0 + 10_000;
    while (readers.some((r) => r.waiting) && performance.now() < deadline) await sleep(5);
    const times = readers.filter((r) => r.gotAt).map((r) => r.gotAt - t0).sort((a, b) => a - b);
    const missing = READERS - times.length;
    p99s.push(pct(times, 99));
    console.log(`  post ${k + 1}: 50 % ${pct(times, 50).toFixed(0)} ms · 99 % ${pct(times, 99).toFixed(0)} ms · 100 % ${times.at(-1)!.toFixed(0)} ms${missing ? ` · ${missing} not delivered in 10 s` : ''}`);
    await sleep(300);
  }
  const reads = (await Promise.all(servers.map((s) => s.ask<{ reads: number }>({ cmd: 'memory' }, 'memory')))).map((m, i) => m.reads - afterMem[i]!.reads);
  console.log(`  post → 99 % of readers: median ${pct([...p99s].sort((a, b) => a - b), 50).toFixed(0)} ms over ${POSTS} posts; reads of the event log per process: ${reads.join(', ')} for ${POSTS} posts (one per wake-up plus the hub's safety polls, never per reader)`);
  for (const r of readers) r.socket.destroy();
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
  console.log(`bench:live — ${READERS} SSE readers, ${POSTS} posts per setup (SQLite, loopback; readers run in this process)`);

  const one = await startServer(env);
  await run('one process', [one], blogId);
  one.child.send({ cmd: 'stop' });
  await sleep(300);

  const prefix = `bench-live-${process.pid}:`;
  const a = await startServer({ ...env, BENCH_REDIS_URL: REDIS, BENCH_REDIS_PREFIX: prefix });
  const b = await startServer({ ...env, BENCH_REDIS_URL: REDIS, BENCH_REDIS_PREFIX: prefix });
  await sleep(500);
  await run('two processes through Redis (half the readers on each; posts on the first)', [a, b], blogId);
  for (const s of [a, b]) s.child.send({ cmd: 'stop' });
  await sleep(500);
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
}

await main();
