import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../schema.js';
import type { SessionRow, UserRow } from '../schema/newsroom.schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Browser sessions and the login throttle (both in the database so every node and engine shares them). */
export class SessionRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(s: Omit<SessionRow, 'revoked_at'>, trx: Db = this.db): Promise<void> {
    await trx.insertInto('sessions').values({ ...s, revoked_at: null }).execute();
  }

  /** The session and its user, if the session exists and is not revoked (expiry is the caller's rule). */
  async findWithUser(id: string): Promise<{ session: SessionRow; user: UserRow } | null> {
    const row = await this.db
      .selectFrom('sessions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .selectAll('s')
      .select([
        'u.email as u_email',
        'u.name as u_name',
        'u.role as u_role',
        'u.password_hash as u_password_hash',
        'u.disabled as u_disabled',
        'u.created_at as u_created_at',
        'u.updated_at as u_updated_at',
        'u.last_login_at as u_last_login_at',
      ])
      .where('s.id', '=', id)
      .where('s.revoked_at', 'is', null)
      .executeTakeFirst();
    if (!row) return null;
    const { u_email, u_name, u_role, u_password_hash, u_disabled, u_created_at, u_updated_at, u_last_login_at, ...session } = row;
    return {
      session,
      user: {
        id: session.user_id,
        email: u_email,
        name: u_name,
        role: u_role,
        password_hash: u_password_hash,
        disabled: u_disabled,
        created_at: u_created_at,
        updated_at: u_updated_at,
        last_login_at: u_last_login_at,
      },
    };
  }

  async touch(id: string, now: number): Promise<void> {
    await this.db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', id).execute();
  }

  async revoke(id: string, now: number): Promise<void> {
    await this.db.updateTable('sessions').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).execute();
  }

  async revokeAllOf(userId: number, now: number, trx: Db = this.db): Promise<void> {
    await trx.updateTable('sessions').set({ revoked_at: now }).where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
  }

  /** Locks in force for these throttle keys: the latest `locked_until` above `now`, or null. */
  async lockedUntil(keys: string[], now: number): Promise<number | null> {
    const row = await this.db
      .selectFrom('login_throttle')
      .select((eb) => eb.fn.max('locked_until').as('until'))
      .where('key', 'in', keys)
      .where('locked_until', '>', now)
      .executeTakeFirst();
    return row?.until != null ? Number(row.until) : null;
  }

  /**
   * Counts one failure for `key` inside a sliding window and locks the key for
   * `lockMs` when it reaches `limit`. A single upsert, atomic on both engines.
   */
  async recordFailure(key: string, now: number, windowMs: number, limit: number, lockMs: number): Promise<number> {
    const windowStart = now - windowMs;
    const row = await this.db
      .insertInto('login_throttle')
      .values({ key, failures: 1, window_start: now, locked_until: limit <= 1 ? now + lockMs : 0 })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          failures: sql`case when login_throttle.window_start < ${windowStart} then 1 else login_throttle.failures + 1 end`,
          window_start: sql`case when login_throttle.window_start < ${windowStart} then ${now} else login_throttle.window_start end`,
          locked_until: sql`case when login_throttle.window_start >= ${windowStart} and login_throttle.failures + 1 >= ${limit} then ${now + lockMs} else login_throttle.locked_until end`,
        }),
      )
      .returning('failures')
      .executeTakeFirstOrThrow();
    return Number(row.failures);
  }

  async clearThrottle(key: string): Promise<void> {
    await this.db.deleteFrom('login_throttle').where('key', '=', key).execute();
  }
}
