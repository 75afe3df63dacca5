/**
 * `npm run bench:boot -- --data-dir DIR | --database-url postgres://…  [--runs 5] [--requests 300]`
 *
 * A lean process at archive scale (issue 14): starts `dateline serve` on an archive that
 * `bench:data` built (SQLite in DIR, or the PostgreSQL database it filled), and prints
 * - start to serving: from spawning the process to the first 200 from `/` (each run a new
 *   process; the first run may read the database from disk, later ones from the OS cache);
 * - resident memory (VmRSS) once serving and after the page requests, and its peak (VmHWM);
 * - uncached page latency, p50/p95/p99, requests one after another: random published
 *   article pages, the home page and section fronts (the page cache is off, PAGE_CACHE_MB=0,
 *   so every request renders). Targets at 1M articles: start < 2 s, < 300 MB, page p99 < 20 ms.
 * Figures are printed, never asserted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { openDatabase } from '../src/db/database.js';
import { articlePath } from '../src/domain/article.js';
import { sqliteUrl } from './archive-build.js';

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    'database-url': { type: 'string' },
    runs: { type: 'string', default: '5' },
    requests: { type: 'string', default: '300' },
  },
});
const RUNS = Number(values.runs);
const REQUESTS = Number(values.requests);
if (!values['data-dir'] && !values['database-url']) {
  console.error('usage: npm run bench:boot -- --data-dir DIR (SQLite archive of bench:data) | --database-url postgres://…');
  process.exit(2);
}
const databaseUrl = values['database-url'] ?? sqliteUrl(values['data-dir']!);
// PostgreSQL keeps no files in DATA_DIR (media would go there): a scratch one.
const dataDir = values['data-dir'] ?? mkdtempSync(join(tmpdir(), 'dateline-boot-'));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}
const ms = (x: number) => `${x.toFixed(1)} ms`;
function summary(values: number[]): string {
  const s = [...values].sort((a, b) => a - b);
  return `p50 ${ms(percentile(s, 50))} · p95 ${ms(percentile(s, 95))} · p99 ${ms(percentile(s, 99))} · max ${ms(s[s.length - 1] ?? Number.NaN)} (${s.length})`;
}
/** CPU time (user + system) the process has used: unlike wall time, other processes' load does not inflate it. */
function cpuMs(child: ChildProcess): number {
  const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in clock ticks of 1/100 s
}
function memory(child: ChildProcess): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
}

/** The pages to request: random published articles and every section, read before the server starts. */
async function samplePaths(): Promise<{ articles: string[]; sections: string[]; count: number }> {
  const handle = openDatabase(databaseUrl);
  try {
    const range = await sql<{ lo: number; hi: number; n: number }>`select min(id) as lo, max(id) as hi, count(*) as n from articles`.execute(handle.db);
    const { lo, hi, n } = range.rows[0]!;
    const ids = Array.from({ length: REQUESTS }, () => Number(lo) + Math.floor(Math.random() * (Number(hi) - Number(lo) + 1)));
    const rows = await sql<{ id: number; slug: string }>`select id, slug from articles where id in (${sql.join(ids)}) and status = 'published'`.execute(handle.db);
    const sections = await sql<{ slug: string }>`select slug from sections order by id`.execute(handle.db);
    return { articles: rows.rows.map((r) => articlePath({ id: Number(r.id), slug: r.slug })), sections: sections.rows.map((s) => `/section/${encodeURIComponent(s.slug)}`), count: Number(n) };
  } finally {
    await handle.close();
  }
}

async function get(origin: string, path: string): Promise<{ status: number; ms: number }> {
  const t0 = performance.now();
  const res = await fetch(origin + path);
  await res.arrayBuffer();
  return { status: res.status, ms: performance.now() - t0 };
}

async function startServer(port: number): Promise<{ child: ChildProcess; startMs: number }> {
  const env = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: databaseUrl, DEMO_CONTENT: 'off', PAGE_CACHE_MB: '0', REQUEST_LOG: 'off', LOG_LEVEL: 'warn' };
  const t0 = performance.now();
  const child = spawn(process.execPath, ['dist/cli/dateline.js', 'serve'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`the server exited (${code}) before serving`))));
  for (;;) {
    try {
      const res = await Promise.race([fetch(`http://127.0.0.1:${port}/`), exited]);
      await res.arrayBuffer();
      if (res.status === 200) return { child, startMs: performance.now() - t0 };
    } catch (err) {
      if (child.exitCode !== null) throw err;
    }
    if (performance.now() - t0 > 600_000) throw new Error('the server did not serve in 10 minutes');
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const done = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await done;
}

const { articles, sections, count } = await samplePaths();
console.log(`Archive: ${databaseUrl.startsWith('sqlite:') ? 'SQLite' : 'PostgreSQL'}, ${count.toLocaleString('en')} articles; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);

const starts: number[] = [];
const cpu: number[] = [];
const port = 30000 + Math.floor(Math.random() * 20000);
for (let run = 1; run <= RUNS; run++) {
  const { child, startMs } = await startServer(port);
  starts.push(startMs);
  cpu.push(cpuMs(child));
  const atStart = memory(child);
  let line = `run ${run}: serving after ${ms(startMs)} (CPU ${ms(cpu[cpu.length - 1]!)}), RSS ${atStart.rss.toFixed(0)} MB`;
  if (run === RUNS) {
    const origin = `http://127.0.0.1:${port}`;
    const times: Record<string, number[]> = { article: [], home: [], section: [] };
    const errors: string[] = [];
    const measure = async (kind: string, path: string) => {
      const r = await get(origin, path);
      if (r.status !== 200) errors.push(`${r.status} ${path}`);
      else times[kind]!.push(r.ms);
    };
    // A few of each first (the process's own first-use costs: JIT, prepared statements), then the measured ones.
    for (const path of [...articles.slice(0, 5), '/', ...sections.slice(0, 2)]) await get(origin, path);
    for (let i = 0; i < articles.length; i++) {
      await measure('article', articles[i]!);
      if (i % 3 === 0) await measure('home', '/');
      if (i % 3 === 1 && sections.length) await measure('section', sections[i % sections.length]!);
    }
    const after = memory(child);
    line += `; after ${articles.length + times.home!.length + times.section!.length} pages RSS ${after.rss.toFixed(0)} MB (peak ${after.hwm.toFixed(0)} MB)`;
    console.log(line);
    for (const [kind, values] of Object.entries(times)) console.log(`  ${kind.padEnd(8)} ${summary(values)}`);
    if (errors.length) console.log(`  errors: ${errors.length} (${errors.slice(0, 5).join(', ')})`);
  } else {
    console.log(line);
  }
  await stop(child);
}
const sorted = [...starts].sort((a, b) => a - b);
const cpuSorted = [...cpu].sort((a, b) => a - b);
console.log(`Start to serving: median ${ms(percentile(sorted, 50))}, max ${ms(sorted[sorted.length - 1]!)} over ${RUNS} starts (CPU median ${ms(percentile(cpuSorted, 50))}); load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
if (!values['data-dir']) rmSync(dataDir, { recursive: true, force: true });
