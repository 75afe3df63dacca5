/**
 * What a synchronous PostgreSQL connection sends for each statement, shared by both of its
 * transports (the worker thread's `pg` client, sync-worker.ts, and libpq in the main thread,
 * libpq-client.ts): the durability switch for derived writes, and a named prepared
 * statement per SQL text.
 */

/** One statement to send: `name` runs it as that prepared statement (prepared on first use). */
export interface PlannedStatement {
  sql: string;
  params: unknown[];
  name?: string;
  /** Its failure is not the caller's (a durability switch): ignored. */
  quiet?: boolean;
}

/** The statements to send for one, and which of them answers it. */
export interface StatementPlan {
  statements: PlannedStatement[];
  answer: number;
}

/** A statement that only reads: its durability setting does not matter, so it never switches it. */
const READ_ONLY = /^\s*select\b/i;
export const BEGIN = /^\s*(begin|start\s+transaction)\b[^;]*;?\s*$/i;
export const ENDS_TRANSACTION = /^\s*(commit|rollback|end|abort)\s*;?\s*$/i;

/**
 * Statements with parameters run as named prepared statements, one per SQL text on a
 * connection (at most MAX_PREPARED; later texts run unnamed): PostgreSQL parses each once
 * and may keep its plan, instead of parsing and planning it at every call. An editor's
 * create+publish repeats the same few dozen texts, the newsroom's article read alone took
 * 1.1 ms to plan and run unnamed and 0.47 ms prepared (README, Hardening, soak). Only
 * state-changing requests use these connections; public reads, whose plans depend more on
 * their values (search), stay on the pool, unnamed.
 */
export const MAX_PREPARED = 500;

/** A prepared statement PostgreSQL refuses because a table's columns changed under it (a migration by another process). */
export function isStalePlan(code: unknown, message: string): boolean {
  return code === '0A000' && /cached plan/i.test(message);
}

export class SyncSession {
  /** Whether the connection runs with `synchronous_commit = off` now (for derived writes). */
  private relaxed: boolean;
  /** Whether a transaction is open, as of the last statement planned. */
  inTransaction = false;
  private readonly names = new Map<string, string>();
  private counter = 0;

  constructor(private readonly synchronousCommit: boolean) {
    this.relaxed = !synchronousCommit;
  }

  /**
   * Derived writes (derived-writes.ts) commit without waiting for the WAL flush. The
   * session's setting changes only between transactions (a SET inside one would be undone
   * by its rollback) and only before a statement that writes; a transaction that needs the
   * other setting gets it with `SET LOCAL` right after its BEGIN.
   */
  plan(sql: string, params: unknown[], derived: boolean): StatementPlan {
    const wanted = derived || !this.synchronousCommit;
    const outside = !this.inTransaction;
    const begins = BEGIN.test(sql);
    if (begins) this.inTransaction = true;
    else if (ENDS_TRANSACTION.test(sql)) this.inTransaction = false;
    const statement = this.statement(sql, params);
    if (!outside || wanted === this.relaxed) return { statements: [statement], answer: 0 };
    // Back to `default`: the server's or role's setting (on, local, remote_apply …), not a fixed `on`.
    const setting = wanted ? 'off' : 'default';
    if (begins && params.length === 0) return { statements: [statement, { sql: `set local synchronous_commit to ${setting}`, params: [], quiet: true }], answer: 0 };
    if (READ_ONLY.test(sql)) return { statements: [statement], answer: 0 };
    this.relaxed = wanted;
    // It cannot fail on a working connection (a broken one fails the statement too).
    return { statements: [{ sql: `set synchronous_commit to ${setting}`, params: [], quiet: true }, statement], answer: 1 };
  }

  /** A BEGIN failed: it opened nothing (it fails only with its connection). */
  failed(sql: string): void {
    if (BEGIN.test(sql)) this.inTransaction = false;
  }

  /** Forgets a text's prepared statement (PostgreSQL refused it: isStalePlan); it is prepared again under a new name. */
  forget(sql: string): void {
    this.names.delete(sql);
  }

  /** The statement as sent: named when it has parameters and names are left. */
  statement(sql: string, params: unknown[]): PlannedStatement {
    if (params.length === 0) return { sql, params };
    let name = this.names.get(sql);
    if (!name && this.names.size < MAX_PREPARED) this.names.set(sql, (name = `dateline_${++this.counter}`));
    return name ? { sql, params, name } : { sql, params };
  }
}
