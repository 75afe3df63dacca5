/**
 * `npm run bench:sitemaps [-- --data-dir DIR] [--repeat 30] [--skip-demo] [--no-migrate]`
 *
 * Feed and sitemap latency and memory, in process (`app.inject`, the whole HTTP path,
 * content cache off so every request reads the database):
 *  1. on a fresh demo site (SQLite, ~50 articles);
 *  2. with `--data-dir DIR`, on the SQLite archive `npm run bench:data -- --articles N --data-dir DIR`
 *     generated: the index, the busiest month's sitemap (the 200 ms target), the news
 *     sitemap and feeds, then every article sitemap of the archive streamed one after
 *     another with the peak heap and RSS seen while doing it (bounded memory).
 * The archive is migrated first (new indexes) unless `--no-migrate` (to measure it as generated).
 * `--skip-demo` measures the archive only. Besides wall time each line gives the process's CPU
 * time per request (user + system): on a shared, loaded machine that is the figure that does
 * not depend on how many other processes want the cores. Figures are printed, never asserted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { openDatabase, type DatabaseHandle } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrator.js';
import { buildApp } from '../src/http/app.js';
import { createServices } from '../src/services/index.js';
import { readManifest, sqliteUrl } from './archive-build.js';

const { values } = parseArgs({
  options: { 'data-dir': { type: 'string' }, repeat: { type: 'string', default: '30' }, 'skip-demo': { type: 'boolean', default: false }, 'no-migrate': { type: 'boolean', default: false } },
});
const REPEAT = Math.max(3, Number(values.repeat));

const CONFIG = {
  siteName: 'Dateline',
  baseUrl: 'http://127.0.0.1:3000',
  timeZone: 'UTC',
  datelineFormat: 'ddd MMM D, YYYY HH:mm:ss',
  languages: ['en', 'ar', 'fa'],
  logLevel: 'silent' as const,
  requestLog: false,
};

const mb = (n: number) => `${(n / 1048576).toFixed(1)} MB`;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

async function app(handle: DatabaseHandle, dataDir: string, now?: number): Promise<FastifyInstance> {
  const services = createServices(handle, { dataDir, mediaSitePrefix: 'bench', contentCacheSeconds: 0 }, now ? { clock: () => now } : {});
  const a = await buildApp({ ...CONFIG, dataDir }, services);
  await a.ready();
  return a;
}

async function measure(a: FastifyInstance, label: string, url: string, repeat = REPEAT): Promise<void> {
  const times: number[] = [];
  const cpu: number[] = [];
  let bytes = 0;
  let status = 0;
  for (let i = 0; i < repeat; i++) {
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    const res = await a.inject({ url });
    times.push(performance.now() - started);
    const used = process.cpuUsage(cpuStarted);
    cpu.push((used.user + used.system) / 1000);
    bytes = res.rawPayload.length;
    status = res.statusCode;
  }
  console.log(
    `  ${label.padEnd(34)} ${String(status).padEnd(4)} p50 ${pct(times, 50).toFixed(1).padStart(7)} ms  p95 ${pct(times, 95).toFixed(1).padStart(7)} ms  ` +
      `max ${Math.max(...times).toFixed(1).padStart(7)} ms  CPU p50 ${pct(cpu, 50).toFixed(1).padStart(7)} ms  ${(bytes / 1024).toFixed(1).padStart(8)} KB  ${url}`,
  );
}

async function demo(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'dateline-bench-sitemaps-'));
  const handle = openDatabase(sqliteUrl(dir));
  try {
    await migrateToLatest(handle);
    const services = createServices(handle, { dataDir: dir, mediaSitePrefix: 'bench' }, { warn: () => {} });
    await services.demo.load();
    const a = await app(handle, dir);
    const index = (await a.inject({ url: '/sitemap.xml' })).body;
    const month = /\/sitemaps\/articles\/[\d-]+\.xml/.exec(index)?.[0] ?? '/sitemaps/articles/2026-01.xml';
    const section = (await services.catalog.sections())[0]!.slug;
    console.log(`Demo site (SQLite, ${await services.repos.articles.countAll()} articles), ${REPEAT} requests each:`);
    for (const [label, url] of [
      ['site RSS', '/feeds/rss.xml'],
      ['site Atom', '/feeds/atom.xml'],
      ['site JSON Feed', '/feeds/feed.json'],
      ['section RSS', `/feeds/section/${section}/rss.xml`],
      ['language RSS (ar)', '/feeds/lang/ar/rss.xml'],
      ['sitemap index', '/sitemap.xml'],
      ['month sitemap', month],
      ['news sitemap', '/sitemap-news.xml'],
      ['section sitemap', '/sitemaps/sections.xml'],
      ['topic sitemap', '/sitemaps/topics-1.xml'],
    ]) {
      await measure(a, label!, url!);
    }
    const mem = process.memoryUsage();
    console.log(`  process after the demo runs: heap ${mb(mem.heapUsed)}, RSS ${mb(mem.rss)}`);
    await a.close();
  } finally {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function archive(dir: string): Promise<void> {
  const handle = openDatabase(sqliteUrl(dir));
  // An archive generated before the latest migrations (e.g. 022's covering sitemap index) gets them first.
  const migrating = performance.now();
  const applied = values['no-migrate'] ? [] : ((await migrateToLatest(handle)).results ?? []);
  if (applied.length) console.log(`Migrated the archive (${applied.map((r) => r.migrationName).join(', ')}) in ${((performance.now() - migrating) / 1000).toFixed(1)} s`);
  // An archive whose search index was not built yet has no manifest: its articles end about now.
  const count = Number((await handle.db.selectFrom('articles').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const manifest = readManifest(dir) ?? { articles: count, now: Date.now() };
  try {
    const a = await app(handle, dir, manifest.now);
    console.log(`\nArchive of ${manifest.articles.toLocaleString('en')} articles (SQLite, ${dir}), load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores:`);
    let started = performance.now();
    const index = (await a.inject({ url: '/sitemap.xml' })).body;
    console.log(`  sitemap index, first request: ${(performance.now() - started).toFixed(0)} ms`);
    const months = [...index.matchAll(/<loc>[^<]*(\/sitemaps\/articles\/[^<]+)<\/loc>/g)].map((m) => m[1]!);
    const handleServices = createServices(handle, { dataDir: dir, mediaSitePrefix: 'bench' }, { clock: () => manifest.now });
    // The busiest recent month: the largest of the last two years' files.
    let busiest = months[0]!;
    let busiestBytes = 0;
    for (const m of months.slice(0, 24)) {
      const res = await a.inject({ url: m });
      if (res.rawPayload.length > busiestBytes) [busiest, busiestBytes] = [m, res.rawPayload.length];
    }
    await measure(a, 'sitemap index', '/sitemap.xml', Math.min(REPEAT, 10));
    await measure(a, 'busiest recent month sitemap', busiest);
    await measure(a, 'oldest month sitemap', months.at(-1)!);
    await measure(a, 'news sitemap', '/sitemap-news.xml');
    await measure(a, 'section sitemap', '/sitemaps/sections.xml');
    await measure(a, 'topic sitemap 1', '/sitemaps/topics-1.xml', Math.min(REPEAT, 10));
    await measure(a, 'site RSS', '/feeds/rss.xml');
    await measure(a, 'site JSON Feed', '/feeds/feed.json');
    const section = (await handleServices.catalog.sections())[0]!.slug;
    await measure(a, 'section Atom', `/feeds/section/${section}/atom.xml`);

    // Every article sitemap, streamed one after another over a real socket and read as it
    // arrives (nothing kept): memory must not grow with the archive.
    await a.listen({ port: 0, host: '127.0.0.1' });
    const address = a.server.address();
    const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    if (global.gc) global.gc();
    const base = process.memoryUsage();
    let peakHeap = base.heapUsed;
    let peakRss = base.rss;
    const sample = setInterval(() => {
      const m = process.memoryUsage();
      peakHeap = Math.max(peakHeap, m.heapUsed);
      peakRss = Math.max(peakRss, m.rss);
    }, 5);
    started = performance.now();
    let urls = 0;
    let bytes = 0;
    let firstByte = 0;
    for (const m of months) {
      const requested = performance.now();
      const res = await fetch(origin + m);
      const reader = res.body!.getReader();
      let tail = '';
      let first = true;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (first) [firstByte, first] = [Math.max(firstByte, performance.now() - requested), false];
        bytes += value.length;
        const text = tail + Buffer.from(value).toString('latin1');
        urls += (text.match(/<url>/g) ?? []).length - (tail.match(/<url>/g) ?? []).length;
        tail = text.slice(-5);
      }
    }
    clearInterval(sample);
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `  all ${months.length} article sitemaps over HTTP: ${urls.toLocaleString('en')} URLs, ${mb(bytes)} in ${seconds.toFixed(1)} s ` +
        `(${Math.round(urls / seconds).toLocaleString('en')} URLs/s, slowest first byte ${firstByte.toFixed(0)} ms); ` +
        `heap ${mb(base.heapUsed)} → peak ${mb(peakHeap)}, RSS ${mb(base.rss)} → peak ${mb(peakRss)}`,
    );
    await a.close();
  } finally {
    await handle.close();
  }
}

if (!values['skip-demo']) await demo();
if (values['data-dir']) await archive(values['data-dir']);
else console.log('\nFor an archive: npm run bench:data -- --articles 1000000 --data-dir DIR, then npm run bench:sitemaps -- --data-dir DIR');
