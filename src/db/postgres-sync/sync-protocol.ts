/** Messages between a synchronous PostgreSQL client (main thread) and its worker thread. */

/** What the worker needs to open its connection. */
import type { MessagePort } from 'node:worker_threads';

export interface SyncWorkerData {
  url: string;
  /** The state word the worker bumps to the answered request's sequence number. */
  state: SharedArrayBuffer;
  /** Requests arrive and answers leave here (the main thread reads answers with receiveMessageOnPort). */
  port: MessagePort;
  /** PostgreSQL cancels a statement that runs longer (statement_timeout), in ms. */
  statementTimeoutMs: number;
  connectTimeoutMs: number;
  /** false: commits return before their WAL reaches the disk (DB_SYNCHRONOUS_COMMIT=off). */
  synchronousCommit: boolean;
}

/** `derived`: the statement keeps derived data up to date (derived-writes.ts): its commit need not wait for the WAL flush. */
export interface SyncStatement {
  sql: string;
  params: readonly unknown[];
  derived?: boolean;
}

/**
 * The statements of one round trip: those held back (a transaction's BEGIN, writes whose
 * results nobody reads: write-behind.ts) and then the one whose answer the main thread waits
 * for. The worker pipelines them and answers with the last one's result, or the first error.
 */
export type SyncRequest = { seq: number; statements: SyncStatement[] } | { close: true };

/** A PostgreSQL error's fields (code, constraint, detail …), kept so error mapping works as with the pool. */
export interface SyncErrorFields {
  message: string;
  name?: string;
  [field: string]: unknown;
}

export type SyncAnswer =
  | { seq: number; ok: true; command: string; rowCount: number | null; rows: unknown[] }
  | { seq: number; ok: false; error: SyncErrorFields; database: boolean };
