import type { Kysely, Transaction } from 'kysely';
import type { AuditFilter, AuditRepository } from '../db/repositories/audit.repository.js';
import type { Database } from '../db/schema.js';
import { DomainError } from '../domain/errors.js';
import { text } from '../site/i18n.js';
import type { Principal } from '../domain/roles.js';
import type { Clock } from './clock.js';

export interface AuditEntry {
  id: number;
  at: number;
  userId: number | null;
  /** The actor's name at the time: a person, `API key "…"` or `system`. */
  userName: string;
  action: string;
  subject: string;
  detail: string;
}

/** Who did what, when: every newsroom change writes one entry, in the change's transaction. */
export class AuditService {
  constructor(
    private readonly audit: AuditRepository,
    private readonly clock: Clock,
  ) {}

  async record(
    actor: Principal | null,
    action: string,
    subject: string,
    detail = '',
    trx?: Kysely<Database> | Transaction<Database>,
  ): Promise<void> {
    await this.audit.append(
      {
        at: this.clock(),
        user_id: actor?.userId ?? null,
        api_key_id: actor?.apiKeyId ?? null,
        actor_name: actor?.name ?? 'system',
        action,
        subject,
        detail: detail.slice(0, 2000),
      },
      trx,
    );
  }

  /**
   * Like `record`, for frequent repeats (autosaves): nothing is written when the newest
   * entry about `subject` is the same action by the same actor less than `windowMs` ago,
   * so a run of autosaves leaves one entry per `windowMs`, and the log stays append-only.
   */
  async recordCoalesced(
    actor: Principal | null,
    action: string,
    subject: string,
    detail: string,
    windowMs: number,
    trx?: Kysely<Database> | Transaction<Database>,
  ): Promise<boolean> {
    const last = await this.audit.latestFor(subject, trx);
    const sameActor = last && last.user_id === (actor?.userId ?? null) && last.api_key_id === (actor?.apiKeyId ?? null) && last.actor_name === (actor?.name ?? 'system');
    if (last && sameActor && last.action === action && this.clock() - Number(last.at) < windowMs) return false;
    await this.record(actor, action, subject, detail, trx);
    return true;
  }

  /** Newest first, optionally narrowed to one person, action (`article.*` for a family) and time range; `cursor` continues a page. */
  async list(limit: number, cursor?: string, filter: AuditFilter = {}): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
    let before: number | undefined;
    if (cursor !== undefined) {
      if (!/^\d{1,15}$/.test(cursor)) throw new DomainError('INVALID_CURSOR', text('cursorInvalid'));
      before = Number(cursor);
    }
    if (filter.from !== undefined && filter.to !== undefined && filter.from >= filter.to) {
      throw new DomainError('VALIDATION_FAILED', text('auditRange'));
    }
    const rows = await this.audit.list(limit + 1, before, filter);
    const hasMore = rows.length > limit;
    if (hasMore) rows.length = limit;
    return {
      items: rows.map((r) => ({ id: r.id, at: r.at, userId: r.user_id, userName: r.actor_name, action: r.action, subject: r.subject, detail: r.detail })),
      nextCursor: hasMore ? String(rows.at(-1)!.id) : null,
    };
  }

  /** Action names recorded so far (for a filter menu). */
  async actions(): Promise<string[]> {
    return this.audit.actions();
  }
}
