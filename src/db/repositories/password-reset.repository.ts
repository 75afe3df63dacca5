import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** One-time password-reset links (only their hashes are stored). */
export class PasswordResetRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(r: { hash: string; userId: number; expiresAt: number }, now: number, trx: Db = this.db): Promise<void> {
    await trx.insertInto('password_resets').values({ token_hash: r.hash, user_id: r.userId, created_at: now, expires_at: r.expiresAt, used_at: null }).execute();
  }

  /** Links made for a user since `since` (the per-account sending limit). */
  async countSince(userId: number, since: number): Promise<number> {
    const row = await this.db
      .selectFrom('password_resets')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .where('created_at', '>=', since)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Whether the link is unused and unexpired (without using it). */
  async findUsable(hash: string, now: number): Promise<{ userId: number; expiresAt: number } | null> {
    const row = await this.db
      .selectFrom('password_resets')
      .select(['user_id', 'expires_at'])
      .where('token_hash', '=', hash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return row ? { userId: row.user_id, expiresAt: Number(row.expires_at) } : null;
  }

  /**
   * Uses the link: one conditional UPDATE, so two requests racing with it cannot both
   * win. Every other open link of the same user is closed with it.
   */
  async consume(hash: string, now: number, trx: Db = this.db): Promise<number | null> {
    const row = await trx
      .updateTable('password_resets')
      .set({ used_at: now })
      .where('token_hash', '=', hash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returning('user_id')
      .executeTakeFirst();
    if (!row) return null;
    await trx.updateTable('password_resets').set({ used_at: now }).where('user_id', '=', row.user_id).where('used_at', 'is', null).execute();
    return row.user_id;
  }
}
