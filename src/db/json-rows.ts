import { PostgresAdapter, type Kysely } from 'kysely';
import { jsonArrayFrom as postgresJsonArrayFrom } from 'kysely/helpers/postgres';
import { jsonArrayFrom as sqliteJsonArrayFrom } from 'kysely/helpers/sqlite';

/**
 * A subquery's rows as one JSON array column: a parent row and its child lists in one
 * statement (one round trip on PostgreSQL). The column is JSON text on SQLite: read it with `parseJsonRows`.
 */
export type JsonRowsFrom = typeof sqliteJsonArrayFrom;

/** The engine's JSON-array helper, picked once from the database's adapter. */
export function jsonRowsFor(db: Kysely<any>): JsonRowsFrom {
  return db.getExecutor().adapter instanceof PostgresAdapter ? postgresJsonArrayFrom : sqliteJsonArrayFrom;
}

/** The column's rows: PostgreSQL's driver parses `json` itself; SQLite returns the text. */
export function parseJsonRows<T>(value: T[] | string): T[] {
  return typeof value === 'string' ? (JSON.parse(value) as T[]) : value;
}
