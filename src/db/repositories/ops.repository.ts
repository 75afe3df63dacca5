import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';

/** Operators' queries: is the database answering, how deep is the job queue. */
export class OpsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  /** Jobs due now and waiting, and how long the oldest of them has waited (ms). */
  async jobQueue(now: number): Promise<{ depth: number; oldestAgeMs: number }> {
    const r = await this.db
      .selectFrom('jobs')
      .select((eb) => [eb.fn.countAll().as('depth'), eb.fn.min('run_at').as('oldest')])
      .where('status', '=', 'pending')
      .where('run_at', '<=', now)
      .executeTakeFirst();
    const oldest = r?.oldest === null || r?.oldest === undefined ? null : Number(r.oldest);
    return { depth: Number(r?.depth ?? 0), oldestAgeMs: oldest === null ? 0 : Math.max(0, now - oldest) };
  }
}
