import type { Insertable, Kysely, Selectable, Transaction, Updateable } from 'kysely';
import type { Database } from '../schema.js';
import type { WireItemTable, WireSourceTable } from '../schema/wire.schema.js';
import '../schema/wire.schema.js';

type Db = Kysely<Database> | Transaction<Database>;
export type WireSourceRow = Selectable<WireSourceTable>;
export type WireItemRow = Selectable<WireItemTable>;

export interface IncomingFilter {
  sourceId?: number;
  language?: string;
  /** `new`: not yet made into a draft (default); `drafted`; `all`. */
  state?: 'new' | 'drafted' | 'all';
  /** Items with a smaller id (the cursor of the previous page). */
  before?: number;
}

/** Wire sources and their items (the Incoming queue). */
export class WireRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insertSource(row: Insertable<WireSourceTable>, trx: Db = this.db): Promise<number> {
    return (await trx.insertInto('wire_sources').values(row).returning('id').executeTakeFirstOrThrow()).id;
  }

  async findSource(id: number, trx: Db = this.db): Promise<WireSourceRow | null> {
    return (await trx.selectFrom('wire_sources').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
  }

  async listSources(): Promise<WireSourceRow[]> {
    return this.db.selectFrom('wire_sources').selectAll().orderBy('name').orderBy('id').execute();
  }

  async updateSource(id: number, changes: Updateable<WireSourceTable>, trx: Db = this.db): Promise<void> {
    await trx.updateTable('wire_sources').set(changes).where('id', '=', id).execute();
  }

  /** Removes the source and its queue items; drafts made from them stay. */
  async deleteSource(id: number, trx: Db): Promise<void> {
    await trx.deleteFrom('wire_items').where('source_id', '=', id).execute();
    await trx.deleteFrom('wire_sources').where('id', '=', id).execute();
  }

  /** The items this source already sent under these guids: id and content hash by guid. */
  async knownGuidHashes(sourceId: number, guids: string[], trx: Db = this.db): Promise<Map<string, { id: number; contentHash: string }>> {
    const found = new Map<string, { id: number; contentHash: string }>();
    for (let i = 0; i < guids.length; i += 500) {
      const rows = await trx.selectFrom('wire_items').select(['id', 'guid', 'content_hash']).where('source_id', '=', sourceId).where('guid', 'in', guids.slice(i, i + 500)).execute();
      for (const r of rows) found.set(r.guid, { id: r.id, contentHash: r.content_hash });
    }
    return found;
  }

  /** Replaces a queued item's text with the source's corrected version. */
  async correctItem(id: number, changes: Updateable<WireItemTable>, trx: Db = this.db): Promise<void> {
    await trx.updateTable('wire_items').set(changes).where('id', '=', id).execute();
  }

  /** Which of these content hashes any source already has. */
  async knownHashes(hashes: string[], trx: Db = this.db): Promise<Set<string>> {
    const found = new Set<string>();
    for (let i = 0; i < hashes.length; i += 500) {
      const rows = await trx.selectFrom('wire_items').select('content_hash').where('content_hash', 'in', hashes.slice(i, i + 500)).execute();
      for (const r of rows) found.add(r.content_hash);
    }
    return found;
  }

  async insertItem(row: Insertable<WireItemTable>, trx: Db = this.db): Promise<number> {
    return (await trx.insertInto('wire_items').values(row).returning('id').executeTakeFirstOrThrow()).id;
  }

  async findItem(id: number, trx: Db = this.db): Promise<WireItemRow | null> {
    return (await trx.selectFrom('wire_items').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
  }

  /** Newest first. */
  async listItems(filter: IncomingFilter, limit: number): Promise<WireItemRow[]> {
    let q = this.db.selectFrom('wire_items').selectAll();
    if (filter.sourceId !== undefined) q = q.where('source_id', '=', filter.sourceId);
    if (filter.language) q = q.where('language', '=', filter.language);
    if ((filter.state ?? 'new') === 'new') q = q.where('article_id', 'is', null).where('drafted_at', 'is', null);
    else if (filter.state === 'drafted') q = q.where('drafted_at', 'is not', null);
    if (filter.before !== undefined) q = q.where('id', '<', filter.before);
    return q.orderBy('id', 'desc').limit(limit).execute();
  }

  /** Languages present in the queue (for the filter). */
  async languages(): Promise<string[]> {
    return (await this.db.selectFrom('wire_items').select('language').distinct().orderBy('language').execute()).map((r) => r.language);
  }

  /** Claims the item for a draft; false when another editor claimed it first. */
  async claim(id: number, now: number): Promise<boolean> {
    const r = await this.db.updateTable('wire_items').set({ drafted_at: now }).where('id', '=', id).where('drafted_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Gives a claim back (the draft could not be made). */
  async unclaim(id: number): Promise<void> {
    await this.db.updateTable('wire_items').set({ drafted_at: null, article_id: null }).where('id', '=', id).execute();
  }

  async setArticle(id: number, articleId: number, trx: Db = this.db): Promise<void> {
    await trx.updateTable('wire_items').set({ article_id: articleId }).where('id', '=', id).execute();
  }
}
