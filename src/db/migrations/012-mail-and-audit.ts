import type { ColumnDefinitionBuilder, Kysely, Migration } from 'kysely';
import type { Engine } from '../database.js';

/**
 * Password resets by email (one-time links, hashed like every other token) and the
 * indexes the audit-log filters read: by person, by action, by time, each newest first.
 */
export function mailAndAudit(engine: Engine): Migration {
  const serial = (c: ColumnDefinitionBuilder) =>
    engine === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey().generatedByDefaultAsIdentity();
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('password_resets')
        .addColumn('id', 'integer', serial)
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('used_at', 'bigint')
        .execute();
      await db.schema.createIndex('password_resets_user').on('password_resets').columns(['user_id', 'created_at']).execute();
      await db.schema.createIndex('audit_log_user').on('audit_log').columns(['user_id', 'id']).execute();
      await db.schema.createIndex('audit_log_action').on('audit_log').columns(['action', 'id']).execute();
      await db.schema.createIndex('audit_log_at').on('audit_log').columns(['at', 'id']).execute();
    },
    async down(db: Kysely<unknown>) {
      for (const index of ['audit_log_at', 'audit_log_action', 'audit_log_user']) await db.schema.dropIndex(index).execute();
      await db.schema.dropTable('password_resets').execute();
    },
  };
}
