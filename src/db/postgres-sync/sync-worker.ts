import { workerData } from 'node:worker_threads';
import pg from 'pg';
import { postgresTypes } from '../postgres-types.js';
import type { SyncAnswer, SyncErrorFields, SyncRequest, SyncWorkerData } from './sync-protocol.js';

/**
 * The worker thread behind one synchronous PostgreSQL connection (sync-client.ts): it owns
 * a `pg` client, runs each statement the main thread posts, posts the answer back and
 * bumps the shared state word so the main thread, blocked in `Atomics.wait`, wakes at once.
 */
const data = workerData as SyncWorkerData;
const state = new Int32Array(data.state);
const port = data.port;
const client = new pg.Client({
  connectionString: data.url,
  types: postgresTypes as never,
  statement_timeout: data.statementTimeoutMs,
  connectionTimeoutMillis: data.connectTimeoutMs,
  // Statements sent together (sync-protocol.ts) go out without waiting for each other's answers.
  pipeline: true,
} as pg.ClientConfig);
// A connection PostgreSQL (or the network) drops fails the statement in flight (answered
// below); the thread then ends, so the main thread discards this connection as the pool
// discards a dropped client, instead of handing it out again.
client.on('error', () => setTimeout(() => process.exit(1), 10));
client.on('end', () => setTimeout(() => process.exit(1), 10));
const connected = client.connect().then(async () => {
  if (!data.synchronousCommit) await client.query('set synchronous_commit = off');
});
// A failed connect is answered to the first statement, then the thread ends (its connection is discarded).
connected.catch(() => setTimeout(() => process.exit(1), 10));

function errorFields(err: unknown): SyncErrorFields {
  if (!(err instanceof Error)) return { message: String(err) };
  const fields: SyncErrorFields = { message: err.message, name: err.name };
  for (const [key, value] of Object.entries(err)) {
    if (value === undefined || typeof value === 'function' || typeof value === 'object') continue;
    fields[key] = value;
  }
  return fields;
}

/** Whether the connection runs with `synchronous_commit = off` now (for derived writes), and whether a transaction is open (as of the last statement sent). */
let relaxed = !data.synchronousCommit;
let inTransaction = false;

/** A statement that only reads: its durability setting does not matter, so it never switches it. */
const READ_ONLY = /^\s*select\b/i;
const BEGIN = /^\s*(begin|start\s+transaction)\b[^;]*;?\s*$/i;
const ENDS_TRANSACTION = /^\s*(commit|rollback|end|abort)\s*;?\s*$/i;

/**
 * Sends one statement and returns its answer to come. Nothing is awaited before it is on
 * the wire: the client runs in pipeline mode, so the statements of one request (sync-protocol.ts)
 * go out one after the other and the server answers them in one round trip.
 *
 * Derived writes (derived-writes.ts) commit without waiting for the WAL flush. The
 * session's setting changes only between transactions (a SET inside one would be undone
 * by its rollback) and only before a statement that writes; a transaction that needs the
 * other setting gets it with `SET LOCAL` sent with its BEGIN, in the same message.
 */
function send(sql: string, params: unknown[], derived: boolean): Promise<pg.QueryResult> {
  const wanted = derived || !data.synchronousCommit;
  const outside = !inTransaction;
  if (BEGIN.test(sql)) inTransaction = true;
  else if (ENDS_TRANSACTION.test(sql)) inTransaction = false;
  if (outside && wanted !== relaxed) {
    if (BEGIN.test(sql) && params.length === 0) {
      // Back to `default`: the server's or role's setting (on, local, remote_apply …), not a fixed `on`.
      const both = client.query(`${sql.replace(/;?\s*$/, '')}; set local synchronous_commit to ${wanted ? 'off' : 'default'}`) as unknown as Promise<pg.QueryResult[]>;
      return both.then((results) => results[0]!);
    }
    if (!READ_ONLY.test(sql)) {
      // Pipelined ahead of the statement; it cannot fail on a working connection (a broken one fails the statement too).
      client.query(`set synchronous_commit to ${wanted ? 'off' : 'default'}`).catch(() => undefined);
      relaxed = wanted;
    }
  }
  return prepared(sql, params, !outside);
}

/**
 * Statements with parameters run as named prepared statements, one per SQL text on this
 * connection (at most MAX_PREPARED; later texts run unnamed): PostgreSQL parses each once
 * and may keep its plan, instead of parsing and planning it at every call. An editor's
 * create+publish repeats the same few dozen texts, the newsroom's article read alone took
 * 1.1 ms to plan and run unnamed and 0.47 ms prepared (README, Hardening, soak). Only
 * state-changing requests use these connections; public reads, whose plans depend more on
 * their values (search), stay on the pool, unnamed.
 */
const MAX_PREPARED = 500;
const names = new Map<string, string>();
let named = 0;

function prepared(sql: string, params: unknown[], transaction: boolean): Promise<pg.QueryResult> {
  if (params.length === 0) return client.query(sql);
  let name = names.get(sql);
  if (!name && names.size < MAX_PREPARED) names.set(sql, (name = `dateline_${++named}`));
  if (!name) return client.query(sql, params);
  return client.query({ name, text: sql, values: params }).catch((err: unknown) => {
    // A table's columns changed under a prepared `select *` (a migration by another process):
    // PostgreSQL refuses the old statement. The text gets a new name; outside a transaction it runs again at once.
    if (!(err instanceof pg.DatabaseError) || err.code !== '0A000' || !/cached plan/i.test(err.message)) throw err;
    names.delete(sql);
    if (transaction) throw err;
    return prepared(sql, params, transaction);
  });
}

function answer(message: SyncAnswer): void {
  port.postMessage(message);
  Atomics.store(state, 0, message.seq);
  Atomics.notify(state, 0);
}

/** Structured cloning turns a Buffer parameter into a plain Uint8Array, which pg would send as JSON. */
function asPgParams(params: readonly unknown[]): unknown[] {
  return params.map((p) => (p instanceof Uint8Array && !Buffer.isBuffer(p) ? Buffer.from(p.buffer, p.byteOffset, p.byteLength) : p));
}

port.on('message', async (request: SyncRequest) => {
  if ('close' in request) {
    await client.end().catch(() => undefined);
    process.exit(0);
  }
  const seq = request.seq;
  try {
    await connected;
  } catch (err) {
    return answer({ seq, ok: false, error: errorFields(err), database: err instanceof pg.DatabaseError });
  }
  // All on the wire before the first answer is awaited.
  const sent = request.statements.map((s) => send(s.sql, asPgParams(s.params), s.derived === true));
  let failure: unknown = null;
  let last: pg.QueryResult | null = null;
  for (const [i, answered] of sent.entries()) {
    try {
      last = await answered;
    } catch (err) {
      // The first error is the one to report: those after it follow from it (the transaction is aborted).
      if (failure === null) failure = err;
      // A failed BEGIN opened nothing (it fails only with its connection, which then ends).
      if (BEGIN.test(request.statements[i]!.sql)) inTransaction = false;
    }
  }
  if (failure !== null) answer({ seq, ok: false, error: errorFields(failure), database: failure instanceof pg.DatabaseError });
  else answer({ seq, ok: true, command: last!.command, rowCount: last!.rowCount, rows: last!.rows });
});
