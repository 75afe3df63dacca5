import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from '../schema.js';
import type { AuditLogTable } from '../schema/newsroom.schema.js';
import { writeBehind } from '../write-behind.js';

type Db = Kysely<Database> | Transaction<Database>;
export type AuditRow = Selectable<AuditLogTable>;
export type NewAuditEntry = Omit<AuditRow, 'id'>;

/** Narrows the audit log: one person, one action (or a family such as `article.*`), a time range (epoch ms, `to` exclusive). */
export interface AuditFilter {
  userId?: number;
  action?: string;
  from?: number;
  to?: number;
}

/** The append-only audit log. */
export class AuditRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** In a transaction its error is raised by the transaction's next statement (write-behind.ts). */
  async append(entry: NewAuditEntry, trx: Db = this.db): Promise<void> {
    await writeBehind(() => trx.insertInto('audit_log').values(entry).execute());
  }

  /** The newest entry about `subject` (e.g. `article:12`), or null. */
  async latestFor(subject: string, trx: Db = this.db): Promise<AuditRow | null> {
    return (await trx.selectFrom('audit_log').selectAll().where('subject', '=', subject).orderBy('id', 'desc').limit(1).executeTakeFirst()) ?? null;
  }

  /** Newest first; `beforeId` is the keyset cursor. */
  async list(limit: number, beforeId?: number, filter: AuditFilter = {}): Promise<AuditRow[]> {
    let q = this.db.selectFrom('audit_log').selectAll();
    if (beforeId !== undefined) q = q.where('id', '<', beforeId);
    if (filter.userId !== undefined) q = q.where('user_id', '=', filter.userId);
    if (filter.action !== undefined) {
      q = filter.action.endsWith('.*')
        ? q.where('action', 'like', `${filter.action.slice(0, -1).replace(/[%_\\]/g, '')}%`)
        : q.where('action', '=', filter.action);
    }
    if (filter.from !== undefined) q = q.where('at', '>=', filter.from);
    if (filter.to !== undefined) q = q.where('at', '<', filter.to);
    return q.orderBy('id', 'desc').limit(limit).execute();
  }

  /** Every action name recorded so far, for a filter menu. */
  async actions(): Promise<string[]> {
    const rows = await this.db.selectFrom('audit_log').select('action').distinct().orderBy('action').execute();
    return rows.map((r) => r.action);
  }
}
