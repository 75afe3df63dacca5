import { createRequire } from 'node:module';
import { postgresTypes } from '../postgres-types.js';
import { countRoundTrip, HoldingClient, NO_ANSWER_GRACE_MS, noAnswer, toError, type SyncClient, type SyncClientOptions, type SyncOutcome, type SyncQueryResult } from './sync-client.js';
import type { SyncErrorFields, SyncStatement } from './sync-protocol.js';
import { isStalePlan, SyncSession } from './sync-session.js';

/** The part of the `libpq` package's connection (native bindings to PostgreSQL's C client) used here. */
interface Libpq {
  connect(params: string, callback: (err?: Error) => void): void;
  finish(): void;
  errorMessage(): string;
  exec(sql: string): void;
  sendQueryParams(sql: string, params: (string | null)[]): boolean;
  sendPrepare(name: string, sql: string, count: number): boolean;
  sendQueryPrepared(name: string, params: (string | null)[]): boolean;
  flush(): number;
  consumeInput(): boolean;
  isBusy(): boolean;
  getResult(): boolean;
  resultStatus(): string;
  resultErrorFields(): Record<string, string | undefined> | undefined;
  resultErrorMessage(): string;
  ntuples(): number;
  nfields(): number;
  fname(column: number): string;
  ftype(column: number): number;
  getvalue(row: number, column: number): string;
  getisnull(row: number, column: number): boolean;
  cmdStatus(): string;
  startReader(): void;
  stopReader(): void;
  setNonBlocking(on: boolean): boolean;
  enterPipelineMode(): boolean;
  exitPipelineMode(): boolean;
  pipelineSync(): boolean;
  on(event: 'readable', listener: () => void): void;
  removeListener(event: 'readable', listener: () => void): void;
}

let loaded: { new (): Libpq } | null | undefined;
let loadError = '';

/**
 * The `libpq` package (an optional dependency: a native addon built against Debian's
 * libpq-dev at `npm ci`), or null when it is not installed or did not build.
 */
export function libpqModule(): { new (): Libpq } | null {
  if (loaded === undefined) {
    try {
      loaded = createRequire(import.meta.url)('libpq') as { new (): Libpq };
    } catch (err) {
      loaded = null;
      loadError = err instanceof Error ? err.message.split('\n')[0]! : String(err);
    }
  }
  return loaded;
}

/** Why libpq could not be loaded (empty when it was). */
export function libpqLoadError(): string {
  libpqModule();
  return loadError;
}

/** Connection URL parameters libpq understands; a URL with others (pg's own, such as `ssl=true`) is left to the worker's `pg` client. */
const LIBPQ_PARAMETERS = new Set(['options', 'application_name', 'fallback_application_name', 'sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'sslcrl', 'connect_timeout', 'keepalives', 'keepalives_idle', 'keepalives_interval', 'keepalives_count', 'tcp_user_timeout', 'target_session_attrs', 'host', 'hostaddr', 'port', 'dbname', 'user', 'password', 'passfile', 'gssencmode', 'krbsrvname', 'service']);
const LIBPQ_SSL_MODES = new Set(['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full']);

/** Whether libpq reads this connection URL as `pg` does. */
export function libpqAccepts(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  for (const [key, value] of parsed.searchParams) {
    if (!LIBPQ_PARAMETERS.has(key)) return false;
    if (key === 'sslmode' && !LIBPQ_SSL_MODES.has(value)) return false;
  }
  return true;
}

/**
 * The connection URL as libpq reads it: query values percent-encoded (libpq does not read
 * `+` as a space, as pg and URLSearchParams do: `options=-c+search_path%3Dx`), with a
 * connect_timeout unless it has one.
 */
export function libpqUrl(url: string, connectTimeoutSeconds: number): string {
  const parsed = new URL(url);
  const params = [...parsed.searchParams];
  if (!parsed.searchParams.has('connect_timeout')) params.push(['connect_timeout', String(connectTimeoutSeconds)]);
  parsed.search = '';
  return `${parsed.toString()}?${params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}`;
}

/** libpq's error fields under the names `pg` gives them (code, detail, constraint …), so errors map to the same answers. */
const FIELD_NAMES: Record<string, string> = {
  severity: 'severity',
  sqlState: 'code',
  messageDetail: 'detail',
  messageHint: 'hint',
  statementPosition: 'position',
  internalPosition: 'internalPosition',
  internalQuery: 'internalQuery',
  context: 'where',
  schemaName: 'schema',
  tableName: 'table',
  columnName: 'column',
  dataTypeName: 'dataType',
  constraintName: 'constraint',
  sourceFile: 'file',
  sourceLine: 'line',
  sourceFunction: 'routine',
};

/** How pg turns a parameter into text (dates, arrays, JSON, `toPostgres`), so both transports send the same. */
const { prepareValue } = createRequire(import.meta.url)('pg/lib/utils') as { prepareValue(v: unknown): unknown };

/** A NUL in a text parameter: libpq would cut the string there, so it fails as PostgreSQL fails it (22021), never stored cut. */
function nulError(): Error {
  return toError({ message: 'invalid byte sequence for encoding "UTF8": 0x00', code: '22021', severity: 'ERROR' }, true);
}

/** A parameter as text, as `pg` would send it (bytes as bytea's hex form, which libpq's text parameters need). */
function textParam(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Uint8Array) return `\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`;
  const prepared = prepareValue(value);
  if (prepared === null || prepared === undefined) return null;
  const text = Buffer.isBuffer(prepared) ? `\\x${prepared.toString('hex')}` : String(prepared);
  if (text.includes('\0')) throw nulError();
  return text;
}

/** `INSERT 0 3` → INSERT, 3 (as pg reads the command tag). */
function commandOf(tag: string): { command: string; rowCount: number | null } {
  const match = /^([A-Za-z]+)(?: (\d+))?(?: (\d+))?/.exec(tag);
  if (!match) return { command: tag, rowCount: null };
  const count = match[3] ?? match[2];
  return { command: match[1]!, rowCount: count === undefined ? null : Number(count) };
}

/** A pause between looks at the socket while the main thread waits for an answer (Atomics.wait on a word nobody changes). */
const sleeper = new Int32Array(new SharedArrayBuffer(4));
/**
 * Most answers come within 0.1 ms: the main thread looks without pausing that long (a
 * pause is never shorter than the kernel's timer slack, about 0.05 ms: looking again
 * only after pausing took a round trip from 0.05 to 0.12 ms), then pauses between looks,
 * longer and longer.
 */
const SPIN_MS = 0.1;
const FIRST_PAUSE_MS = 0.02;
const LONGEST_PAUSE_MS = 0.5;

type Failure = { ok: false; error: Error; database: boolean };
type Outcome = { ok: true; result: SyncQueryResult; each?: SyncOutcome[] } | Failure;

/** One message of a pipelined request: a statement (prepared by name, or with its text), or a PREPARE before its first use. */
interface PipelineItem {
  sql: string;
  params: (string | null)[];
  name?: string;
  prepare?: boolean;
  /** A durability switch: its failure is not the caller's. */
  quiet?: boolean;
  /** A statement's own item whose rows answer it: the last statement's, or every statement's (queryMany). */
  answers?: boolean;
  /** Which of the request's statements it belongs to. */
  statement: number;
}

/** Where the reading of a pipelined request's answers stands. */
interface Reading {
  items: PipelineItem[];
  statements: SyncStatement[];
  index: number;
  failure: (Failure & { item: PipelineItem }) | null;
  answer: SyncQueryResult | null;
  /** queryMany: each statement's rows, or its own error. */
  each?: (SyncOutcome | undefined)[];
}

/**
 * A synchronous PostgreSQL connection through libpq in the main thread: a request's
 * statements are sent with libpq's non-blocking calls, pipelined, and the main thread then
 * reads the socket itself, without pausing for 0.1 ms, then with growing pauses
 * (Atomics.wait as a short sleep), up to `blockMs`. No worker thread sits between the
 * request and the database, so a round trip wakes one thread instead of three: a `select`
 * in a loop costs about 0.09 ms against 0.29 ms through the worker (sync-client.ts).
 *
 * Same contract as the worker's client: held statements go with the next one in one round
 * trip, the first error answers, a request still unanswered after `blockMs` (a lock another
 * request of this process holds) is awaited on the event loop, a statement running longer
 * than `queryTimeoutMs` is cancelled by PostgreSQL (statement_timeout), and a server that
 * does not answer at all fails the statement and ends the connection.
 */
export class LibpqSyncClient extends HoldingClient implements SyncClient {
  private readonly pq: Libpq;
  private readonly session: SyncSession;
  private connecting: Promise<void> | null;
  private pending: Promise<unknown> | null = null;
  private finished = false;
  /** Fails the statement awaited on the event loop (answerLater), when the connection ends under it. */
  private abandon: (() => void) | null = null;
  /** Prepared statement names the server knows on this connection. */
  private readonly prepared = new Set<string>();

  constructor(url: string, private readonly options: SyncClientOptions) {
    super();
    const Module = libpqModule();
    if (!Module) throw new Error(`libpq is not available: ${libpqLoadError()}`);
    this.pq = new Module();
    this.session = new SyncSession(options.synchronousCommit !== false);
    // libpq's connect runs on a thread of libuv's pool and cannot be interrupted: it is bounded by
    // connect_timeout, no longer than the client would wait for the first answer anyway.
    const seconds = Math.max(2, Math.ceil(Math.min(options.connectTimeoutMs, options.queryTimeoutMs + NO_ANSWER_GRACE_MS) / 1000));
    this.connecting = new Promise<void>((resolve, reject) => {
      this.pq.connect(libpqUrl(url, seconds), (err) => {
        if (err) return reject(new Error(err.message.trim() || 'The database connection failed.'));
        if (this.closed) return reject(new Error('The database connection was closed.'));
        this.pq.exec(`set statement_timeout = ${Math.max(0, Math.round(options.queryTimeoutMs))}`);
        if (options.synchronousCommit === false) this.pq.exec('set synchronous_commit = off');
        // Sends never block the main thread: a long statement's rest is flushed as the socket drains (roundTrip).
        this.pq.setNonBlocking(true);
        resolve();
      });
    }).then(
      () => {
        this.connecting = null;
      },
      (err: Error) => {
        this.broken ??= err;
        this.connecting = null;
        throw err;
      },
    );
    this.connecting.catch(() => undefined);
  }

  query(sql: string, params: readonly unknown[], derived = false): SyncQueryResult | Promise<SyncQueryResult> {
    const waiting = this.busy(() => this.query(sql, params, derived));
    if (waiting) return waiting;
    return this.answered(this.run(this.withHeld(sql, params, derived)), unwrap);
  }

  /** Null when a request can go now; else the wait for the connection or the request in flight, then `again`. Throws on a connection that failed or closed. */
  private busy<T>(again: () => T | Promise<T>): Promise<T> | null {
    const waitFor = this.pending ?? this.connecting;
    if (this.broken) throw this.broken;
    if (waitFor) return this.settle(waitFor.then(again, again), this.connecting === waitFor);
    if (this.closed) throw new Error('The database connection was closed.');
    return null;
  }

  /** A request's answer mapped for its caller: in this turn, or (awaited on the event loop) a promise, which the next request waits for. */
  private answered<T>(outcome: Outcome | Promise<Outcome>, map: (outcome: Outcome) => T): T | Promise<T> {
    if (!(outcome instanceof Promise)) return map(outcome);
    this.pending = outcome.finally(() => {
      this.pending = null;
    });
    this.pending.catch(() => undefined);
    return outcome.then(map);
  }

  /**
   * Runs independent reads (no transaction open, nothing held back) in one round trip, each
   * with its own sync: one read's error is its own, the others still answer.
   */
  queryMany(statements: readonly SyncStatement[]): SyncOutcome[] | Promise<SyncOutcome[]> {
    const waiting = this.busy(() => this.queryMany(statements));
    if (waiting) return waiting;
    if (this.holding || this.session.inTransaction) throw new Error('queryMany runs outside a transaction, with nothing held back.');
    // A read with a NUL in a parameter fails alone (textParam), unsent; the others go.
    const refused = statements.map((s): SyncOutcome | null => {
      try {
        s.params.forEach(textParam);
        return null;
      } catch (err) {
        return { ok: false, error: err as Error };
      }
    });
    const sent = statements.filter((_, i) => !refused[i]);
    if (!sent.length) return refused as SyncOutcome[];
    return this.answered(this.run(sent, true), (done) => {
      const answers = done.ok ? done.each! : sent.map((): SyncOutcome => ({ ok: false, error: done.error }));
      let next = 0;
      return refused.map((r) => r ?? answers[next++]!);
    });
  }

  /** A wait for the connection (bounded like any first answer) or for the statement before. */
  private settle<T>(waiting: Promise<T>, connecting: boolean): Promise<T> {
    if (!connecting) return waiting;
    const timeout = this.options.queryTimeoutMs + NO_ANSWER_GRACE_MS;
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.broken ??= noAnswer(timeout);
        reject(this.broken);
      }, timeout);
    });
    return Promise.race([waiting, gaveUp]).finally(() => clearTimeout(timer));
  }

  /**
   * Sends a request's statements (those held back, then the one answered) in libpq's
   * pipeline mode, each with its durability switch and its first-use PREPARE, a sync after
   * each (so a COMMIT after a failed statement still ends the transaction, as in the
   * worker's pipeline), then waits for all their answers at once.
   */
  private run(statements: SyncStatement[], many = false): Outcome | Promise<Outcome> {
    const items: PipelineItem[] = [];
    let params: (string | null)[][];
    try {
      params = statements.map((s) => s.params.map(textParam));
    } catch (err) {
      // A NUL in a parameter: nothing is sent (a transaction the server saw is aborted by the caller's ROLLBACK).
      return { ok: false, error: err as Error, database: true };
    }
    statements.forEach(({ sql, derived }, i) => {
      const plan = this.session.plan(sql, statements[i]!.params as unknown[], derived === true);
      plan.statements.forEach((step, n) => {
        const answers = (many || i === statements.length - 1) && n === plan.answer;
        if (step.name && !this.prepared.has(step.name) && !items.some((x) => x.prepare && x.name === step.name)) items.push({ sql: step.sql, params: [], name: step.name, prepare: true, statement: i });
        items.push({ sql: step.sql, params: step.quiet ? [] : params[i]!, name: step.name, quiet: step.quiet, answers, statement: i });
      });
    });
    return this.roundTrip(items, statements, many);
  }

  /** Sends the items, then waits for their answers: in the main thread up to `blockMs`, then on the event loop. */
  private roundTrip(items: PipelineItem[], statements: SyncStatement[], many: boolean): Outcome | Promise<Outcome> {
    if (this.broken) return { ok: false, error: this.broken, database: false };
    if (!this.pq.enterPipelineMode()) return this.lost();
    for (const item of items) {
      const sent = item.prepare
        ? this.pq.sendPrepare(item.name!, item.sql, statements[item.statement]!.params.length)
        : item.name
          ? this.pq.sendQueryPrepared(item.name, item.params)
          : this.pq.sendQueryParams(item.sql, item.params);
      if (!sent || !this.pq.pipelineSync()) return this.lost();
    }
    const reading: Reading = { items, statements, index: 0, failure: null, answer: null, each: many ? [] : undefined };
    const started = performance.now();
    const deadline = started + this.options.blockMs;
    let pause = FIRST_PAUSE_MS;
    // A large statement (a 2,000,000-character body) may not fit the socket's buffer at once.
    for (let left = this.pq.flush(); left !== 0; left = this.pq.flush()) {
      if (left === -1 || !this.pq.consumeInput()) return this.lost();
      Atomics.wait(sleeper, 0, 0, FIRST_PAUSE_MS);
    }
    for (;;) {
      if (!this.pq.consumeInput()) return this.lost();
      const done = this.read(reading);
      if (done) return countRoundTrip(statements.length, started, false), done;
      const now = performance.now();
      if (now >= deadline) return countRoundTrip(statements.length, started, true), this.answerLater(reading);
      if (now - started < SPIN_MS) continue;
      Atomics.wait(sleeper, 0, 0, pause);
      pause = Math.min(LONGEST_PAUSE_MS, pause * 1.5);
    }
  }

  /** Waits for the rest of the answers on the event loop: the socket's readability, bounded by the statement timeout and a grace. */
  private answerLater(reading: Reading): Promise<Outcome> {
    return new Promise<Outcome>((resolve) => {
      const timeout = this.options.queryTimeoutMs + NO_ANSWER_GRACE_MS;
      const done = (outcome: Outcome | Promise<Outcome>) => {
        clearTimeout(timer);
        this.abandon = null;
        this.pq.removeListener('readable', readable);
        if (!this.finished) this.pq.stopReader();
        resolve(outcome);
      };
      // The connection ends meanwhile (close, or a timeout): the statement fails.
      this.abandon = () => done({ ok: false, error: this.broken ?? new Error('The database connection was closed.'), database: false });
      const readable = () => {
        if (!this.pq.consumeInput()) return done(this.lost());
        const finished = this.read(reading);
        if (finished) done(finished);
      };
      const timer = setTimeout(() => {
        this.broken ??= noAnswer(timeout);
        this.finish();
      }, timeout);
      this.pq.on('readable', readable);
      this.pq.startReader();
      // Answers that arrived between the last look and the reader's start.
      readable();
    });
  }

  /**
   * Reads the answers that have arrived, without waiting: each item's result, the end of
   * its results, its sync. Once every item is read: the answer (the last statement's rows),
   * or the first error. Null while answers are still to come.
   */
  private read(reading: Reading): Outcome | Promise<Outcome> | null {
    while (reading.index < reading.items.length) {
      if (this.pq.isBusy()) return null;
      const item = reading.items[reading.index]!;
      if (!this.pq.getResult()) {
        // The end of this item's results; its sync comes next.
        continue;
      }
      const status = this.pq.resultStatus();
      if (status === 'PGRES_PIPELINE_SYNC') {
        reading.index++;
        continue;
      }
      if (status === 'PGRES_FATAL_ERROR' || status === 'PGRES_BAD_RESPONSE' || status === 'PGRES_NONFATAL_ERROR') {
        const error = this.resultError();
        if (!error.database) return error;
        if (reading.each && !item.quiet) {
          reading.each[item.statement] ??= error;
          if (item.name && isStalePlan((error.error as { code?: string }).code, error.error.message)) this.forgetPrepared(item);
        } else if (!item.quiet && !reading.failure) {
          reading.failure = { ...error, item };
          this.session.failed(reading.statements[item.statement]!.sql);
        }
      } else if (status === 'PGRES_PIPELINE_ABORTED') {
        // Skipped after an error before the same sync: cannot happen with a sync after each item.
      } else if (item.prepare) {
        this.prepared.add(item.name!);
      } else if (item.answers) {
        reading.answer = this.rows();
        if (reading.each) reading.each[item.statement] = { ok: true, result: reading.answer };
      }
    }
    this.pq.exitPipelineMode();
    const failure = reading.failure;
    if (reading.each) {
      const each = reading.statements.map((_, i): SyncOutcome => reading.each![i] ?? { ok: true, result: noRows() });
      return { ok: true, result: reading.answer ?? noRows(), each };
    }
    if (!failure) return { ok: true, result: reading.answer ?? noRows() };
    // A table's columns changed under a prepared `select *` (a migration by another process):
    // the text gets a new name; outside a transaction the last statement runs again at once.
    const { item } = failure;
    if (item.name && isStalePlan((failure.error as { code?: string }).code, failure.error.message)) {
      this.forgetPrepared(item);
      const last = reading.statements.at(-1)!;
      if (item.answers && !this.session.inTransaction) return this.run([last]);
    }
    return { ok: false, error: failure.error, database: failure.database };
  }

  /** A prepared statement PostgreSQL refused as stale (isStalePlan): its text is prepared again under a new name at its next use. */
  private forgetPrepared(item: PipelineItem): void {
    this.prepared.delete(item.name!);
    this.session.forget(item.sql);
  }

  private rows(): SyncQueryResult {
    const count = this.pq.ntuples();
    const width = this.pq.nfields();
    const names: string[] = [];
    const parsers: ((value: string) => unknown)[] = [];
    for (let c = 0; c < width; c++) {
      names.push(this.pq.fname(c));
      parsers.push(postgresTypes.getTypeParser(this.pq.ftype(c), 'text') as (value: string) => unknown);
    }
    const rows: Record<string, unknown>[] = [];
    for (let r = 0; r < count; r++) {
      const row: Record<string, unknown> = {};
      for (let c = 0; c < width; c++) row[names[c]!] = this.pq.getisnull(r, c) ? null : parsers[c]!(this.pq.getvalue(r, c));
      rows.push(row);
    }
    const { command, rowCount } = commandOf(this.pq.cmdStatus());
    return { command, rowCount: rowCount ?? (width ? count : null), rows };
  }

  /** The error of the result just read: PostgreSQL's, with pg's field names; without a SQLSTATE it is the connection's, which ends. */
  private resultError(): Failure {
    const raw = this.pq.resultErrorFields() ?? {};
    if (!raw.sqlState) return this.lost(this.pq.resultErrorMessage());
    const fields: SyncErrorFields = { message: raw.messagePrimary ?? this.pq.resultErrorMessage().trim() };
    for (const [key, value] of Object.entries(raw)) {
      const name = FIELD_NAMES[key];
      if (name && value !== undefined) fields[name] = value;
    }
    return { ok: false, error: toError(fields, true), database: true };
  }

  /** The connection failed (the server went away): the statement fails, and so does every later one. */
  private lost(message?: string): Failure {
    const text = (message ?? this.pq.errorMessage()).trim() || 'The database connection was lost.';
    this.broken ??= new Error(text);
    this.finish();
    return { ok: false, error: this.broken, database: false };
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.pq.finish();
    this.abandon?.();
  }

  close(): Promise<void> {
    this.closed ??= (async () => {
      await Promise.race([this.pending?.catch(() => undefined), new Promise((r) => setTimeout(r, 1000).unref())]);
      // A connect still running ends by itself (its callback sees `closed`); its connection is finished then.
      if (this.connecting) await this.connecting.catch(() => undefined);
      this.finish();
    })();
    return this.closed;
  }
}

/** The answer of a statement that returned no result (its caller reads neither rows nor a count). */
function noRows(): SyncQueryResult {
  return { command: '', rowCount: null, rows: [] };
}

function unwrap(outcome: Outcome): SyncQueryResult {
  if (!outcome.ok) throw outcome.error;
  return outcome.result;
}
