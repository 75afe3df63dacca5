import { workerData } from 'node:worker_threads';
import pg from 'pg';
import { postgresTypes } from '../postgres-types.js';
import type { SyncAnswer, SyncErrorFields, SyncRequest, SyncWorkerData } from './sync-protocol.js';
import { isStalePlan, SyncSession, type PlannedStatement } from './sync-session.js';

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

const session = new SyncSession(data.synchronousCommit);

/**
 * Sends one statement (and the durability switch it needs: sync-session.ts) and returns its
 * answer to come. Nothing is awaited before it is on the wire: the client runs in pipeline
 * mode, so the statements of one request (sync-protocol.ts) go out one after the other and
 * the server answers them in one round trip.
 */
function send(sql: string, params: unknown[], derived: boolean): Promise<pg.QueryResult> {
  const plan = session.plan(sql, params, derived);
  const sent = plan.statements.map((s) => (s.quiet ? client.query(s.sql).catch(() => undefined) : prepared(s, session.inTransaction)));
  return sent[plan.answer] as Promise<pg.QueryResult>;
}

function prepared(statement: PlannedStatement, transaction: boolean): Promise<pg.QueryResult> {
  const { sql, params, name } = statement;
  if (!name) return params.length ? client.query(sql, params) : client.query(sql);
  return client.query({ name, text: sql, values: params }).catch((err: unknown) => {
    // A table's columns changed under a prepared `select *`: the text gets a new name; outside a transaction it runs again at once.
    if (!(err instanceof pg.DatabaseError) || !isStalePlan(err.code, err.message)) throw err;
    session.forget(sql);
    if (transaction) throw err;
    return prepared(session.statement(sql, params), transaction);
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
      session.failed(request.statements[i]!.sql);
    }
  }
  if (failure !== null) answer({ seq, ok: false, error: errorFields(failure), database: failure instanceof pg.DatabaseError });
  else answer({ seq, ok: true, command: last!.command, rowCount: last!.rowCount, rows: last!.rows });
});
