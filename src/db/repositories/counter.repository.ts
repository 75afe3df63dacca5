import { sql, type Kysely } from 'kysely';
import { PreparedQuery } from '../prepared-query.js';
import type { Database } from '../schema.js';

/** Named counters: the content version (bumped by triggers) and sequences. */
export class CounterRepository {
  private readonly version;

  constructor(db: Kysely<Database>) {
    // The row plus, on PostgreSQL, its per-connection slots (migration 028); SQLite has the row only.
    this.version = new PreparedQuery(db, 0, () =>
      db
        .selectFrom('counters')
        .select(sql<number>`sum(value)`.as('value'))
        .where((eb) => eb.or([eb('name', '=', 'content_version'), eb('name', 'like', 'content_version:%')])),
    );
  }

  /** Changes whenever any content table is written, by any process (at the writer's commit). */
  async contentVersion(): Promise<number> {
    const row = await this.version.executeTakeFirst();
    return Number(row?.value ?? 0);
  }
}
