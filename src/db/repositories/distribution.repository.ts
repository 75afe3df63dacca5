import type { ExpressionBuilder, Kysely } from 'kysely';
import type { Media, Tag } from '../../domain/article.js';
import { parseCorrections } from '../../domain/workflow.js';
import type { Engine } from '../database.js';
import type { Database } from '../schema.js';
import { isVisible, LEAD_MEDIA_COLUMNS, leadMediaFromRow, type LeadMediaColumns } from './row-mappers.js';

/** The scope of a feed: the whole site, or one section, tag or language. */
export interface FeedScope {
  sectionId?: number;
  tagId?: number;
  language?: string;
}

/** What a feed item needs beyond the list summary. */
export interface FeedBody {
  bodyHtml: string;
  source: string;
  firstPublishedAt: number | null;
  corrections: { at: number; note: string }[];
  /** Size of the lead media file (RSS enclosures carry it). */
  leadMediaBytes: number | null;
}

/** One article of a sitemap. */
export interface SitemapRow {
  id: number;
  slug: string;
  language: string;
  /** In monthly sitemaps, read only for video leads (the only entries that show them); '' otherwise. */
  headline: string;
  dek: string;
  publishedAt: number;
  updatedAt: number;
  leadMedia: Media | null;
}

/** Visible articles of one calendar month (UTC). */
export interface SitemapMonth {
  /** `YYYY-MM`. */
  month: string;
  count: number;
}

const SITEMAP_COLUMNS = [
  'articles.id',
  'articles.slug',
  'articles.language',
  'articles.headline',
  'articles.dek',
  'articles.published_at',
  'articles.updated_at',
] as const;

/** What a monthly sitemap reads of an article: exactly the columns of the covering index `articles_sitemap`. */
const MONTH_COLUMNS = ['articles.id', 'articles.slug', 'articles.language', 'articles.published_at', 'articles.updated_at'] as const;

type MonthDbRow = Omit<SitemapDbRow, 'headline' | 'dek'>;

interface SitemapDbRow extends LeadMediaColumns {
  id: number;
  slug: string;
  language: string;
  headline: string;
  dek: string;
  published_at: number | null;
  updated_at: number;
}

function sitemapRow(r: SitemapDbRow): SitemapRow {
  return {
    id: r.id,
    slug: r.slug,
    language: r.language,
    headline: r.headline,
    dek: r.dek,
    publishedAt: Number(r.published_at),
    updatedAt: Number(r.updated_at),
    leadMedia: leadMediaFromRow(r),
  };
}

/**
 * Visible articles published in [from, to): `status = 'published'` and ONE range on
 * published_at, its upper end the earlier of `to` and now. (Written as isVisible plus the
 * month's bounds there are two upper bounds; SQLite seeks the index on one of them, and when
 * it takes `<= now` every month scans on to the present: seconds at a million articles.)
 */
function visibleBetween(from: number, to: number, now: number) {
  return (eb: ExpressionBuilder<Database, 'articles'>) =>
    eb.and([eb('articles.status', '=', 'published'), eb('articles.published_at', '>=', from), eb('articles.published_at', '<', Math.min(to, now + 1))]);
}

/** Reads for feeds and sitemaps: bodies by id, removals, month statistics, streamed month rows. */
export class DistributionRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly engine: Engine,
  ) {}

  /** Bodies, sources, corrections and lead media sizes of several articles. */
  async feedBodies(ids: number[]): Promise<Map<number, FeedBody>> {
    const out = new Map<number, FeedBody>();
    if (ids.length === 0) return out;
    const rows = await this.db
      .selectFrom('articles')
      .leftJoin('media as m', 'm.id', 'articles.lead_media_id')
      .select(['articles.id', 'articles.body_html', 'articles.source', 'articles.first_published_at', 'articles.corrections_json', 'm.bytes as m_bytes'])
      .where('articles.id', 'in', ids)
      .execute();
    for (const r of rows) {
      out.set(r.id, {
        bodyHtml: r.body_html,
        source: r.source,
        firstPublishedAt: r.first_published_at === null ? null : Number(r.first_published_at),
        corrections: parseCorrections(r.corrections_json),
        leadMediaBytes: r.m_bytes === null || r.m_bytes === undefined ? null : Number(r.m_bytes),
      });
    }
    return out;
  }

  /**
   * Latest change (epoch ms) of an article that readers once saw in this scope and no
   * longer do (unpublished or killed): a feed's honest `updated` must move when a story leaves it.
   */
  async lastRemoval(scope: FeedScope): Promise<number | null> {
    let q = this.db
      .selectFrom('articles')
      .select((eb) => eb.fn.max('articles.updated_at').as('at'))
      .where('articles.status', 'in', ['unpublished', 'killed'])
      .where('articles.first_published_at', 'is not', null);
    if (scope.sectionId !== undefined) q = q.where('articles.section_id', '=', scope.sectionId);
    if (scope.language !== undefined) q = q.where('articles.language', '=', scope.language);
    if (scope.tagId !== undefined) {
      const tagId = scope.tagId;
      q = q.where((eb) =>
        eb.exists(eb.selectFrom('article_tags').select('article_tags.article_id').whereRef('article_tags.article_id', '=', 'articles.id').where('article_tags.tag_id', '=', tagId)),
      );
    }
    const row = await q.executeTakeFirst();
    return row?.at === null || row?.at === undefined ? null : Number(row.at);
  }

  /**
   * Visible articles per UTC month, newest month first. One counted index range per month
   * between the first and last visible article, instead of formatting and grouping the
   * date of every visible row.
   */
  async months(now: number): Promise<SitemapMonth[]> {
    // The first and last visible publication times: one index seek each.
    const edge = (direction: 'asc' | 'desc') =>
      this.db
        .selectFrom('articles')
        .select('articles.published_at')
        .where(isVisible(now))
        .orderBy('articles.published_at', direction)
        .limit(1)
        .executeTakeFirst()
        .then((r) => (r?.published_at === null || r?.published_at === undefined ? null : Number(r.published_at)));
    const [first, last] = [await edge('asc'), await edge('desc')];
    if (first === null || last === null) return [];
    // Months as a count since year 0 (year * 12 + month index), newest first.
    const monthOf = (ms: number) => new Date(ms).getUTCFullYear() * 12 + new Date(ms).getUTCMonth();
    const out: SitemapMonth[] = [];
    for (let i = monthOf(last); i >= monthOf(first); i--) {
      const [y, m] = [Math.floor(i / 12), i % 12];
      const count = await this.countBetween(Date.UTC(y, m, 1), Date.UTC(y, m + 1, 1), now);
      if (count) out.push({ month: `${String(y).padStart(4, '0')}-${String(m + 1).padStart(2, '0')}`, count });
    }
    return out;
  }

  /**
   * Visible articles published in [from, to), oldest first, read in batches by keyset so
   * memory stays bounded however large the range; `skip` drops the first rows (later files of a month).
   *
   * The article columns come from the covering index `articles_sitemap` alone (no visit to
   * the article rows, several KB each); lead media are joined by primary key; headline and
   * dek, which only video entries show, are read in one batch per batch for video leads.
   */
  async *sitemapRows(from: number, to: number, now: number, options: { skip?: number; limit: number; batch?: number }): AsyncGenerator<SitemapRow[]> {
    const batch = options.batch ?? 2000;
    let remaining = options.limit;
    let cursor: { publishedAt: number; id: number } | null = null;
    let skip = options.skip ?? 0;
    while (remaining > 0) {
      let q = this.sitemapBatch(from, to, now, cursor, Math.min(batch, remaining));
      if (skip > 0) {
        q = q.offset(skip);
        skip = 0;
      }
      const dbRows = (await q.execute()) as MonthDbRow[];
      if (dbRows.length === 0) return;
      const videoIds = dbRows.filter((r) => r.m_kind === 'video').map((r) => r.id);
      const texts = new Map<number, { headline: string; dek: string }>();
      if (videoIds.length) {
        for (const t of await this.db.selectFrom('articles').select(['id', 'headline', 'dek']).where('id', 'in', videoIds).execute()) texts.set(t.id, t);
      }
      const rows = dbRows.map((r) => sitemapRow({ ...r, headline: texts.get(r.id)?.headline ?? '', dek: texts.get(r.id)?.dek ?? '' }));
      remaining -= rows.length;
      const last = rows.at(-1)!;
      cursor = { publishedAt: last.publishedAt, id: last.id };
      yield rows;
      if (rows.length < batch) return;
    }
  }

  /** How many visible articles were published in [from, to). */
  async countBetween(from: number, to: number, now: number): Promise<number> {
    const row = await this.db
      .selectFrom('articles')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(visibleBetween(from, to, now))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** One batch of a month's sitemap: visible articles in [from, to) after the keyset cursor, oldest first. */
  sitemapBatch(from: number, to: number, now: number, cursor: { publishedAt: number; id: number } | null, limit: number) {
    let q = this.db
      .selectFrom('articles')
      .leftJoin('media as m', 'm.id', 'articles.lead_media_id')
      .select(MONTH_COLUMNS)
      .select(LEAD_MEDIA_COLUMNS)
      .where(visibleBetween(from, to, now));
    if (cursor) q = q.where((eb) => eb(eb.refTuple('articles.published_at', 'articles.id'), '>', eb.tuple(cursor.publishedAt, cursor.id)));
    return q.orderBy('articles.published_at', 'asc').orderBy('articles.id', 'asc').limit(limit);
  }

  /** The newest visible articles published at or after `since` (Google News sitemap). */
  async newsRows(since: number, now: number, limit: number): Promise<SitemapRow[]> {
    const rows = await this.db
      .selectFrom('articles')
      .leftJoin('media as m', 'm.id', 'articles.lead_media_id')
      .select(SITEMAP_COLUMNS)
      .select(LEAD_MEDIA_COLUMNS)
      .where(isVisible(now))
      .where('articles.published_at', '>=', since)
      .orderBy('articles.published_at', 'desc')
      .orderBy('articles.id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => sitemapRow(r as SitemapDbRow));
  }

  /** When each section last had a story published (epoch ms), for sections that have one. */
  async sectionsLastPublished(sectionIds: number[], now: number): Promise<Map<number, number>> {
    const out = new Map<number, number>();
    // One indexed probe per section (section_id, status, published_at) beats a grouped scan.
    for (const id of sectionIds) {
      const row = await this.db
        .selectFrom('articles')
        .select('articles.published_at')
        .where('articles.section_id', '=', id)
        .where(isVisible(now))
        .orderBy('articles.published_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (row?.published_at !== null && row?.published_at !== undefined) out.set(id, Number(row.published_at));
    }
    return out;
  }

  /** Tags with at least one visible article, by id, `limit` from `offset`. */
  async tagsWithArticles(now: number, offset: number, limit: number): Promise<Tag[]> {
    return this.db
      .selectFrom('tags as t')
      .select(['t.id', 't.slug', 't.name', 't.kind', 't.language'])
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('article_tags as at')
            // CROSS JOIN fixes the order in SQLite: the tag's articles, then a visibility probe of
            // each (index articles_visible_id), never a walk of every visible article per tag.
            .crossJoin('articles')
            .select('at.article_id')
            .whereRef('at.tag_id', '=', 't.id')
            .whereRef('articles.id', '=', 'at.article_id')
            .where(isVisible(now)),
        ),
      )
      .orderBy('t.id')
      .offset(offset)
      .limit(limit)
      .execute();
  }

  /**
   * Which of `languages` each tag has visible articles in (for a topic's pages in other
   * languages). Only the asked languages are looked for, none on a one-language site. One
   * tag (a topic page) is one probe per language that stops at its first story (the
   * planner walks the smaller side: the topic's stories, or the language's by
   * `articles_language_published`): listing the distinct languages of a topic of 263,000
   * stories read every one of them (10 s cold at 1M articles); a probe for a language
   * with 40,000 stories, none in that topic, takes 20–30 ms there.
   */
  async tagLanguages(tagIds: readonly number[], now: number, languages: readonly string[]): Promise<Map<number, string[]>> {
    const out = new Map<number, string[]>();
    if (tagIds.length === 0 || languages.length === 0) return out;
    if (tagIds.length === 1) {
      const tagId = tagIds[0]!;
      const found = await Promise.all(
        languages.map(async (language) => {
          const hit = await this.db
            .selectFrom('article_tags as at')
            .innerJoin('articles', 'articles.id', 'at.article_id')
            .select('articles.id')
            .where('at.tag_id', '=', tagId)
            .where('articles.language', '=', language)
            .where(isVisible(now))
            // No order: any one story will do, so neither side has to be read whole and sorted.
            .limit(1)
            .executeTakeFirst();
          return hit ? language : null;
        }),
      );
      const hits = found.filter((l): l is string => l !== null).sort();
      if (hits.length) out.set(tagId, hits);
      return out;
    }
    const rows = await this.db
      .selectFrom('article_tags as at')
      .innerJoin('articles', 'articles.id', 'at.article_id')
      .select(['at.tag_id', 'articles.language'])
      .distinct()
      .where('at.tag_id', 'in', [...tagIds])
      .where('articles.language', 'in', [...languages])
      .where(isVisible(now))
      .orderBy('at.tag_id')
      .orderBy('articles.language')
      .execute();
    for (const r of rows) out.set(r.tag_id, [...(out.get(r.tag_id) ?? []), r.language]);
    return out;
  }

  /** How many tags have at least one visible article. */
  async countTagsWithArticles(now: number): Promise<number> {
    const row = await this.db
      .selectFrom('tags as t')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('article_tags as at')
            // CROSS JOIN fixes the order in SQLite: the tag's articles, then a visibility probe of
            // each (index articles_visible_id), never a walk of every visible article per tag.
            .crossJoin('articles')
            .select('at.article_id')
            .whereRef('at.tag_id', '=', 't.id')
            .whereRef('articles.id', '=', 'at.article_id')
            .where(isVisible(now)),
        ),
      )
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
