import type { Kysely, Migration } from 'kysely';
import type { Engine } from '../database.js';

/**
 * Web Push: browsers that asked for alerts, one row per push endpoint (the push service's
 * URL for that browser) with its encryption keys and the language whose alerts it gets.
 */
export function push(engine: Engine): Migration {
  const id = (c: any) => (engine === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey().generatedByDefaultAsIdentity());
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('push_subscriptions')
        .addColumn('id', 'integer', id)
        .addColumn('language', 'text', (c) => c.notNull())
        .addColumn('endpoint', 'text', (c) => c.notNull().unique())
        .addColumn('p256dh', 'text', (c) => c.notNull())
        .addColumn('auth', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('push_subscriptions_language').on('push_subscriptions').columns(['language', 'id']).execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('push_subscriptions').execute();
    },
  };
}
