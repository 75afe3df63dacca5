import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Engine } from '../database.js';
import type { Database } from '../schema.js';
import type { JobTable } from '../schema/jobs.schema.js';

type Db = Kysely<Database> | Transaction<Database>;
export type JobRow = Selectable<JobTable>;

export interface NewJob {
  name: string;
  payload: unknown;
  runAt: number;
  key?: string;
  maxAttempts?: number;
}

/** Which job names a runner takes: only these, or all but these. */
export interface JobNameFilter {
  only?: readonly string[];
  except?: readonly string[];
}

/** The job table. Claiming is engine-specific: SKIP LOCKED on PostgreSQL, the write lock on SQLite. */
export class JobRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly engine: Engine,
  ) {}

  /** Adds a job; with a key, replaces the payload and time of the pending job with that key instead. */
  async enqueue(job: NewJob, now: number, trx?: Db): Promise<number> {
    const run = async (t: Db) => {
      if (job.key) {
        // Read committed: two transactions could both find no job with this key and both
        // insert (a unique violation). A lock on the key, held to the end of the transaction,
        // makes the second wait and then see the first's job. SQLite's write transactions
        // begin immediate, one at a time, so it needs none.
        if (this.engine === 'postgres') await sql`select pg_advisory_xact_lock(hashtextextended(${`job:${job.key}`}, 0))`.execute(t);
        const existing = await t
          .selectFrom('jobs')
          .select(['id', 'status'])
          .where('key', '=', job.key)
          .where('status', 'in', ['pending', 'running'])
          .executeTakeFirst();
        if (existing?.status === 'pending') {
          await t
            .updateTable('jobs')
            .set({ payload: JSON.stringify(job.payload), run_at: job.runAt, updated_at: now, attempts: 0, last_error: null })
            .where('id', '=', existing.id)
            .execute();
          return existing.id;
        }
        // A running job with this key finishes as it is; the new one waits behind it.
        if (existing) await t.updateTable('jobs').set({ key: null }).where('id', '=', existing.id).execute();
      }
      const row = await t
        .insertInto('jobs')
        .values({
          name: job.name,
          payload: JSON.stringify(job.payload),
          key: job.key ?? null,
          status: 'pending',
          run_at: job.runAt,
          attempts: 0,
          max_attempts: job.maxAttempts ?? 5,
          last_error: null,
          locked_by: null,
          locked_until: null,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    };
    return trx ? run(trx) : this.db.transaction().execute(run);
  }

  /** Cancels the pending job with this key, if any. */
  /** Whether a job with this key is waiting or running. */
  async hasActive(key: string): Promise<boolean> {
    return !!(await this.db.selectFrom('jobs').select('id').where('key', '=', key).where('status', 'in', ['pending', 'running']).executeTakeFirst());
  }

  async cancel(key: string, trx: Db = this.db): Promise<boolean> {
    const r = await trx.deleteFrom('jobs').where('key', '=', key).where('status', '=', 'pending').executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** Heartbeat: keeps a running job ours for another lease; false when another worker took it over. */
  async extendLease(id: number, workerId: string, until: number, now: number): Promise<boolean> {
    const r = await this.db
      .updateTable('jobs')
      .set({ locked_until: until, updated_at: now })
      .where('id', '=', id)
      .where('status', '=', 'running')
      .where('locked_by', '=', workerId)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /**
   * Takes the next due job (or one whose worker's lease ran out) for this worker.
   * Each job is handed to exactly one worker, across processes.
   */
  async claimNext(workerId: string, now: number, leaseMs: number, names?: JobNameFilter): Promise<JobRow | null> {
    const due = (eb: import('kysely').ExpressionBuilder<Database, 'jobs'>) =>
      eb.or([
        eb.and([eb('status', '=', 'pending'), eb('run_at', '<=', now)]),
        eb.and([eb('status', '=', 'running'), eb('locked_until', '<', now)]),
      ]);
    let next = this.db.selectFrom('jobs').select('id').where(due).orderBy('run_at').orderBy('id').limit(1);
    if (names?.only?.length) next = next.where('name', 'in', [...names.only]);
    if (names?.except?.length) next = next.where('name', 'not in', [...names.except]);
    if (this.engine === 'postgres') next = next.forUpdate().skipLocked();
    const row = await this.db
      .updateTable('jobs')
      .set({
        status: 'running',
        locked_by: workerId,
        locked_until: now + leaseMs,
        attempts: sql`attempts + 1`,
        updated_at: now,
      })
      .where('id', '=', (eb) => eb.selectFrom(next.as('next')).select('next.id'))
      .returningAll()
      .executeTakeFirst();
    return row ?? null;
  }

  async complete(id: number, now: number): Promise<void> {
    await this.db.updateTable('jobs').set({ status: 'done', key: null, locked_by: null, locked_until: null, updated_at: now }).where('id', '=', id).execute();
  }

  /** Records a failure: back to pending at `retryAt`, or failed for good when that is null. */
  async fail(id: number, error: string, retryAt: number | null, now: number): Promise<void> {
    await this.db
      .updateTable('jobs')
      .set(
        retryAt === null
          ? { status: 'failed', key: null, last_error: error, locked_by: null, locked_until: null, updated_at: now }
          : { status: 'pending', run_at: retryAt, last_error: error, locked_by: null, locked_until: null, updated_at: now },
      )
      .where('id', '=', id)
      .execute();
  }

  async list(filter: { status?: JobRow['status']; name?: string }, limit = 100): Promise<JobRow[]> {
    let q = this.db.selectFrom('jobs').selectAll();
    if (filter.status) q = q.where('status', '=', filter.status);
    if (filter.name) q = q.where('name', '=', filter.name);
    return q.orderBy('id', 'desc').limit(limit).execute();
  }
}
