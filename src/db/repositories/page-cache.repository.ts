import type { Kysely } from 'kysely';
import type { ArticlePublicState } from '../../domain/purge-keys.js';
import { jsonRowsFor, parseJsonRows, type JsonRowsFrom } from '../json-rows.js';
import type { PageCacheTables } from '../schema/page-cache.schema.js';
import type { Database } from '../schema.js';

type Db = Kysely<Database & PageCacheTables>;

const ids = (s: string | null): number[] => (s ? s.split(',').map(Number) : []);

/** Purge bookkeeping: articles' last-seen public state and the purge log. */
export class PageCacheRepository {
  private readonly db: Db;
  private readonly jsonRows: JsonRowsFrom;

  constructor(db: Kysely<Database>) {
    this.db = db as unknown as Db;
    this.jsonRows = jsonRowsFor(db);
  }

  /** What readers see of the article now (null when it does not exist). */
  async currentState(articleId: number, now: number): Promise<ArticlePublicState | null> {
    // The tags as a JSON column of the article's row: one statement (a round trip on PostgreSQL).
    const a = await this.db
      .selectFrom('articles')
      .select(['id', 'status', 'published_at', 'section_id', 'language', 'translation_group'])
      .select((eb) => this.jsonRows(eb.selectFrom('article_tags').select('tag_id').whereRef('article_id', '=', 'articles.id').orderBy('tag_id')).as('tags'))
      .where('id', '=', articleId)
      .executeTakeFirst();
    if (!a) return null;
    const tags = parseJsonRows(a.tags);
    const publishedAt = a.published_at === null ? null : Number(a.published_at);
    return {
      id: a.id,
      visible: a.status === 'published' && publishedAt !== null && publishedAt <= now,
      sectionId: a.section_id,
      language: a.language,
      tagIds: tags.map((t) => t.tag_id),
      publishedAt,
      translationGroup: a.translation_group,
    };
  }

  /** The state recorded at the last purge computation, with the related list then shown (null: unknown). */
  async storedState(articleId: number): Promise<{ state: ArticlePublicState; relatedIds: number[] | null } | null> {
    const r = await this.db.selectFrom('page_purge_state').selectAll().where('article_id', '=', articleId).executeTakeFirst();
    if (!r) return null;
    return {
      state: {
        id: r.article_id,
        visible: r.visible === 1,
        sectionId: r.section_id,
        language: r.language,
        tagIds: ids(r.tag_ids),
        publishedAt: r.published_at === null ? null : Number(r.published_at),
      },
      relatedIds: r.related_ids === null ? null : ids(r.related_ids),
    };
  }

  async storedRelatedIds(articleIds: number[]): Promise<Map<number, number[] | null>> {
    const out = new Map<number, number[] | null>();
    if (!articleIds.length) return out;
    const rows = await this.db.selectFrom('page_purge_state').select(['article_id', 'related_ids']).where('article_id', 'in', articleIds).execute();
    for (const r of rows) out.set(r.article_id, r.related_ids === null ? null : ids(r.related_ids));
    return out;
  }

  async saveState(state: ArticlePublicState, relatedIds: number[] | null): Promise<void> {
    const row = {
      visible: state.visible ? 1 : 0,
      section_id: state.sectionId,
      language: state.language,
      tag_ids: [...state.tagIds].sort((a, b) => a - b).join(','),
      published_at: state.publishedAt,
      related_ids: relatedIds === null ? null : relatedIds.join(','),
    };
    await this.db
      .insertInto('page_purge_state')
      .values({ article_id: state.id, ...row })
      .onConflict((oc) => oc.column('article_id').doUpdateSet(row))
      .execute();
  }

  /** Only the related list part (a neighbour whose box changed). */
  async saveRelatedIds(articleId: number, relatedIds: number[]): Promise<void> {
    await this.db.updateTable('page_purge_state').set({ related_ids: relatedIds.join(',') }).where('article_id', '=', articleId).execute();
  }

  async deleteState(articleId: number): Promise<void> {
    await this.db.deleteFrom('page_purge_state').where('article_id', '=', articleId).execute();
  }

  /** Articles whose related list (pinned or engine) links to `articleId`. */
  async relatedHolders(articleId: number): Promise<number[]> {
    const rows = await this.db.selectFrom('related').select('article_id').distinct().where('related_id', '=', articleId).execute();
    return rows.map((r) => r.article_id);
  }

  /** Visible articles showing a media item (as lead or inline). */
  async visibleArticlesUsingMedia(media: { id: number; key: string }, now: number): Promise<number[]> {
    const rows = await this.db
      .selectFrom('articles')
      .select('id')
      .where('status', '=', 'published')
      .where('published_at', '<=', now)
      .where((eb) => eb.or([eb('lead_media_id', '=', media.id), eb('body_html', 'like', `%/media/${media.key}%`)]))
      .execute();
    return rows.map((r) => r.id);
  }

  async appendLog(origin: string, keys: string[], now: number): Promise<number> {
    const r = await this.db.insertInto('page_purge_log').values({ origin, keys: keys.join(' '), created_at: now }).returning('id').executeTakeFirstOrThrow();
    return Number(r.id);
  }

  /** Purges logged after `afterId` by other processes, oldest first, and the newest id seen. */
  async logSince(afterId: number, exceptOrigin: string, limit = 1000): Promise<{ lastId: number; keys: string[] }> {
    const rows = await this.db.selectFrom('page_purge_log').select(['id', 'origin', 'keys']).where('id', '>', afterId).orderBy('id').limit(limit).execute();
    const keys = rows.filter((r) => r.origin !== exceptOrigin).flatMap((r) => r.keys.split(' ').filter(Boolean));
    return { lastId: rows.length ? Number(rows.at(-1)!.id) : afterId, keys };
  }

  async lastLogId(): Promise<number> {
    const r = await this.db.selectFrom('page_purge_log').select((eb) => eb.fn.max('id').as('max')).executeTakeFirst();
    return Number(r?.max ?? 0);
  }

  async pruneLog(before: number): Promise<void> {
    await this.db.deleteFrom('page_purge_log').where('created_at', '<', before).execute();
  }

  /** One cheap query: is the database answering? */
  async ping(): Promise<void> {
    await this.db.selectFrom('page_purge_log').select('id').limit(1).execute();
  }
}
