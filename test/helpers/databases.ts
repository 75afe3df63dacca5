import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Config } from '../../src/config/config.js';
import { openDatabase, type DatabaseHandle, type Engine, type OpenOptions } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrator.js';
import { createJobHandlers } from '../../src/jobs/job-handlers.js';
import { JobRunner } from '../../src/jobs/job-runner.js';
import { createServices, type Services } from '../../src/services/index.js';

/**
 * The engines every repository and service test runs on. PostgreSQL comes from
 * TEST_POSTGRES_URL (scripts/test.mjs sets it when a local server answers).
 */
export const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? '';
export const DIALECTS: Engine[] = POSTGRES_URL ? ['sqlite', 'postgres'] : ['sqlite'];

export interface TestDb {
  engine: Engine;
  handle: DatabaseHandle;
  services: Services;
  dataDir: string;
  /** Runs every due background job now (renditions, scheduled publishing, …). */
  runJobs(): Promise<number>;
  /** Current test time (ms); move it with `clock.set`. */
  clock: { now: number; set(ms: number): void };
  cleanup(): Promise<void>;
}

let counter = 0;

/** A fresh, migrated database (SQLite file or a PostgreSQL schema of its own) and services over it. */
export interface TestDbOptions {
  now?: number;
  /** Options for opening the test's fresh database (a synchronous-connection driver …). */
  open?: OpenOptions;
  contentCacheSeconds?: number;
  /** Media on an S3-compatible server instead of local disk. */
  s3?: Config['s3'];
  maxImageMegapixels?: number;
  /** Email through this SMTP server (links in it start with `baseUrl`). */
  smtpUrl?: string;
  baseUrl?: string;
  /** ARTICLE_INDEXING: index, related lists and purges inline (default here) or by a job. */
  articleIndexing?: 'inline' | 'job';
  /** Webhook settings (e.g. allow the test's own 127.0.0.1 receiver, short timeouts). */
  webhooks?: Partial<Pick<Config, 'webhookAllowPrivate' | 'webhookTimeoutMs' | 'webhookMaxAttempts' | 'webhookDisableAfter'>>;
  /** Wire ingest and import settings (e.g. allow the test's own 127.0.0.1 feed server, old-site origins). */
  wire?: Partial<Pick<Config, 'wireAllowPrivate' | 'wireTimeoutMs' | 'wireMaxBytes' | 'wireFolderRoot' | 'legacyOrigins'>>;
  /** Live coverage limits (LIVE_MAX_READERS, LIVE_EVENTS_KEEP_HOURS). */
  live?: Partial<Pick<Config, 'liveMaxReaders' | 'liveEventsKeepHours'>>;
  /** Web Push settings (VAPID keys, allow the test's own 127.0.0.1 push receiver). */
  push?: Partial<Pick<Config, 'vapidPublicKey' | 'vapidPrivateKey' | 'vapidSubject' | 'pushAllowPrivate' | 'pushRatePerMinute' | 'pushMaxPerOrigin'>>;
  /** A database of the test's own (e.g. a private PostgreSQL primary with replicas) instead of a fresh one on the shared server. */
  database?: { url: string; open?: OpenOptions };
}

/**
 * Test processes share one database, so migrations and schema drops take turns under one
 * advisory lock: the migrator looks at its own schema only (`ownSchemaOnly`), but migration
 * 030's `create extension if not exists rum` is database-wide, and two at once can collide.
 */
const SCHEMA_LOCK = 74_210_001;

async function underSchemaLock<T>(work: () => Promise<T>): Promise<T> {
  const lock = new pg.Client({ connectionString: POSTGRES_URL });
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock($1)', [SCHEMA_LOCK]);
    return await work();
  } finally {
    await lock.end().catch(() => undefined);
  }
}

/** Drops a test's PostgreSQL schema without racing other tests' migrations. */
export async function dropTestSchema(schema: string): Promise<void> {
  await underSchemaLock(async () => {
    const c = new pg.Client({ connectionString: POSTGRES_URL });
    await c.connect();
    try {
      await c.query(`drop schema if exists ${schema} cascade`);
    } finally {
      await c.end();
    }
  });
}

export async function createTestDb(engine: Engine, options: TestDbOptions = {}): Promise<TestDb> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dateline-test-'));
  const { url, drop: dropSchema } = options.database ? { url: options.database.url, drop: async () => undefined } : await freshDatabaseUrl(engine, dataDir, 't', 'test');
  const handle = openDatabase(url, { poolSize: 4, ...options.open, ...options.database?.open });
  await (engine === 'postgres' && !options.database ? underSchemaLock(() => migrateToLatest(handle)) : migrateToLatest(handle));
  const clock = {
    now: options.now ?? Date.parse('2026-11-20T12:00:00Z'),
    set(ms: number) {
      clock.now = ms;
    },
  };
  const services = createServices(
    handle,
    {
      dataDir,
      mediaSitePrefix: 'test',
      contentCacheSeconds: options.contentCacheSeconds ?? 5,
      mediaStore: options.s3 ? 's3' : 'local',
      s3: options.s3,
      mediaMaxMegapixels: options.maxImageMegapixels ?? 100,
      smtpUrl: options.smtpUrl,
      baseUrl: options.baseUrl ?? 'http://news.test',
      siteName: 'Dateline Test',
      articleIndexing: options.articleIndexing,
      ...options.webhooks,
      ...options.wire,
      ...options.push,
      ...options.live,
    },
    { clock: () => clock.now },
  );
  const runner = new JobRunner(services.repos.jobs, createJobHandlers(services), () => clock.now);
  return {
    engine,
    handle,
    services,
    runJobs: () => runner.runDue(),
    dataDir,
    clock,
    async cleanup() {
      await handle.close();
      await dropSchema();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A fresh database URL (also for a `dateline` child process's `DATABASE_URL`): a SQLite
 * file under `dir`, or a PostgreSQL schema of its own; `drop` removes the schema.
 */
export async function freshDatabaseUrl(engine: Engine, dir: string, name: string, file = name): Promise<{ url: string; drop: () => Promise<void> }> {
  if (engine === 'sqlite') return { url: `sqlite:${join(dir, `${file}.db`)}`, drop: async () => undefined };
  const schema = `${name}_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const u = new URL(POSTGRES_URL);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return { url: u.toString(), drop: () => dropTestSchema(schema) };
}
