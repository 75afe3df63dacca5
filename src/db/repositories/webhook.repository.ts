import { sql, type Insertable, type Kysely, type Selectable, type Transaction, type Updateable } from 'kysely';
import type { Database } from '../schema.js';
import type { WebhookDeliveryTable, WebhookEndpointTable } from '../schema/webhooks.schema.js';
import '../schema/webhooks.schema.js';

type Db = Kysely<Database> | Transaction<Database>;
export type WebhookEndpointRow = Selectable<WebhookEndpointTable>;
export type WebhookDeliveryRow = Selectable<WebhookDeliveryTable>;

/** Webhook endpoints and their delivery log. */
export class WebhookRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insertEndpoint(row: Insertable<WebhookEndpointTable>): Promise<number> {
    const r = await this.db.insertInto('webhook_endpoints').values(row).returning('id').executeTakeFirstOrThrow();
    return r.id;
  }

  async findEndpoint(id: number, trx: Db = this.db): Promise<WebhookEndpointRow | null> {
    return (await trx.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
  }

  async listEndpoints(): Promise<WebhookEndpointRow[]> {
    return this.db.selectFrom('webhook_endpoints').selectAll().orderBy('id').execute();
  }

  /** Enabled endpoints; the caller filters by event (a handful of rows). */
  async enabledEndpoints(trx: Db = this.db): Promise<WebhookEndpointRow[]> {
    return trx.selectFrom('webhook_endpoints').selectAll().where('enabled', '=', 1).orderBy('id').execute();
  }

  async updateEndpoint(id: number, changes: Updateable<WebhookEndpointTable>, trx: Db = this.db): Promise<void> {
    await trx.updateTable('webhook_endpoints').set(changes).where('id', '=', id).execute();
  }

  async deleteEndpoint(id: number): Promise<boolean> {
    // Deliveries go with it (ON DELETE CASCADE needs foreign keys on in SQLite; delete explicitly).
    return this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('webhook_deliveries').where('endpoint_id', '=', id).execute();
      const r = await trx.deleteFrom('webhook_endpoints').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    });
  }

  /** One more failed attempt in a row; returns the new streak. */
  async recordFailure(id: number, now: number): Promise<number> {
    await this.db
      .updateTable('webhook_endpoints')
      .set({ failure_streak: sql`failure_streak + 1`, updated_at: now })
      .where('id', '=', id)
      .execute();
    const row = await this.db.selectFrom('webhook_endpoints').select('failure_streak').where('id', '=', id).executeTakeFirst();
    return row?.failure_streak ?? 0;
  }

  async insertDelivery(row: Insertable<WebhookDeliveryTable>, trx: Db = this.db): Promise<number> {
    const r = await trx.insertInto('webhook_deliveries').values(row).returning('id').executeTakeFirstOrThrow();
    return r.id;
  }

  async findDelivery(id: number): Promise<WebhookDeliveryRow | null> {
    return (await this.db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
  }

  async updateDelivery(id: number, changes: Updateable<WebhookDeliveryTable>): Promise<void> {
    await this.db.updateTable('webhook_deliveries').set(changes).where('id', '=', id).execute();
  }

  /** An endpoint's deliveries, newest first, before the id `before` when given. */
  async listDeliveries(endpointId: number, limit: number, before?: number): Promise<WebhookDeliveryRow[]> {
    let q = this.db.selectFrom('webhook_deliveries').selectAll().where('endpoint_id', '=', endpointId);
    if (before !== undefined) q = q.where('id', '<', before);
    return q.orderBy('id', 'desc').limit(limit).execute();
  }
}
