/**
 * Shared by `bench:data` and `bench:search`: where a synthetic archive lives (a SQLite
 * file in a data directory with an `archive.json` manifest, or a PostgreSQL database),
 * building it (load + search index) and measuring its size.
 */
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import cliProgress from 'cli-progress';
import { sql } from 'kysely';
import pg from 'pg';
import { reindex } from '../src/cli/reindex.js';
import { openDatabase, type DatabaseHandle } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrator.js';
import { createServices, type Services } from '../src/services/index.js';
import { DEFAULT_ARCHIVE, finishLoad, loadArchive, SyntheticArchive, type ArchiveOptions } from './synthetic-archive.js';

/** What `archive.json` records, so a later benchmark can rebuild the same vocabulary and compare. */
export interface ArchiveManifest extends ArchiveOptions {
  engine: 'sqlite' | 'postgres';
  loadSeconds: number;
  indexSeconds: number;
  indexed: number;
}

export const sqliteUrl = (dir: string) => `sqlite:${join(dir, 'dateline.db')}`;
export const manifestPath = (dir: string) => join(dir, 'archive.json');

export function newDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'dateline-archive-'));
}

export function readManifest(dir: string): ArchiveManifest | null {
  const path = manifestPath(dir);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as ArchiveManifest) : null;
}

export function writeManifest(dir: string, manifest: ArchiveManifest): void {
  writeFileSync(manifestPath(dir), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** Where a built archive records its manifest: `archive.json` beside a SQLite file, a one-row table in PostgreSQL. */
export async function saveManifest(handle: DatabaseHandle, dataDir: string, manifest: ArchiveManifest): Promise<void> {
  if (handle.engine === 'sqlite') return writeManifest(dataDir, manifest);
  await sql`create table if not exists bench_archive (manifest text not null)`.execute(handle.db);
  await sql`delete from bench_archive`.execute(handle.db);
  await sql`insert into bench_archive (manifest) values (${JSON.stringify(manifest)})`.execute(handle.db);
}

export async function loadManifest(handle: DatabaseHandle, dataDir: string): Promise<ArchiveManifest | null> {
  if (handle.engine === 'sqlite') return readManifest(dataDir);
  const table = await sql<{ t: string | null }>`select to_regclass('bench_archive')::text as t`.execute(handle.db);
  if (!table.rows[0]?.t) return null;
  const row = await sql<{ manifest: string }>`select manifest from bench_archive`.execute(handle.db);
  return row.rows[0] ? (JSON.parse(row.rows[0].manifest) as ArchiveManifest) : null;
}

export function openServices(handle: DatabaseHandle, dataDir: string, now: number): Services {
  return createServices(handle, { dataDir, mediaSitePrefix: 'bench' }, { clock: () => now });
}

/** Generates `articles` articles into the (migrated, empty) database and builds the search index. */
export async function buildArchive(
  handle: DatabaseHandle,
  dataDir: string,
  options: { articles: number; seed?: number; years?: number; arabicShare?: number },
): Promise<ArchiveManifest> {
  await migrateToLatest(handle);
  const archiveOptions: ArchiveOptions = { ...DEFAULT_ARCHIVE, ...stripUndefined(options), articles: options.articles, now: Date.now() };
  const archive = new SyntheticArchive(archiveOptions);
  const services = openServices(handle, dataDir, archiveOptions.now);
  const bar = new cliProgress.SingleBar(
    { format: ' articles       |{bar}| {value}/{total} · {rate} articles/s · {eta_formatted} left', hideCursor: true, noTTYOutput: !process.stdout.isTTY, notTTYSchedule: 10_000 },
    cliProgress.Presets.shades_classic,
  );
  const loadStarted = performance.now();
  bar.start(options.articles, 0, { rate: '0' });
  await loadArchive(handle.db, archive, (done) =>
    bar.update(done, { rate: Math.round(done / ((performance.now() - loadStarted) / 1000)).toLocaleString('en') }),
  );
  await finishLoad(handle.db, handle.engine);
  bar.stop();
  const loadSeconds = (performance.now() - loadStarted) / 1000;
  console.log(`Loaded ${options.articles.toLocaleString('en')} articles in ${loadSeconds.toFixed(1)} s (${Math.round(options.articles / loadSeconds).toLocaleString('en')} articles/s)`);
  const indexStarted = performance.now();
  await reindex(services, { searchOnly: true, say: (m) => console.log(m) });
  const indexSeconds = (performance.now() - indexStarted) / 1000;
  // The related engine reads each candidate's semantic vector: build them as a reindex does.
  const vectorsStarted = performance.now();
  await services.relatedEngine.buildVectors();
  console.log(`Semantic vectors in ${((performance.now() - vectorsStarted) / 1000).toFixed(1)} s`);
  const indexed = await services.search.documentCount();
  return { ...archiveOptions, engine: handle.engine, loadSeconds, indexSeconds, indexed };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Bytes on disk: the SQLite file and its WAL, or the PostgreSQL database. */
export async function databaseBytes(handle: DatabaseHandle, dataDir: string): Promise<number> {
  if (handle.engine === 'postgres') {
    const row = await sql<{ n: number }>`select pg_database_size(current_database()) as n`.execute(handle.db);
    return Number(row.rows[0]?.n ?? 0);
  }
  const file = join(dataDir, 'dateline.db');
  return [file, `${file}-wal`].reduce((sum, f) => sum + (existsSync(f) ? statSync(f).size : 0), 0);
}

export const formatBytes = (n: number) => (n >= 1e9 ? `${(n / 1e9).toFixed(2)} GB` : `${(n / 1e6).toFixed(1)} MB`);

/** A new, empty database on the server of `url` (trust or password in the URL), dropped by `drop()`. */
export async function createScratchPostgres(url: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `dateline_bench_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const target = new URL(url);
  target.pathname = `/${name}`;
  return {
    url: target.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export { openDatabase };
