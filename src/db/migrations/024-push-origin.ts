import type { Kysely, Migration } from 'kysely';
import type { Engine } from '../database.js';
import { pushOrigin } from '../../domain/push.js';

/**
 * Web Push limits: each subscription records its push service's origin (scheme, host,
 * port of the endpoint), indexed, so the cap per origin is one index count.
 */
export function pushOrigin024(_engine: Engine): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('push_subscriptions').addColumn('origin', 'text', (c) => c.notNull().defaultTo('')).execute();
      for (let after = 0; ; ) {
        const rows: { id: number; endpoint: string }[] = await db.selectFrom('push_subscriptions').select(['id', 'endpoint']).where('id', '>', after).orderBy('id').limit(500).execute();
        if (!rows.length) break;
        for (const r of rows) await db.updateTable('push_subscriptions').set({ origin: pushOrigin(r.endpoint) }).where('id', '=', r.id).execute();
        after = Number(rows.at(-1)!.id);
      }
      await db.schema.createIndex('push_subscriptions_origin').on('push_subscriptions').column('origin').execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropIndex('push_subscriptions_origin').execute();
      await db.schema.alterTable('push_subscriptions').dropColumn('origin').execute();
    },
  };
}
