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
});
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

/** Whether the connection runs with `synchronous_commit = off` now (for derived writes), and whether a transaction is open. */
let relaxed = !data.synchronousCommit;
let inTransaction = false;

/**
 * Derived writes (derived-writes.ts) commit without waiting for the WAL flush. The setting
 * changes only between transactions: a SET inside one would be undone by its rollback.
 */
async function setDurability(derived: boolean): Promise<void> {
  const wanted = derived || !data.synchronousCommit;
  if (wanted === relaxed || inTransaction) return;
  // Back to `default`: the server's or role's setting (on, local, remote_apply …), not a fixed `on`.
  await client.query(`set synchronous_commit to ${wanted ? 'off' : 'default'}`);
  relaxed = wanted;
}

function answer(message: SyncAnswer): void {
  port.postMessage(message);
  Atomics.store(state, 0, message.seq);
  Atomics.notify(state, 0);
}

port.on('message', async (request: SyncRequest) => {
  if ('close' in request) {
    await client.end().catch(() => undefined);
    process.exit(0);
  }
  try {
    await connected;
    // Structured cloning turns a Buffer parameter into a plain Uint8Array, which pg would send as JSON.
    const params = request.params.map((p) => (p instanceof Uint8Array && !Buffer.isBuffer(p) ? Buffer.from(p.buffer, p.byteOffset, p.byteLength) : p));
    await setDurability(request.derived === true);
    const result = await client.query(request.sql, params);
    if (result.command === 'BEGIN') inTransaction = true;
    else if (result.command === 'COMMIT' || result.command === 'ROLLBACK') inTransaction = false;
    answer({ seq: request.seq, ok: true, command: result.command, rowCount: result.rowCount, rows: result.rows });
  } catch (err) {
    // A failed COMMIT or ROLLBACK still ends the transaction.
    if (/^\s*(commit|rollback)\b/i.test(request.sql)) inTransaction = false;
    answer({ seq: request.seq, ok: false, error: errorFields(err), database: err instanceof pg.DatabaseError });
  }
});
