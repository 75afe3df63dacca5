import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema.js';
import type { OneTimeTokenKind, UserRole, UserRow } from '../schema/newsroom.schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Newsroom accounts and their one-time setup/invitation tokens. */
export class UserRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async count(trx: Db = this.db): Promise<number> {
    const row = await trx.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async insert(
    u: { email: string; name: string; role: UserRole; passwordHash: string | null },
    now: number,
    trx: Db = this.db,
  ): Promise<number> {
    const row = await trx
      .insertInto('users')
      .values({ email: u.email, name: u.name, role: u.role, password_hash: u.passwordHash, created_at: now, updated_at: now, last_login_at: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async findById(id: number, trx: Db = this.db): Promise<UserRow | null> {
    return (await trx.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
  }

  async findByEmail(email: string): Promise<UserRow | null> {
    return (await this.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst()) ?? null;
  }

  async list(): Promise<UserRow[]> {
    return this.db.selectFrom('users').selectAll().orderBy('name').orderBy('id').execute();
  }

  async update(
    id: number,
    changes: { name?: string; role?: UserRole; disabled?: boolean; passwordHash?: string },
    now: number,
    trx: Db = this.db,
  ): Promise<void> {
    await trx
      .updateTable('users')
      .set({
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.role !== undefined ? { role: changes.role } : {}),
        ...(changes.disabled !== undefined ? { disabled: changes.disabled ? 1 : 0 } : {}),
        ...(changes.passwordHash !== undefined ? { password_hash: changes.passwordHash } : {}),
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
  }

  async touchLogin(id: number, now: number): Promise<void> {
    await this.db.updateTable('users').set({ last_login_at: now }).where('id', '=', id).execute();
  }

  /** Active owners; the last one may not be demoted or disabled. */
  async countActiveOwners(trx: Db = this.db): Promise<number> {
    const row = await trx
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('role', '=', 'owner')
      .where('disabled', '=', 0)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async insertToken(t: { hash: string; kind: OneTimeTokenKind; userId: number | null; expiresAt: number }, now: number, trx: Db = this.db): Promise<void> {
    await trx
      .insertInto('one_time_tokens')
      .values({ token_hash: t.hash, kind: t.kind, user_id: t.userId, created_at: now, expires_at: t.expiresAt, used_at: null })
      .execute();
  }

  /**
   * Marks an unused, unexpired token used and returns it; null when there is none.
   * One conditional UPDATE: two requests racing with the same token cannot both win.
   */
  async consumeToken(hash: string, kind: OneTimeTokenKind, now: number, trx: Db = this.db): Promise<{ userId: number | null } | null> {
    const row = await trx
      .updateTable('one_time_tokens')
      .set({ used_at: now })
      .where('token_hash', '=', hash)
      .where('kind', '=', kind)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returning('user_id')
      .executeTakeFirst();
    return row ? { userId: row.user_id } : null;
  }
}
