import type { Kysely, Transaction } from 'kysely';
import type { ArticleStatus, Database } from '../schema.js';
import type { RelatedItem } from '../../domain/article.js';
import { isVisible, LEAD_MEDIA_COLUMNS, leadMediaFromRow } from './row-mappers.js';

type Db = Kysely<Database> | Transaction<Database>;

/** One version of a story in a translation group. */
export interface TranslationVersionRow {
  id: number;
  language: string;
  slug: string;
  headline: string;
  status: ArticleStatus;
  publishedAt: number | null;
  translationOf: number | null;
  needsTranslation: boolean;
}

/** Translation groups: which articles are versions of one story. */
export class TranslationRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** The group, source and flag of one article; null when absent. */
  async linkOf(id: number, trx: Db = this.db): Promise<{ group: string | null; translationOf: number | null; needsTranslation: boolean } | null> {
    const row = await trx.selectFrom('articles').select(['translation_group', 'translation_of', 'needs_translation']).where('id', '=', id).executeTakeFirst();
    return row ? { group: row.translation_group, translationOf: row.translation_of, needsTranslation: row.needs_translation === 1 } : null;
  }

  /** Every version of a group, whatever its status, oldest first. */
  async versions(group: string, trx: Db = this.db): Promise<TranslationVersionRow[]> {
    const rows = await trx
      .selectFrom('articles')
      .select(['id', 'language', 'slug', 'headline', 'status', 'published_at', 'translation_of', 'needs_translation'])
      .where('translation_group', '=', group)
      .orderBy('id')
      .execute();
    return rows.map((r) => ({ id: r.id, language: r.language, slug: r.slug, headline: r.headline, status: r.status, publishedAt: r.published_at, translationOf: r.translation_of, needsTranslation: r.needs_translation === 1 }));
  }

  /** The versions readers can see now of each group, by group (pages, sitemaps, the content API). */
  async visibleVersions(groups: readonly string[], now: number): Promise<Map<string, { id: number; language: string; slug: string }[]>> {
    const out = new Map<string, { id: number; language: string; slug: string }[]>();
    const unique = [...new Set(groups)];
    if (unique.length === 0) return out;
    const rows = await this.db
      .selectFrom('articles')
      .select(['id', 'language', 'slug', 'translation_group'])
      .where('translation_group', 'in', unique)
      .where(isVisible(now))
      .orderBy('id')
      .execute();
    for (const r of rows) {
      const list = out.get(r.translation_group!) ?? [];
      list.push({ id: r.id, language: r.language, slug: r.slug });
      out.set(r.translation_group!, list);
    }
    return out;
  }

  /** For sitemaps: each of `ids` that has other visible versions, with all of them (itself included). */
  async alternatesOf(ids: readonly number[], now: number): Promise<Map<number, { id: number; language: string; slug: string }[]>> {
    const out = new Map<number, { id: number; language: string; slug: string }[]>();
    if (ids.length === 0) return out;
    const rows = await this.db.selectFrom('articles').select(['id', 'translation_group']).where('id', 'in', [...ids]).where('translation_group', 'is not', null).execute();
    if (rows.length === 0) return out;
    const versions = await this.visibleVersions(rows.map((r) => r.translation_group!), now);
    for (const r of rows) {
      const all = versions.get(r.translation_group!) ?? [];
      if (all.length > 1) out.set(r.id, all);
    }
    return out;
  }

  /**
   * For a related box in `language`: the visible version in that language of each of `ids`
   * that has one (keyed by the id it translates), shaped as a related item of that link.
   */
  async versionsIn(language: string, ids: readonly number[], now: number): Promise<Map<number, Omit<RelatedItem, 'sort' | 'pinned' | 'score'>>> {
    const out = new Map<number, Omit<RelatedItem, 'sort' | 'pinned' | 'score'>>();
    if (ids.length === 0) return out;
    const rows = await this.db
      .selectFrom('articles as src')
      .innerJoin('articles', 'articles.translation_group', 'src.translation_group')
      .leftJoin('media as m', 'm.id', 'articles.lead_media_id')
      .select(['src.id as source_id', 'articles.id', 'articles.content_type_id', 'articles.language', 'articles.slug', 'articles.headline', 'articles.published_at', 'articles.translation_group'])
      .select(LEAD_MEDIA_COLUMNS)
      .where('src.id', 'in', [...ids])
      .where('articles.language', '=', language)
      .where(isVisible(now))
      .execute();
    for (const r of rows) {
      out.set(r.source_id, { id: r.id, contentTypeId: r.content_type_id, language: r.language, slug: r.slug, headline: r.headline, publishedAt: r.published_at === null ? null : Number(r.published_at), leadMedia: leadMediaFromRow(r), translationGroup: r.translation_group });
    }
    return out;
  }

  /** Puts an article in a group (the source of a first translation joins the group it starts). */
  async setGroup(id: number, group: string, trx: Db = this.db): Promise<void> {
    await trx.updateTable('articles').set({ translation_group: group }).where('id', '=', id).execute();
  }

  /** Links a new translation draft to its source and marks it as needing translation. */
  async markTranslation(id: number, group: string, sourceId: number, trx: Db = this.db): Promise<void> {
    await trx.updateTable('articles').set({ translation_group: group, translation_of: sourceId, needs_translation: 1 }).where('id', '=', id).execute();
  }

  /** The draft has been worked on: no longer a copy of the source. */
  async clearNeedsTranslation(id: number, trx: Db = this.db): Promise<boolean> {
    const r = await trx.updateTable('articles').set({ needs_translation: 0 }).where('id', '=', id).where('needs_translation', '=', 1).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }
}
