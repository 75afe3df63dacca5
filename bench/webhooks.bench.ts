/**
 * Webhooks benchmark: time to publish (the editor's click → committed, indexed, events
 * queued) with no endpoint, with a receiver that sleeps 30 s before answering, and with
 * one that refuses connections, while the webhook runners are busy sending. It also
 * times an article page read during each run. Figures are printed, not asserted.
 *
 *   npm run bench:webhooks                       # 40 publishes per scenario
 *   BENCH_PUBLISHES=100 npm run bench:webhooks
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrator.js';
import { buildApp } from '../src/http/app.js';
import { createJobHandlers } from '../src/jobs/job-handlers.js';
import { JobRunner } from '../src/jobs/job-runner.js';
import { MAIN_RUNNER_NAMES, webhookRunners } from '../src/jobs/webhook-runners.js';
import { principalOfUser } from '../src/services/auth.service.js';
import { createServices } from '../src/services/index.js';

const PUBLISHES = Number(process.env.BENCH_PUBLISHES ?? 40);
const ENDPOINTS = Number(process.env.BENCH_ENDPOINTS ?? 3);
const dir = mkdtempSync(join(tmpdir(), 'dateline-bench-webhooks-'));

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

// Receivers: one that holds every request for 30 s, and a port where nothing listens.
let held = 0;
const sleeper = createServer((req, res) => {
  req.resume();
  held++;
  setTimeout(() => res.end('late'), 30_000).unref();
});
const sleeperPort = await listen(sleeper);
const closed = createServer();
const refusedPort = await listen(closed);
await new Promise<void>((resolve) => closed.close(() => resolve()));

const config = {
  mediaSitePrefix: 'bench',
  baseUrl: 'http://bench.test',
  siteName: 'Bench',
  contentCacheSeconds: 5,
  webhookAllowPrivate: ['127.0.0.1/32'],
  webhookTimeoutMs: 5000,
  webhookMaxAttempts: 8,
  webhookDisableAfter: 100_000,
};

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length - 1) * p))]!;
const fmt = (xs: number[]) => `p50 ${pct(xs, 0.5).toFixed(1)} ms · p95 ${pct(xs, 0.95).toFixed(1)} ms · max ${Math.max(...xs).toFixed(1)} ms`;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One scenario on a fresh database, with the runners of `dateline serve` polling throughout. */
async function scenario(name: string, url: string | null): Promise<void> {
  const dataDir = join(dir, name.replace(/\W+/g, '-'));
  mkdirSync(dataDir, { recursive: true });
  const handle = openDatabase(`sqlite:${join(dataDir, 'bench.db')}`);
  await migrateToLatest(handle);
  const services = createServices(handle, { ...config, dataDir });
  const app = await buildApp(
    { siteName: 'Bench', baseUrl: 'http://bench.test', timeZone: 'UTC', datelineFormat: 'ddd MMM D, YYYY HH:mm:ss', languages: ['en'], logLevel: 'silent', requestLog: false, dataDir },
    services,
  );
  await app.ready();
  const user = await services.newsroom.auth.createUserWithPassword({ email: 'bench@bench.test', name: 'Bench', role: 'owner', password: 'correct horse battery staple' });
  const editor = principalOfUser(user);
  const sectionId = await services.repos.taxonomy.insertSection({ slug: 'world', name: 'World', names: {}, position: 0 });
  services.catalog.invalidate();
  if (url) for (let i = 0; i < ENDPOINTS; i++) await services.webhooks.create(editor, { url: `${url}/${i}`, events: ['article.published', 'article.updated'] });
  const drafts = [];
  for (let i = 0; i < PUBLISHES; i++) {
    drafts.push(await services.newsroom.workflow.create(editor, { headline: `Story ${i} on harbour repairs`, sectionId, bodyHtml: '<p>The harbour reopened after the storm. Repairs took three weeks.</p>' }));
  }
  const handlers = createJobHandlers(services);
  const main = new JobRunner(services.repos.jobs, handlers, services.clock, { names: MAIN_RUNNER_NAMES, pollMs: 100 });
  const hooks = webhookRunners(services.repos.jobs, handlers, services.clock, 2, { pollMs: 50 });
  main.start();
  for (const r of hooks) r.start();

  const publish: number[] = [];
  const page: number[] = [];
  const started = performance.now();
  for (const d of drafts) {
    // Editors' clicks arrive as separate requests: let the runners have the loop in between.
    await pause(50);
    const t0 = performance.now();
    await services.newsroom.workflow.transition(editor, d.id, { action: 'publish' });
    publish.push(performance.now() - t0);
    const t1 = performance.now();
    const res = await app.inject({ method: 'GET', url: `/news/${drafts[0]!.id}` });
    page.push(performance.now() - t1);
    if (res.statusCode !== 200 && res.statusCode !== 301) throw new Error(`page answered ${res.statusCode}`);
  }
  const elapsed = (performance.now() - started) / 1000;
  const endpoints = await services.webhooks.list();
  const deliveries = (await Promise.all(endpoints.map((e) => services.webhooks.deliveries(e.id, 1000)))).flat();
  const tried = deliveries.filter((d) => d.attempts > 0);
  console.log(`\n${name}`);
  console.log(`  publish (${PUBLISHES})        : ${fmt(publish)}`);
  console.log(`  article page read   : ${fmt(page)}`);
  console.log(`  webhook deliveries  : ${deliveries.length} queued, ${tried.length} attempted during the ${elapsed.toFixed(1)} s run${url ? ` (${ENDPOINTS} endpoints)` : ''}`);
  if (tried.length) console.log(`  attempt outcomes    : ${[...new Set(tried.map((d) => (d.error ?? `HTTP ${d.responseStatus}`).replace(/\d+\.\d+\.\d+\.\d+:\d+/, 'host')))].join('; ')}`);
  // Dropping the endpoints turns the remaining jobs into no-ops, so the runners stop quickly.
  for (const e of endpoints) await services.webhooks.remove(editor, e.id);
  await Promise.all([main.stop(), ...hooks.map((r) => r.stop())]);
  await app.close();
  await handle.close();
}

console.log(`Dateline webhooks benchmark: SQLite, ${PUBLISHES} publishes per scenario (one every ~50 ms), fresh database each, 2 webhook runners, ${config.webhookTimeoutMs} ms delivery timeout`);
await scenario('No webhook endpoint', null);
await scenario('Receiver sleeps 30 s before answering', `http://127.0.0.1:${sleeperPort}`);
console.log(`  (${held} request(s) reached the sleeping receiver and were cut off by the timeout or are in flight)`);
await scenario('Receiver refuses connections', `http://127.0.0.1:${refusedPort}`);
await scenario('No webhook endpoint (again, for the noise)', null);

sleeper.closeAllConnections();
sleeper.close();
rmSync(dir, { recursive: true, force: true });
process.exit(0);

