import type { Kysely, Selectable } from 'kysely';

export interface PushSubscriptionsTable {
  id: number;
  language: string;
  endpoint: string;
  /** scheme://host[:port] of the endpoint (the cap per push service counts by it). */
  origin: string;
  p256dh: string;
  auth: string;
  created_at: number;
}
interface PushDb {
  push_subscriptions: PushSubscriptionsTable;
}
export type PushSubscriptionRow = Selectable<PushSubscriptionsTable>;
export type NewPushSubscription = Omit<PushSubscriptionsTable, 'id'>;

/** Browsers' Web Push subscriptions, one row per endpoint. */
export class PushSubscriptionRepository {
  private readonly db: Kysely<PushDb>;

  constructor(db: Kysely<unknown>) {
    this.db = db as Kysely<PushDb>;
  }

  async idByEndpoint(endpoint: string): Promise<number | null> {
    const row = await this.db.selectFrom('push_subscriptions').select('id').where('endpoint', '=', endpoint).executeTakeFirst();
    return row ? Number(row.id) : null;
  }

  /** Inserts, or updates the row of the same endpoint (one statement, so two requests of one browser cannot collide); returns its id. */
  async save(row: NewPushSubscription): Promise<number> {
    const made = await this.db
      .insertInto('push_subscriptions')
      .values(row as never)
      .onConflict((oc) => oc.column('endpoint').doUpdateSet(row))
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(made.id);
  }

  async deleteByEndpoint(endpoint: string): Promise<boolean> {
    const r = await this.db.deleteFrom('push_subscriptions').where('endpoint', '=', endpoint).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async deleteById(id: number): Promise<void> {
    await this.db.deleteFrom('push_subscriptions').where('id', '=', id).execute();
  }

  async findById(id: number): Promise<PushSubscriptionRow | undefined> {
    return this.db.selectFrom('push_subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async count(language?: string): Promise<number> {
    let q = this.db.selectFrom('push_subscriptions').select((eb) => eb.fn.countAll<number>().as('n'));
    if (language) q = q.where('language', '=', language);
    return Number((await q.executeTakeFirstOrThrow()).n);
  }

  /** Subscriptions on one push service origin, counted up to `upTo` (an index range, however many there are). */
  async countOnOrigin(origin: string, upTo: number): Promise<number> {
    const rows = await this.db.selectFrom('push_subscriptions').select('id').where('origin', '=', origin).limit(upTo).execute();
    return rows.length;
  }

  /** Ids of a language's subscribers after `after`, in id order. */
  async idsForLanguage(language: string, after: number, limit: number): Promise<number[]> {
    const rows = await this.db.selectFrom('push_subscriptions').select('id').where('language', '=', language).where('id', '>', after).orderBy('id').limit(limit).execute();
    return rows.map((r) => Number(r.id));
  }
}
