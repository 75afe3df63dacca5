/**
 * HTTP benchmark: builds the server, starts it in its own process on a fresh demo
 * database (SQLite by default, or BENCH_DATABASE_URL), and measures requests/s and
 * latency with autocannon for the article page, home page, API article and legacy
 * related JSON. Figures are printed, never asserted.
 *
 *   npm run bench                      # 10 s per target
 *   BENCH_SECONDS=5 BENCH_CONNECTIONS=20 npm run bench
 *   BENCH_MODE=off npm run bench          # only the content-cache-off run
 *
 * `npm run bench` then runs bench/spike.bench.ts: cached pages beside nginx, uncached
 * renders, publish-to-visible on the same and on another process.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);

console.log('Building…');
execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });

interface Mode {
  name: string;
  env: NodeJS.ProcessEnv;
}

// The modes differ in CONTENT_CACHE_SECONDS: on, pages come from the page cache (and
// the content cache behind it); 0 turns every cache off, so each request renders.
const modes: Mode[] = [
  { name: 'content cache on (default)', env: {} },
  { name: 'content cache off (CONTENT_CACHE_SECONDS=0): every request reads the database', env: { CONTENT_CACHE_SECONDS: '0' } },
];
const only = process.env.BENCH_MODE; // "on" or "off" to run one mode

async function startServer(extra: NodeJS.ProcessEnv) {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const dataDir = mkdtempSync(join(tmpdir(), 'dateline-bench-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    DEMO_CONTENT: 'on',
    LOG_LEVEL: 'warn',
    REQUEST_LOG: 'off',
    ...extra,
  };
  if (process.env.BENCH_DATABASE_URL) env.DATABASE_URL = process.env.BENCH_DATABASE_URL;
  else delete env.DATABASE_URL;
  // Load the demo and make its renditions first, so no background work skews the figures.
  execFileSync(process.execPath, ['dist/cli/dateline.js', 'demo'], { env, stdio: 'ignore' });
  execFileSync(process.execPath, ['dist/cli/dateline.js', 'jobs'], { env, stdio: 'ignore' });
  const server = spawn(process.execPath, ['dist/cli/dateline.js', 'serve'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const stop = () => {
    if (server.exitCode === null) server.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  };
  process.on('exit', stop);
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 120_000);
    server.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('Dateline is running')) {
        clearTimeout(timer);
        resolve();
      }
    });
    server.on('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
  return { origin: `http://127.0.0.1:${port}`, stop };
}

async function measure(origin: string): Promise<string[][]> {
  // Pick the article with the longest related list, as a reader would land on.
  const list = (await (await fetch(`${origin}/api/v1/articles?limit=100`)).json()) as { items: { id: number; url: string }[] };
  let target = list.items[0]!;
  let best = -1;
  for (const item of list.items) {
    const related = (await (await fetch(`${origin}/api/legacy/related/${item.id}`)).json()) as unknown[];
    if (related.length > best) {
      best = related.length;
      target = item;
    }
  }
  const targets: [string, string][] = [
    ['article page (no page cache)', new URL(target.url).pathname],
    ['home page', '/'],
    ['API article', `/api/v1/articles/${target.id}`],
    ['legacy related JSON', `/api/legacy/related/${target.id}`],
  ];
  const rows: string[][] = [];
  for (const [name, path] of targets) {
    const check = await fetch(`${origin}${path}`);
    const bytes = (await check.arrayBuffer()).byteLength;
    if (check.status !== 200) throw new Error(`${path} answered ${check.status}`);
    // Short warm-up so JIT and statement caches are hot before measuring.
    await autocannon({ url: `${origin}${path}`, connections, duration: 2, workers: 1 });
    const r = await autocannon({ url: `${origin}${path}`, connections, duration: seconds, workers: 1 });
    rows.push([
      name,
      path.length > 40 ? `${path.slice(0, 37)}…` : path,
      `${(bytes / 1024).toFixed(1)} KB`,
      r.requests.average.toFixed(0),
      r.latency.p50.toFixed(2),
      r.latency.p99.toFixed(2),
      String(r.non2xx + r.errors),
    ]);
    console.log(`  ${name}: ${r.requests.average.toFixed(0)} req/s`);
  }
  return rows;
}

const reports: string[] = [];
for (const mode of modes) {
  if (only && !mode.name.startsWith(`content cache ${only}`)) continue;
  console.log(`\n${mode.name}`);
  const server = await startServer(mode.env);
  const rows = await measure(server.origin);
  server.stop();
  const header = ['target', 'path', 'size', 'req/s', 'p50 ms', 'p99 ms', 'errors'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  reports.push([`${mode.name}:`, line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n'));
}
console.log(
  `\nDateline HTTP benchmark — ${seconds}s per target, ${connections} connections, Node ${process.version}, ` +
    `${process.env.BENCH_DATABASE_URL ? 'PostgreSQL' : 'SQLite'}; server and load generator share this machine\n`,
);
console.log(reports.join('\n\n'));
process.exit(0);
