import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type SqliteDatabase, type SqliteStatement } from 'kysely';
import pg from 'pg';
import { ConnectionPinning } from './connection-pinning.js';
import { SyncConnectionPool } from './postgres-sync/sync-connection.js';
import { chooseSyncDriver, type SyncDriver, type SyncDriverChoice } from './postgres-sync/sync-driver.js';
import { postgresTypes } from './postgres-types.js';
import { ReadRouting } from './read-routing.js';
import { parseLsn, ReplicaSet } from './replica-set.js';
import type { Database } from './schema.js';

export type Engine = 'sqlite' | 'postgres';

/**
 * An open database: the Kysely instance plus the few engine facts the rest of the code
 * may branch on. The dialect is chosen once, here, from the URL.
 */
export interface DatabaseHandle {
  db: Kysely<Database>;
  engine: Engine;
  /** Where the data lives, with any password removed (for logs). */
  description: string;
  close(): Promise<void>;
  /** PostgreSQL's connection pool (for metrics); absent on SQLite. */
  pool?: { totalCount: number; idleCount: number; waitingCount: number };
  /** PostgreSQL: keeps one connection for a unit of work (an editor's request); absent on SQLite, which never queues. */
  pinning?: ConnectionPinning;
  /** PostgreSQL: the synchronous connections' transport and, when auto fell back to the worker, why; absent when they are off or on SQLite. */
  syncDriver?: SyncDriverChoice;
  /** PostgreSQL with read replicas (DATABASE_REPLICA_URLS): sends public reads to them; absent otherwise. */
  routing?: ReadRouting;
  /** Every SQL statement the handle runs is passed to these listeners (tests count statements per request with it). */
  statementListeners: Set<(sql: string) => void>;
}

/** Kysely's log hook, feeding the handle's statement listeners (a no-op when none is registered). */
function statementLog(listeners: Set<(sql: string) => void>) {
  return (event: { level: string; query: { sql: string } }) => {
    if (listeners.size === 0) return;
    for (const listener of listeners) listener(event.query.sql);
  };
}

/**
 * better-sqlite3 prepares a statement on every call; Kysely issues the same few SQL
 * strings over and over, so keep their prepared statements (bounded).
 */
function withStatementCache(sqlite: BetterSqlite3.Database, limit = 1000): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string): SqliteStatement {
      // Kysely opens a transaction with a deferred `begin`: one that reads and then writes
      // must upgrade its lock, and when another process has written meanwhile SQLite fails
      // that upgrade at once (SQLITE_BUSY, "database is locked") without waiting for
      // busy_timeout. An immediate transaction takes the write lock at its start, so it
      // waits its turn instead (two `serve` processes enqueuing the same keyed job at start-up).
      if (sql === 'begin') sql = 'begin immediate';
      let stmt = cache.get(sql);
      if (!stmt) {
        stmt = sqlite.prepare(sql) as unknown as SqliteStatement;
        if (cache.size >= limit) cache.clear();
        cache.set(sql, stmt);
      }
      return stmt;
    },
  };
}

function sqlitePath(url: string): string {
  const rest = url.slice('sqlite:'.length);
  return rest === ':memory:' ? ':memory:' : resolve(rest.replace(/^\/\/(?=\/)/, ''));
}

export interface OpenOptions {
  poolSize?: number;
  /** PostgreSQL: keep one connection for each unit of work (an editor's request); default on. */
  pinConnections?: boolean;
  /** PostgreSQL: kept connections answer synchronously (a worker thread each, postgres-sync/); default on. */
  syncConnections?: boolean;
  /** PostgreSQL: a statement on a synchronous connection running longer fails (SQLSTATE 57014); default 30 s. */
  queryTimeoutMs?: number;
  /** PostgreSQL: the synchronous connections' transport (postgres-sync/sync-driver.ts); default auto. */
  syncDriver?: SyncDriver;
  /** PostgreSQL: how long a synchronous connection may block the event loop before it waits asynchronously; default 20 ms. */
  syncBlockMs?: number;
  /**
   * PostgreSQL: false sets `synchronous_commit = off` on every connection: a commit returns
   * before its WAL is flushed (a database-server or OS crash can lose the last fraction of a
   * second of commits, never corrupt; an app crash loses nothing), the durability SQLite has
   * here (WAL, synchronous=NORMAL). Default true (PostgreSQL's default).
   */
  synchronousCommit?: boolean;
  /** PostgreSQL: streaming replicas for public reads (db/read-routing.ts); checked from now on. */
  replicas?: { urls: string[]; maxLagMs: number; checkMs: number };
}

/** Read routing over the primary's pool, its replica checks started (the first check admits healthy replicas). */
function readRouting(pool: pg.Pool, replicas: NonNullable<OpenOptions['replicas']>, poolSize: number): ReadRouting {
  const primaryLsn = async () => parseLsn((await pool.query<{ lsn: string }>('select pg_current_wal_lsn()::text as lsn')).rows[0]!.lsn);
  const set = new ReplicaSet(replicas.urls, { maxLagMs: replicas.maxLagMs, checkMs: replicas.checkMs, poolSize, primaryLsn });
  void set.start();
  return new ReadRouting(set, primaryLsn);
}

/** Opens SQLite (`sqlite:<file>`, created with WAL on first use) or PostgreSQL (`postgres://…`). */
export function openDatabase(url: string, options: OpenOptions = {}): DatabaseHandle {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10, types: postgresTypes as never });
    // An idle connection that PostgreSQL (or the network) drops is reported here; unheard,
    // the event would end the process. The pool discards that client and opens a new one
    // for the next query; until the server is back queries fail and /readyz says so.
    pool.on('error', () => undefined);
    // The same for a connection in use: pg fails its query (the caller sees that error)
    // and also emits 'error' on the client, which the pool does not listen to then.
    pool.on('connect', (client) => {
      client.on('error', () => undefined);
      // Queued before the client's first statement.
      if (options.synchronousCommit === false) client.query('set synchronous_commit = off').catch(() => undefined);
    });
    const maxPins = Math.max(1, Math.floor((options.poolSize ?? 10) / 2));
    const syncOptions = { blockMs: options.syncBlockMs ?? 20, queryTimeoutMs: options.queryTimeoutMs ?? 30_000, connectTimeoutMs: 10_000, synchronousCommit: options.synchronousCommit };
    const syncDriver = options.syncConnections === false ? undefined : chooseSyncDriver(url, options.syncDriver);
    const sync = syncDriver && new SyncConnectionPool(url, syncOptions, maxPins, syncDriver.driver);
    const pinning = options.pinConnections === false ? undefined : new ConnectionPinning(maxPins, sync);
    const primary = new PostgresDialect({ pool });
    const routing = options.replicas?.urls.length ? readRouting(pool, options.replicas, options.poolSize ?? 10) : undefined;
    const pinned = pinning ? pinning.dialect(primary) : primary;
    const statementListeners = new Set<(sql: string) => void>();
    const db = new Kysely<Database>({ dialect: routing ? routing.dialect(pinned) : pinned, log: statementLog(statementListeners) });
    const safe = new URL(url);
    if (safe.password) safe.password = '***';
    return { db, engine: 'postgres', description: safe.toString(), close: async () => (await db.destroy(), await routing?.replicas.close()), pool, pinning, routing, syncDriver, statementListeners };
  }
  if (!url.startsWith('sqlite:')) throw new Error(`unsupported DATABASE_URL: ${url}`);
  const path = sqlitePath(url);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new BetterSqlite3(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Gather planner statistics where they are missing or stale (cheap; SQLite's advice for long-lived connections).
  sqlite.pragma('optimize = 0x10002');
  const statementListeners = new Set<(sql: string) => void>();
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }), log: statementLog(statementListeners) });
  return { db, engine: 'sqlite', description: `sqlite:${path}`, close: () => db.destroy(), statementListeners };
}
