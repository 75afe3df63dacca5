import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Engine } from '../database.js';
import type { Database } from '../schema.js';
import type { BreakingItemTable, LiveEntryTable, LiveTables } from '../schema/live.schema.js';

type Db = Kysely<Database & LiveTables>;
type Trx = Db | Transaction<Database & LiveTables>;
export type BreakingRow = Selectable<BreakingItemTable>;
export type LiveEntryRow = Selectable<LiveEntryTable>;
export interface LiveEventRow {
  id: number;
  channel: string;
  type: string;
  payload: string;
  created_at: number;
}

/**
 * Event log writers on PostgreSQL take this transaction lock before appending, so event
 * ids become visible in id order and a reader's `id > last` never skips a late commit.
 */
const EVENT_LOCK = 74_210_020;

const num = (v: unknown) => Number(v);
const entryOf = (r: LiveEntryRow): LiveEntryRow => ({ ...r, id: num(r.id), article_id: num(r.article_id), media_id: r.media_id === null ? null : num(r.media_id), created_at: num(r.created_at), updated_at: num(r.updated_at), deleted_at: r.deleted_at === null ? null : num(r.deleted_at) });
const breakingOf = (r: BreakingRow): BreakingRow => ({ ...r, id: num(r.id), article_id: r.article_id === null ? null : num(r.article_id), created_at: num(r.created_at), expires_at: num(r.expires_at), cleared_at: r.cleared_at === null ? null : num(r.cleared_at) });
const eventOf = (r: LiveEventRow): LiveEventRow => ({ ...r, id: num(r.id), created_at: num(r.created_at) });

/** Breaking items, live blogs, their entries and the live event log. */
export class LiveRepository {
  constructor(
    readonly db: Db,
    private readonly engine: Engine,
  ) {}

  transaction<T>(work: (trx: Transaction<Database & LiveTables>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  // Breaking items

  async insertBreaking(row: Omit<BreakingRow, 'id' | 'cleared_at'>, trx: Trx = this.db): Promise<BreakingRow> {
    const r = await trx.insertInto('breaking_items').values({ ...row, cleared_at: null }).returningAll().executeTakeFirstOrThrow();
    return breakingOf(r);
  }

  /** Items of a language not cleared and not expired at `now`, newest first. */
  async activeBreaking(language: string, now: number, trx: Trx = this.db): Promise<BreakingRow[]> {
    const rows = await trx.selectFrom('breaking_items').selectAll().where('language', '=', language).where('cleared_at', 'is', null).where('expires_at', '>', now).orderBy('id', 'desc').limit(10).execute();
    return rows.map(breakingOf);
  }

  /** Active items of every language, newest first. */
  async activeBreakingAll(now: number): Promise<BreakingRow[]> {
    const rows = await this.db.selectFrom('breaking_items').selectAll().where('cleared_at', 'is', null).where('expires_at', '>', now).orderBy('id', 'desc').limit(50).execute();
    return rows.map(breakingOf);
  }

  async recentBreaking(language: string, limit: number): Promise<BreakingRow[]> {
    const rows = await this.db.selectFrom('breaking_items').selectAll().where('language', '=', language).orderBy('id', 'desc').limit(limit).execute();
    return rows.map(breakingOf);
  }

  async findBreaking(id: number, trx: Trx = this.db): Promise<BreakingRow | null> {
    const r = await trx.selectFrom('breaking_items').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? breakingOf(r) : null;
  }

  /** Clears every active item of a language; the number cleared. */
  async clearBreaking(language: string, now: number, trx: Trx = this.db): Promise<number> {
    const r = await trx.updateTable('breaking_items').set({ cleared_at: now }).where('language', '=', language).where('cleared_at', 'is', null).where('expires_at', '>', now).executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  // Live blogs

  async blog(articleId: number, trx: Trx = this.db): Promise<{ article_id: number; ended_at: number | null; created_at: number } | null> {
    const r = await trx.selectFrom('live_blogs').selectAll().where('article_id', '=', articleId).executeTakeFirst();
    return r ? { article_id: num(r.article_id), ended_at: r.ended_at === null ? null : num(r.ended_at), created_at: num(r.created_at) } : null;
  }

  async blogIds(articleIds: number[]): Promise<Set<number>> {
    if (!articleIds.length) return new Set();
    const rows = await this.db.selectFrom('live_blogs').select('article_id').where('article_id', 'in', articleIds).execute();
    return new Set(rows.map((r) => num(r.article_id)));
  }

  async insertBlog(articleId: number, now: number, trx: Trx = this.db): Promise<void> {
    await trx.insertInto('live_blogs').values({ article_id: articleId, ended_at: null, created_at: now }).execute();
  }

  async setEnded(articleId: number, endedAt: number | null, trx: Trx = this.db): Promise<void> {
    await trx.updateTable('live_blogs').set({ ended_at: endedAt }).where('article_id', '=', articleId).execute();
  }

  /** Live blogs, newest first, with their headlines (the newsroom's list). */
  async listBlogs(limit: number): Promise<{ article_id: number; headline: string; language: string; status: string; ended_at: number | null; created_at: number; entries: number }[]> {
    const rows = await this.db
      .selectFrom('live_blogs as b')
      .innerJoin('articles as a', 'a.id', 'b.article_id')
      .select(['b.article_id', 'a.headline', 'a.language', 'a.status', 'b.ended_at', 'b.created_at'])
      .select((eb) => eb.selectFrom('live_entries as e').whereRef('e.article_id', '=', 'b.article_id').where('e.deleted_at', 'is', null).select((e) => e.fn.countAll<number>().as('n')).as('entries'))
      .orderBy('b.created_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ ...r, article_id: num(r.article_id), ended_at: r.ended_at === null ? null : num(r.ended_at), created_at: num(r.created_at), entries: num(r.entries ?? 0) }));
  }

  // Entries

  async insertEntry(row: Omit<LiveEntryRow, 'id' | 'deleted_at' | 'correction'>, trx: Trx = this.db): Promise<LiveEntryRow> {
    const r = await trx.insertInto('live_entries').values({ ...row, correction: '', deleted_at: null }).returningAll().executeTakeFirstOrThrow();
    return entryOf(r);
  }

  async findEntry(id: number, trx: Trx = this.db): Promise<LiveEntryRow | null> {
    const r = await trx.selectFrom('live_entries').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
    return r ? entryOf(r) : null;
  }

  async updateEntry(id: number, set: Partial<Omit<LiveEntryRow, 'id' | 'article_id' | 'created_at'>>, trx: Trx = this.db): Promise<LiveEntryRow> {
    const r = await trx.updateTable('live_entries').set(set).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    return entryOf(r);
  }

  /** Entries shown (not deleted), newest first; pinned ones only when `pinned`. */
  async entries(articleId: number, options: { limit: number; offset: number; pinned?: boolean }): Promise<LiveEntryRow[]> {
    let q = this.db.selectFrom('live_entries').selectAll().where('article_id', '=', articleId).where('deleted_at', 'is', null);
    if (options.pinned) q = q.where('pinned', '=', 1);
    const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(options.limit).offset(options.offset).execute();
    return rows.map(entryOf);
  }

  async countEntries(articleId: number): Promise<number> {
    const r = await this.db.selectFrom('live_entries').select((eb) => eb.fn.countAll<number>().as('n')).where('article_id', '=', articleId).where('deleted_at', 'is', null).executeTakeFirst();
    return num(r?.n ?? 0);
  }

  // Event log

  /** Appends one event (in the caller's transaction); its id. */
  async appendEvent(event: Omit<LiveEventRow, 'id'>, trx: Transaction<Database & LiveTables>): Promise<LiveEventRow> {
    if (this.engine === 'postgres') await sql`select pg_advisory_xact_lock(${EVENT_LOCK})`.execute(trx);
    const r = await trx.insertInto('live_events').values(event).returning('id').executeTakeFirstOrThrow();
    return { id: num(r.id), ...event };
  }

  /** Events after `afterId` in id order, optionally of some channels only. */
  async eventsAfter(afterId: number, limit: number, channels?: readonly string[]): Promise<LiveEventRow[]> {
    if (channels && !channels.length) return [];
    let q = this.db.selectFrom('live_events').select(['id', 'channel', 'type', 'payload', 'created_at']).where('id', '>', afterId);
    if (channels) q = q.where('channel', 'in', [...channels]);
    const rows = await q.orderBy('id').limit(limit).execute();
    return rows.map(eventOf);
  }

  async lastEventId(channel?: string): Promise<number> {
    let q = this.db.selectFrom('live_events').select((eb) => eb.fn.max('id').as('id'));
    if (channel) q = q.where('channel', '=', channel);
    const r = await q.executeTakeFirst();
    return r?.id == null ? 0 : num(r.id);
  }

  /** The oldest event still in the log (0: none). A resume point older than it minus one may have lost events to pruning. */
  async firstEventId(): Promise<number> {
    const r = await this.db.selectFrom('live_events').select((eb) => eb.fn.min('id').as('id')).executeTakeFirst();
    return r?.id == null ? 0 : num(r.id);
  }

  /**
   * Deletes the events written before `cutoff` (ms), as a prefix of ids so the log stays
   * gap-free from its first id on; the newest event always stays (the log's position).
   * Returns how many were deleted.
   */
  async pruneEventsBefore(cutoff: number): Promise<number> {
    const old = await this.db.selectFrom('live_events').select((eb) => eb.fn.max('id').as('id')).where('created_at', '<', cutoff).executeTakeFirst();
    if (old?.id == null) return 0;
    const bound = Math.min(num(old.id), (await this.lastEventId()) - 1);
    if (bound < 1) return 0;
    let deleted = 0;
    for (;;) {
      // In slices: a big backlog never holds a long write lock.
      const slice = await this.db.selectFrom('live_events').select('id').where('id', '<=', bound).orderBy('id').limit(5000).execute();
      if (!slice.length) return deleted;
      const r = await this.db.deleteFrom('live_events').where('id', '<=', num(slice.at(-1)!.id)).executeTakeFirst();
      deleted += Number(r.numDeletedRows);
    }
  }
}
