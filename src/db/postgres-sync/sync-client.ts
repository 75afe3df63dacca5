import { MessageChannel, receiveMessageOnPort, type Worker, type MessagePort } from 'node:worker_threads';
import { startWorker } from '../../worker-thread.js';
import pg from 'pg';
import type { SyncAnswer, SyncErrorFields, SyncRequest, SyncStatement, SyncWorkerData } from './sync-protocol.js';

export interface SyncClientOptions {
  /** How long the main thread may block for an answer before it waits asynchronously instead, in ms. */
  blockMs: number;
  /** A statement running longer fails (PostgreSQL cancels it: SQLSTATE 57014); a connection that never answers fails a moment later. */
  queryTimeoutMs: number;
  connectTimeoutMs: number;
  /** false: `synchronous_commit = off` on the connection (DB_SYNCHRONOUS_COMMIT=off). */
  synchronousCommit?: boolean;
}

export interface SyncQueryResult {
  command: string;
  rowCount: number | null;
  rows: unknown[];
}

/**
 * What this process's synchronous PostgreSQL connections did, both transports together
 * (/metrics: dateline_db_sync_*; the soak prints it): requests sent, statements in them,
 * reads that went in a batch, answers that outlasted `blockMs` and were awaited on the
 * event loop, and the time the main thread spent blocked for answers.
 */
export const syncStats = { roundTrips: 0, statements: 0, batchedReads: 0, awaited: 0, blockedMs: 0 };

/** Counts one request of `statements` sent, the main thread blocked since `started`, and whether its answer is awaited on the event loop. */
export function countRoundTrip(statements: number, started: number, awaited: boolean): void {
  syncStats.roundTrips++;
  syncStats.statements += statements;
  syncStats.blockedMs += performance.now() - started;
  if (awaited) syncStats.awaited++;
}

/** One statement's answer in a batch (queryMany): its rows, or its own error. */
export type SyncOutcome = { ok: true; result: SyncQueryResult } | { ok: false; error: Error };

/**
 * A PostgreSQL connection the main thread uses synchronously: the worker thread's `pg`
 * client (SyncPgClient, below) or libpq in the main thread (libpq-client.ts); sync-driver.ts
 * picks one.
 */
export interface SyncClient {
  /** Whether the client can run statements (a broken one is discarded by its pool). */
  readonly usable: boolean;
  /** Statements held back and not sent yet. */
  readonly holding: number;
  /** Holds a statement back, unanswered, to send with the next one; its error is raised by that next statement. */
  hold(sql: string, params: readonly unknown[], derived?: boolean): void;
  /** Forgets the statements held back (a ROLLBACK follows). */
  dropHeld(): void;
  /** Runs one statement after those held back: the result itself when answered within `blockMs`, else a promise of it. */
  query(sql: string, params: readonly unknown[], derived?: boolean): SyncQueryResult | Promise<SyncQueryResult>;
  /** Runs independent reads in one round trip (outside a transaction, nothing held back), each answered on its own; absent: one at a time. */
  queryMany?(statements: readonly SyncStatement[]): SyncOutcome[] | Promise<SyncOutcome[]>;
  close(): Promise<void>;
}

/**
 * What both clients share: the statements held back for the next round trip, and whether
 * the client is still usable.
 */
export abstract class HoldingClient {
  protected broken: Error | null = null;
  protected closed: Promise<void> | null = null;
  /** Statements held back (`hold`), sent with the next one. */
  private held: SyncStatement[] = [];

  /** Whether the client can run statements (a broken one is discarded by its pool). */
  get usable(): boolean {
    return !this.broken && !this.closed;
  }

  /**
   * Holds a statement back, unanswered, to send with the next one (`query`): a BEGIN, or a
   * write whose result nobody reads (write-behind.ts). Its error is raised by that next statement.
   */
  hold(sql: string, params: readonly unknown[], derived = false): void {
    if (this.broken) throw this.broken;
    if (this.closed) throw new Error('The database connection was closed.');
    this.held.push({ sql, params, derived });
  }

  /** Forgets the statements held back (a ROLLBACK follows). */
  dropHeld(): void {
    this.held = [];
  }

  /** Statements held back and not sent yet. */
  get holding(): number {
    return this.held.length;
  }

  /** The statements of the next round trip: those held back, then this one. */
  protected withHeld(sql: string, params: readonly unknown[], derived: boolean): SyncStatement[] {
    const statements = [...this.held, { sql, params, derived }];
    this.held = [];
    return statements;
  }
}

/** `Atomics.waitAsync` (Node 16+; typed in TypeScript's es2024 library, which this project does not target). */
const waitAsync = (Atomics as unknown as {
  waitAsync(array: Int32Array, index: number, value: number, timeout: number): { async: false; value: 'not-equal' | 'timed-out' } | { async: true; value: Promise<'ok' | 'timed-out'> };
}).waitAsync;

/** Grace on top of the statement timeout before the client gives up on a worker or server that does not answer at all. */
export const NO_ANSWER_GRACE_MS = 2000;

/** The error of a statement abandoned because neither the server nor the connection answered within `timeoutMs`. */
export function noAnswer(timeoutMs: number): Error {
  return new Error(`The database did not answer within ${timeoutMs} ms; the statement was abandoned.`);
}

/** The error the main thread throws for a worker's answer: a pg DatabaseError with the same fields when PostgreSQL raised it. */
export function toError(fields: SyncErrorFields, database: boolean): Error {
  const err: Error = database ? new pg.DatabaseError(fields.message, 0, 'error') : new Error(fields.message);
  for (const [key, value] of Object.entries(fields)) {
    if (key !== 'message') (err as unknown as Record<string, unknown>)[key] = value;
  }
  return err;
}

/**
 * A PostgreSQL connection the main thread can use synchronously. A worker thread owns
 * the `pg` client; `query` posts the statement and blocks in `Atomics.wait` until the
 * worker answers (the pattern of synckit), so a unit of work's statements run one after
 * the other within one event-loop turn, as SQLite's do, instead of each waiting a turn
 * behind every other request's callbacks.
 *
 * It blocks for `blockMs` at most: a statement still running then (waiting for a lock
 * another request of this process holds, which needs the event loop to let go of it)
 * is awaited asynchronously, so the process never deadlocks on itself. A statement
 * running longer than `queryTimeoutMs` is cancelled by PostgreSQL and fails; if the
 * worker or server does not answer at all, the client fails the statement, ends the
 * worker (closing its connection) and refuses further statements.
 */
export class SyncPgClient extends HoldingClient implements SyncClient {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly state: Int32Array;
  private seq = 0;
  /** The statement answered asynchronously, still in flight; the next waits for it. */
  private pending: Promise<unknown> | null = null;
  private readonly exited: Promise<void>;

  constructor(url: string, private readonly options: SyncClientOptions) {
    super();
    const buffer = new SharedArrayBuffer(4);
    this.state = new Int32Array(buffer);
    const channel = new MessageChannel();
    this.port = channel.port1;
    const data: SyncWorkerData = { url, state: buffer, port: channel.port2, statementTimeoutMs: options.queryTimeoutMs, connectTimeoutMs: options.connectTimeoutMs, synchronousCommit: options.synchronousCommit !== false };
    this.worker = startWorker(new URL('./sync-worker.js', import.meta.url), { workerData: data, transferList: [channel.port2], stdout: false, stderr: false });
    // A statement waiting for an answer wakes when the worker fails (see answerLater).
    this.worker.on('error', (err) => {
      this.broken ??= err;
      Atomics.notify(this.state, 0);
    });
    this.exited = new Promise((resolve) => {
      this.worker.once('exit', () => {
        this.broken ??= new Error('The database connection was closed.');
        this.port.close();
        Atomics.notify(this.state, 0);
        resolve();
      });
    });
    this.worker.unref();
  }

  /** Runs one statement (`derived`: see derived-writes.ts), after those held back: the result itself when answered within `blockMs`, else a promise of it. */
  query(sql: string, params: readonly unknown[], derived = false): SyncQueryResult | Promise<SyncQueryResult> {
    if (this.pending) {
      const after = this.pending.then(() => this.query(sql, params, derived), () => this.query(sql, params, derived));
      return after;
    }
    if (this.broken) throw this.broken;
    if (this.closed) throw new Error('The database connection was closed.');
    const seq = ++this.seq;
    const before = seq - 1;
    const statements = this.withHeld(sql, params, derived);
    this.port.postMessage({ seq, statements } satisfies SyncRequest);
    const started = performance.now();
    const deadline = started + this.options.blockMs;
    while (Atomics.load(this.state, 0) === before) {
      const left = deadline - performance.now();
      if (left <= 0 || Atomics.wait(this.state, 0, before, left) === 'timed-out') break;
    }
    const answered = Atomics.load(this.state, 0) !== before;
    countRoundTrip(statements.length, started, !answered);
    if (answered) return this.take(seq);
    const later = this.answerLater(seq, before);
    this.pending = later.finally(() => {
      this.pending = null;
    });
    this.pending.catch(() => undefined);
    return later;
  }

  private async answerLater(seq: number, before: number): Promise<SyncQueryResult> {
    const timeout = this.options.queryTimeoutMs + NO_ANSWER_GRACE_MS;
    const waited = waitAsync(this.state, 0, before, timeout);
    // A pending waitAsync does not keep the process alive (and the worker is unref'd): this timer does, meanwhile.
    const alive = setTimeout(() => undefined, timeout);
    const outcome = waited.async ? await waited.value.finally(() => clearTimeout(alive)) : (clearTimeout(alive), waited.value);
    if (Atomics.load(this.state, 0) === before) {
      if (outcome !== 'timed-out' && this.broken) throw this.broken;
      this.broken = noAnswer(timeout);
      void this.worker.terminate();
      throw this.broken;
    }
    return this.take(seq);
  }

  private take(seq: number): SyncQueryResult {
    const received = receiveMessageOnPort(this.port);
    const answer = received?.message as SyncAnswer | undefined;
    if (!answer || answer.seq !== seq) {
      this.broken = new Error('The database connection lost track of its answers.');
      void this.worker.terminate();
      throw this.broken;
    }
    if (!answer.ok) throw toError(answer.error, answer.database);
    return { command: answer.command, rowCount: answer.rowCount, rows: answer.rows };
  }

  /** Ends the connection and the worker thread (waits for a statement in flight, briefly). */
  close(): Promise<void> {
    this.closed ??= (async () => {
      await Promise.race([this.pending?.catch(() => undefined), new Promise((r) => setTimeout(r, 1000).unref())]);
      this.port.postMessage({ close: true } satisfies SyncRequest);
      const timer = setTimeout(() => void this.worker.terminate(), 1000);
      await this.exited;
      clearTimeout(timer);
    })();
    return this.closed;
  }
}
