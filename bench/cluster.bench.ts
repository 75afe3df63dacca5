/**
 * `dateline serve --workers N` with 1, 2 and 4 processes behind the same port: cached
 * article page, cached home and an uncached API list, requests/s with autocannon.
 * Figures are printed, never asserted. On a 2-core machine the load generator shares
 * the cores, so more than 2 workers mostly shows the cost of contention.
 *
 *   npm run bench:cluster              # 6 s per target, 64 connections
 *   BENCH_SECONDS=5 npm run bench:cluster
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seed } from './spike-seed.js';
import { loadGenerator, measureLoad } from './load-generator.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 6);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 64);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let current: ChildProcess | null = null;
process.on('exit', () => current?.exitCode === null && current.kill('SIGKILL'));

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dateline-cluster-'));
  const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'warn', REQUEST_LOG: 'off', DEMO_CONTENT: 'off' };
  console.log('Writing a synthetic newsroom…');
  await seed(dataDir);
  console.log(`serve --workers N, ${seconds} s per target, ${connections} connections (${loadGenerator()}):\n`);
  for (const workers of [1, 2, 4]) {
    const port = 20000 + Math.floor(Math.random() * 20000);
    const base = `http://127.0.0.1:${port}`;
    current = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--workers', String(workers)], { env: { ...env, PORT: String(port) }, stdio: 'ignore' });
    for (let i = 0; ; i++) {
      try {
        await (await fetch(`${base}/healthz`)).text();
        break;
      } catch {
        if (i > 600) throw new Error('cluster did not start');
        await sleep(200);
      }
    }
    await sleep(workers * 1500); // every worker listening
    const list = (await (await fetch(`${base}/api/v1/articles?limit=1`)).json()) as { items: { id: number; slug: string }[] };
    const article = `/news/${list.items[0]!.id}/${list.items[0]!.slug}`;
    const figures: string[] = [];
    for (const [name, path] of [['cached article', article], ['cached home', '/'], ['API list (uncached)', '/api/v1/sections']] as const) {
      const r = await measureLoad(base + path, connections, seconds);
      figures.push(`${name} ${Math.round(r.rps)} req/s (p99 ${r.p99} ms${r.errors ? `, ${r.errors} errors` : ''})`);
    }
    console.log(`  ${workers} worker(s): ${figures.join(' · ')}`);
    const exited = new Promise((r) => current!.once('exit', r));
    current.kill('SIGTERM');
    await exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
}

await main();
process.exit(0);
