import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { ApiKeyRow } from '../schema/newsroom.schema.js';

/** Integration keys; only a hash of each secret is stored. */
export class ApiKeyRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(k: { name: string; prefix: string; secretHash: string; scopes: string[]; createdBy: number | null }, now: number): Promise<number> {
    const row = await this.db
      .insertInto('api_keys')
      .values({
        name: k.name,
        prefix: k.prefix,
        secret_hash: k.secretHash,
        scopes_json: JSON.stringify(k.scopes),
        created_by: k.createdBy,
        created_at: now,
        last_used_at: null,
        revoked_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async findById(id: number): Promise<ApiKeyRow | null> {
    return (await this.db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
  }

  /**
   * A key that works: not revoked, and its owner (the user who made it) still exists and
   * is not disabled. A key outlives nobody: deleting the owner sets created_by to null,
   * which stops it too.
   */
  async findActiveByHash(hash: string): Promise<ApiKeyRow | null> {
    return (
      (await this.db
        .selectFrom('api_keys')
        .innerJoin('users', 'users.id', 'api_keys.created_by')
        .selectAll('api_keys')
        .where('api_keys.secret_hash', '=', hash)
        .where('api_keys.revoked_at', 'is', null)
        .where('users.disabled', '=', 0)
        .executeTakeFirst()) ?? null
    );
  }

  /** Revokes every live key a user made (when they are disabled); returns how many. */
  async revokeAllOf(userId: number, now: number, trx: Kysely<Database> = this.db): Promise<number> {
    const r = await trx.updateTable('api_keys').set({ revoked_at: now }).where('created_by', '=', userId).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  async list(): Promise<ApiKeyRow[]> {
    return this.db.selectFrom('api_keys').selectAll().orderBy('id', 'desc').execute();
  }

  async revoke(id: number, now: number): Promise<boolean> {
    const r = await this.db.updateTable('api_keys').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async touch(id: number, now: number): Promise<void> {
    await this.db.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', id).execute();
  }
}
