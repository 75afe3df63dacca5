/**
 * `npm run bench:search [-- --articles 100000] [--data-dir DIR] [--database-url postgres://…]`
 *
 * Search and related-stories latency on a synthetic archive: search p50/p95 over a mix
 * of single-word, two-word, phrase and prefix queries drawn from the archive's vocabulary
 * (with and without filters, English and Arabic), related-list compute p50/p95 for random
 * published articles, index build time and database size. SQLite always (reusing the
 * archive of `bench:data` with `--data-dir DIR`, else generating one in a temp dir that
 * is deleted afterwards); PostgreSQL too with `--database-url` or BENCH_DATABASE_URL, in a
 * database created for the run and dropped after. Figures are printed, never asserted.
 * `--only sqlite|postgres` runs one engine; `--reuse-postgres` measures the archive that
 * `bench:data --database-url URL` built in that database (no scratch database). Targets at
 * 1M articles, both engines: search p95 < 50 ms, related compute p95 < 50 ms. With both
 * engines on the same archive (the same `--articles`, or `bench:data` run twice with the
 * same seed), the top-10 overlap of each query's results is printed too, by query kind.
 * `--slowest N` prints the N slowest searches (default 5) with their requests.
 * `--passes N` (default 2) runs the same searches and related lists N times: the first pass
 * reads what the page cache holds (cold after a rebuild, a restart or the other engine's
 * run), later ones what the first brought in (warm); each pass is reported. `--cold` empties
 * the operating system's page cache before an engine's first pass (root on Linux: `sync`,
 * then `/proc/sys/vm/drop_caches`), so that pass reads from disk as after a reboot.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { migrateToLatest } from '../src/db/migrator.js';
import type { SearchRequest } from '../src/services/search.service.js';
import {
  buildArchive,
  createScratchPostgres,
  databaseBytes,
  formatBytes,
  newDataDir,
  openDatabase,
  openServices,
  loadManifest,
  readManifest,
  saveManifest,
  sqliteUrl,
  type ArchiveManifest,
} from './archive-build.js';
import { SECTIONS, SyntheticArchive } from './synthetic-archive.js';
import { int, mixSeed, pick, prng, type Rng } from './synthetic-text.js';

const { values } = parseArgs({
  options: {
    articles: { type: 'string', default: '100000' },
    'data-dir': { type: 'string' },
    'database-url': { type: 'string' },
    queries: { type: 'string', default: '600' },
    related: { type: 'string', default: '200' },
    /** How many of the slowest searches to print, with their time and request. */
    slowest: { type: 'string', default: '5' },
    /** Only one engine: `sqlite` or `postgres` (default: SQLite, plus PostgreSQL when a URL is given). */
    only: { type: 'string' },
    /** Measure the archive `bench:data --database-url` built in that database instead of a scratch one. */
    'reuse-postgres': { type: 'boolean', default: false },
    /** Runs of the same searches and related lists; the first as the page cache is found, the rest warm. */
    passes: { type: 'string', default: '2' },
    /** Empty the OS page cache before each engine's first pass (needs root on Linux). */
    cold: { type: 'boolean', default: false },
  },
});
const PASSES = Number(values.passes);
if (!Number.isInteger(PASSES) || PASSES < 1) throw new Error('--passes must be a whole number of at least 1');
const QUERIES = Number(values.queries);
const RELATED = Number(values.related);
const TARGET_MS = 50;

type Kind = 'word' | 'two words' | 'phrase' | 'prefix';
interface BenchQuery {
  kind: Kind;
  arabic: boolean;
  filtered: boolean;
  request: SearchRequest;
}

/** A reproducible mix of what readers type, drawn from the archive's own words. */
function makeQueries(archive: SyntheticArchive, count: number): BenchQuery[] {
  const rng = prng(mixSeed(archive.options.seed, 77));
  const n = archive.options.articles;
  const sampleArticle = (arabic: boolean) => {
    for (let tries = 0; ; tries++) {
      const a = archive.article(int(rng, 1, n));
      if (a.story.arabic === arabic || tries > 400) return a;
    }
  };
  // Content words from common to rare: log-uniform rank between 60 and 20,000.
  const vocabWord = (arabic: boolean) => {
    const v = arabic ? archive.ar : archive.en;
    return v.words[Math.min(v.words.length - 1, Math.floor(Math.exp(Math.log(60) + rng() * (Math.log(20_000) - Math.log(60)))))]!;
  };
  const kinds: Kind[] = ['word', 'two words', 'phrase', 'prefix'];
  const out: BenchQuery[] = [];
  for (let i = 0; i < count; i++) {
    const kind = kinds[i % kinds.length]!;
    const arabic = rng() < 0.15;
    const a = sampleArticle(arabic);
    const bodyWords = a.paragraphs[0]!.replace(/[.]/g, '').split(' ');
    let q: string;
    if (kind === 'word') q = rng() < 0.5 ? vocabWord(arabic) : pick(rng, a.story.topicWords);
    else if (kind === 'two words') q = `${pick(rng, a.story.topicWords)} ${rng() < 0.5 ? vocabWord(arabic) : pick(rng, a.headline.split(' ').slice(2))}`;
    else if (kind === 'phrase') {
      const at = int(rng, 0, Math.max(0, bodyWords.length - 3));
      q = `"${bodyWords.slice(at, at + int(rng, 2, 3)).join(' ')}"`;
    } else {
      const w = vocabWord(arabic);
      q = `${w.slice(0, Math.min(w.length, int(rng, 3, 5)))}*`;
    }
    const request: SearchRequest = { q, order: rng() < 0.15 ? 'date' : 'relevance' };
    const f = rng();
    if (f < 0.25) request.section = pick(rng, SECTIONS);
    else if (f < 0.4) request.type = pick(rng, ['news', 'opinion', 'video-report', 'photo-gallery']);
    else if (f < 0.5) request.publishedAfter = new Date(archive.options.now - int(rng, 1, archive.options.years) * 365 * 86_400_000).toISOString();
    else if (f < 0.65) request.lang = arabic ? 'ar' : 'en';
    out.push({ kind, arabic, filtered: f < 0.65, request });
  }
  return out;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface Series {
  label: string;
  times: number[];
  hits: number[];
}
const row = (engine: string, s: Series) => {
  const t = [...s.times].sort((x, y) => x - y);
  const avgHits = s.hits.length ? (s.hits.reduce((x, y) => x + y, 0) / s.hits.length).toFixed(0) : '';
  return [engine, s.label, String(t.length), percentile(t, 50).toFixed(1), percentile(t, 95).toFixed(1), percentile(t, 99).toFixed(1), (t.at(-1) ?? NaN).toFixed(1), avgHits];
};

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** Empties the operating system's page cache (`--cold`), or says why it could not. */
function dropPageCache(): void {
  try {
    execFileSync('sync');
    writeFileSync('/proc/sys/vm/drop_caches', '3');
    console.log('  page cache emptied (--cold)');
  } catch (err) {
    console.log(`  --cold: the page cache could not be emptied (${err instanceof Error ? err.message : String(err)}); the first pass reads what it holds`);
  }
}

/** A pass's name in the tables: the first reads what the page cache held, later ones are warm. */
const passName = (pass: number) => (PASSES === 1 ? '' : pass === 0 ? (values.cold ? ' [cold]' : ' [pass 1]') : ` [warm ${pass + 1}]`);

interface PassResult {
  name: string;
  series: Series[];
  search: Series;
  related: Series;
  /** Node's CPU (user and system) per related list, in ms. */
  relatedCpuMs: number;
}

interface EngineResult {
  engine: string;
  manifest: ArchiveManifest;
  bytes: number;
  passes: PassResult[];
  /** Each query's first ten result ids, in query order, from the last pass (for the engines' overlap). */
  tops: number[][];
}

async function measure(url: string, dataDir: string, manifest: ArchiveManifest | null, articles: number): Promise<EngineResult> {
  const handle = openDatabase(url);
  try {
    if (!manifest) {
      manifest = await buildArchive(handle, dataDir, { articles });
      await saveManifest(handle, dataDir, manifest);
    } else {
      // An archive built by an earlier version is upgraded as `serve` would upgrade it.
      await migrateToLatest(handle);
    }
    const archive = new SyntheticArchive(manifest);
    const services = openServices(handle, dataDir, Date.now());
    const queries = makeQueries(archive, QUERIES);
    const rng: Rng = prng(mixSeed(manifest.seed, 99));
    const ids: number[] = [];
    while (ids.length < RELATED + 10) {
      const id = int(rng, 1, manifest.articles);
      if (archive.article(id).status === 'published') ids.push(id);
    }
    if (values.cold) dropPageCache();
    const passes: PassResult[] = [];
    let tops: number[][] = [];
    for (let pass = 0; pass < PASSES; pass++) {
      const name = passName(pass);
      const bucket = new Map<string, Series>();
      const add = (label: string, ms: number, hits?: number) => {
        const s = bucket.get(label) ?? { label: label + name, times: [], hits: [] };
        s.times.push(ms);
        if (hits !== undefined) s.hits.push(hits);
        bucket.set(label, s);
      };
      // Warm-up: statement caches, catalog snapshot, document count (a few queries; the page cache stays as found).
      if (pass === 0) for (const q of queries.slice(0, 30)) await services.search.search(q.request);
      console.log(`Searching (${queries.length} queries) on ${handle.engine}${name}…`);
      const slow: { ms: number; q: BenchQuery }[] = [];
      tops = [];
      for (const q of queries) {
        const started = performance.now();
        const res = await services.search.search(q.request);
        const ms = performance.now() - started;
        tops.push(res.items.slice(0, 10).map((i) => i.article.id));
        add('search: all', ms, res.total);
        add(`search: ${q.kind}`, ms, res.total);
        add(`search: ${q.filtered ? 'with filter' : 'no filter'}`, ms, res.total);
        add(`search: ${q.arabic ? 'Arabic' : 'English'}`, ms, res.total);
        slow.push({ ms, q });
      }
      slow.sort((x, y) => y.ms - x.ms);
      console.log(`  slowest: ${slow.slice(0, Number(values.slowest)).map((s) => `${s.ms.toFixed(0)} ms ${JSON.stringify(s.q.request)}`).join('\n           ')}`);
      console.log(`Computing related lists (${RELATED} articles) on ${handle.engine}${name}…`);
      if (pass === 0) for (const id of ids.slice(0, 10)) await services.relatedEngine.compute(id);
      // This process's CPU per list (scoring, the driver; SQLite's work too, PostgreSQL's server's not): on a busy
      // machine the latencies stretch with waiting for a core, this much less.
      const cpuBefore = process.cpuUsage();
      for (const id of ids.slice(10)) {
        const started = performance.now();
        const list = await services.relatedEngine.compute(id);
        add('related compute', performance.now() - started, list.length);
      }
      const cpu = process.cpuUsage(cpuBefore);
      const order = ['search: all', 'search: word', 'search: two words', 'search: phrase', 'search: prefix', 'search: no filter', 'search: with filter', 'search: English', 'search: Arabic', 'related compute'];
      passes.push({
        name,
        series: order.map((label) => bucket.get(label)).filter((s): s is Series => s !== undefined),
        search: bucket.get('search: all')!,
        related: bucket.get('related compute')!,
        relatedCpuMs: (cpu.user + cpu.system) / 1000 / Math.max(1, ids.length - 10),
      });
    }
    return {
      engine: handle.engine,
      manifest,
      bytes: await databaseBytes(handle, dataDir),
      passes,
      tops,
    };
  } finally {
    await handle.close();
  }
}

const results: EngineResult[] = [];
const loadAtStart = loadavg()[0]!;
const givenDir = values['data-dir'];
const existing = givenDir ? readManifest(givenDir) : null;
const articles = existing?.articles ?? Number(values.articles);
const pgUrl = values['database-url'] ?? process.env.BENCH_DATABASE_URL;
if (values.only === 'postgres' && !pgUrl) throw new Error('--only postgres needs --database-url or BENCH_DATABASE_URL');

if (values.only !== 'postgres') {
  const sqliteDir = givenDir ?? newDataDir();
  try {
    console.log(existing ? `Reusing the archive in ${sqliteDir} (${existing.articles.toLocaleString('en')} articles)` : `Generating ${articles.toLocaleString('en')} articles (SQLite) in ${sqliteDir}`);
    results.push(await measure(sqliteUrl(sqliteDir), sqliteDir, existing, articles));
  } finally {
    if (!givenDir) rmSync(sqliteDir, { recursive: true, force: true });
  }
}

if (pgUrl && values.only !== 'sqlite' && values['reuse-postgres']) {
  const probe = openDatabase(pgUrl);
  const stored = await loadManifest(probe, '').finally(() => probe.close());
  if (!stored) throw new Error(`${new URL(pgUrl).pathname.slice(1)} holds no archive: build one with npm run bench:data -- --database-url …`);
  console.log(`Reusing the PostgreSQL archive (${stored.articles.toLocaleString('en')} articles)`);
  const dir = newDataDir();
  try {
    results.push(await measure(pgUrl, dir, stored, stored.articles));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
} else if (pgUrl && values.only !== 'sqlite') {
  const scratch = await createScratchPostgres(pgUrl);
  const dir = newDataDir();
  try {
    console.log(`Generating ${articles.toLocaleString('en')} articles (PostgreSQL) in a scratch database`);
    results.push(await measure(scratch.url, dir, null, articles));
  } finally {
    await scratch.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(
  `\nDateline search benchmark — Node ${process.version}, ${QUERIES} queries, ${RELATED} related computes per engine; times in ms; load average ${loadAtStart.toFixed(1)} at start, ${loadavg()[0]!.toFixed(1)} at end (2 cores)\n`,
);
console.log(table(['engine', 'operation', 'n', 'p50', 'p95', 'p99', 'max', 'avg hits/items'], results.flatMap((r) => r.passes.flatMap((p) => p.series.map((s) => row(r.engine, s))))));
console.log('');
const verdict = (s: Series) => {
  const p95 = percentile([...s.times].sort((x, y) => x - y), 95);
  return `${p95.toFixed(1)} ${p95 < TARGET_MS ? '(< 50 ✓)' : '(> 50 ✗)'}`;
};
console.log(
  table(
    ['engine', 'articles', 'search p50', 'search p95', 'related p50', 'related p95', 'related CPU', 'index build', 'load', 'database'],
    results.flatMap((r) => r.passes.map((p) => [
      r.engine + p.name,
      r.manifest.articles.toLocaleString('en'),
      percentile([...p.search.times].sort((x, y) => x - y), 50).toFixed(1),
      verdict(p.search),
      percentile([...p.related.times].sort((x, y) => x - y), 50).toFixed(1),
      verdict(p.related),
      `${p.relatedCpuMs.toFixed(1)} ms`,
      `${r.manifest.indexSeconds.toFixed(0)} s`,
      `${Math.round(r.manifest.articles / r.manifest.loadSeconds).toLocaleString('en')}/s`,
      formatBytes(r.bytes),
    ])),
  ),
);
const [sqliteRun, postgresRun] = [results.find((r) => r.engine === 'sqlite'), results.find((r) => r.engine === 'postgres')];
if (sqliteRun && postgresRun && sqliteRun.manifest.articles === postgresRun.manifest.articles && sqliteRun.manifest.seed === postgresRun.manifest.seed) {
  console.log(`\nTop-10 agreement, PostgreSQL against SQLite on the same archive (queries where SQLite found something):\n`);
  const archive = new SyntheticArchive(sqliteRun.manifest);
  const queries = makeQueries(archive, QUERIES);
  const groups = new Map<string, { n: number; overlap: number; top1: number }>();
  queries.forEach((q, i) => {
    const a = sqliteRun.tops[i]!;
    const b = postgresRun.tops[i]!;
    if (!a.length) return;
    const shared = b.filter((id) => a.includes(id)).length;
    for (const label of ['all', q.kind, q.arabic ? 'Arabic' : 'English', q.filtered ? 'with filter' : 'no filter']) {
      const g = groups.get(label) ?? groups.set(label, { n: 0, overlap: 0, top1: 0 }).get(label)!;
      g.n++;
      g.overlap += shared / a.length;
      g.top1 += a[0] === b[0] ? 1 : 0;
    }
  });
  console.log(
    table(
      ['queries', 'kind', 'n', 'top-10 overlap', 'same first result'],
      [...groups].map(([label, g]) => ['search', label, String(g.n), `${((g.overlap / g.n) * 100).toFixed(1)} %`, `${((g.top1 / g.n) * 100).toFixed(1)} %`]),
    ),
  );
}
console.log(`\nTargets at 1M articles: search p95 < ${TARGET_MS} ms, related compute p95 < ${TARGET_MS} ms, warm.${PASSES > 1 ? ` The first pass reads what the page cache held (${values.cold ? 'emptied by --cold' : 'cold after a rebuild, a restart or the other engine'}); later passes are warm.` : ''} Related CPU: this process's CPU per list (SQLite's work included, being in the process; PostgreSQL's server not counted).`);
