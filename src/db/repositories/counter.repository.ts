import type { Kysely } from 'kysely';
import { PreparedQuery } from '../prepared-query.js';
import type { Database } from '../schema.js';

/** Named counters: the content version (bumped by triggers) and sequences. */
export class CounterRepository {
  private readonly byName;

  constructor(db: Kysely<Database>) {
    this.byName = new PreparedQuery(db, 1, (name: string) => db.selectFrom('counters').select('value').where('name', '=', name));
  }

  /** Changes whenever any content table is written, by any process. */
  async contentVersion(): Promise<number> {
    const row = await this.byName.executeTakeFirst('content_version');
    return Number(row?.value ?? 0);
  }
}
