import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from '../schema.js';
import type { AuditLogTable } from '../schema/newsroom.schema.js';

type Db = Kysely<Database> | Transaction<Database>;
export type AuditRow = Selectable<AuditLogTable>;
export type NewAuditEntry = Omit<AuditRow, 'id'>;

/** The append-only audit log. */
export class AuditRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async append(entry: NewAuditEntry, trx: Db = this.db): Promise<void> {
    await trx.insertInto('audit_log').values(entry).execute();
  }

  /** The newest entry about `subject` (e.g. `article:12`), or null. */
  async latestFor(subject: string, trx: Db = this.db): Promise<AuditRow | null> {
    return (await trx.selectFrom('audit_log').selectAll().where('subject', '=', subject).orderBy('id', 'desc').limit(1).executeTakeFirst()) ?? null;
  }

  /** Newest first; `beforeId` is the keyset cursor. */
  async list(limit: number, beforeId?: number): Promise<AuditRow[]> {
    let q = this.db.selectFrom('audit_log').selectAll();
    if (beforeId !== undefined) q = q.where('id', '<', beforeId);
    return q.orderBy('id', 'desc').limit(limit).execute();
  }
}
