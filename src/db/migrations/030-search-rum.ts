import { sql, type Kysely, type Migration } from 'kysely';
import type { Engine } from '../database.js';

/** The RUM index of `search_documents.tsv` (PostgreSQL with the `rum` extension). */
export const RUM_INDEX = 'search_documents_rum';

/**
 * PostgreSQL: a RUM index on `search_documents.tsv` (Debian's `postgresql-15-rum`), which
 * keeps each term's positions in the index, so a ranked search orders its matches by
 * `tsv <=> query` inside the index instead of reading every match's TOASTed vector for
 * ts_rank_cd (see search/postgres.ts). Where the extension is not available (or this
 * role may not create it) nothing is created: search then ranks with ts_rank_cd, slower,
 * and says so at start-up. The extension goes to `public` when it exists, so databases
 * sharing a server with one schema each share one copy (the queries name its schema).
 * SQLite: nothing (FTS5 ranks in its own index).
 */
export function searchRum(engine: Engine): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (engine !== 'postgres') return;
      const schema = await rumSchema(db);
      if (!schema) return;
      await sql`create index ${sql.id(RUM_INDEX)} on search_documents using rum (tsv ${sql.id(schema)}.rum_tsvector_ops)`.execute(db);
    },
    async down(db: Kysely<unknown>) {
      if (engine !== 'postgres') return;
      await sql`drop index if exists ${sql.id(RUM_INDEX)}`.execute(db);
    },
  };
}

/** The schema holding the `rum` extension, created now if it can be; `null` when it cannot (also migration 031's). */
export async function rumSchema(db: Kysely<unknown>): Promise<string | null> {
  const installed = async () =>
    (await sql<{ schema: string }>`select n.nspname as schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = 'rum'`.execute(db)).rows[0]?.schema ?? null;
  const existing = await installed();
  if (existing) return existing;
  const available = await sql`select 1 from pg_available_extensions where name = 'rum'`.execute(db);
  if (!available.rows.length) return null;
  const target = (await sql<{ schema: string }>`select coalesce((select nspname from pg_namespace where nspname = 'public'), current_schema()) as schema`.execute(db)).rows[0]!.schema;
  // Migrations run in one transaction: a refused `create extension` (a role that may not)
  // is rolled back to here instead of failing the whole upgrade.
  await sql`savepoint rum_extension`.execute(db);
  try {
    await sql`create extension if not exists rum schema ${sql.id(target)}`.execute(db);
    await sql`release savepoint rum_extension`.execute(db);
    return target;
  } catch {
    await sql`rollback to savepoint rum_extension`.execute(db);
    // Refused, or another schema's migration in this database created it a moment ago (one copy per database).
    return installed();
  }
}
