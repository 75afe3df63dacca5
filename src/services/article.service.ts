import type { TranslationRepository } from '../db/repositories/translation.repository.js';
import { relatedForLanguage } from '../domain/related-language.js';
import type { Article, ArticleSummary, RelatedItem, Section } from '../domain/article.js';
import { DomainError } from '../domain/errors.js';
import { text } from '../site/i18n.js';
import { canonicalLanguage } from '../domain/language.js';
import type { ArticleListFilter, ArticleRepository, ListCursor } from '../db/repositories/article.repository.js';
import type { RelatedRepository } from '../db/repositories/related.repository.js';
import type { CatalogService } from './catalog.service.js';
import type { Clock } from './clock.js';
import type { ContentCache } from './content-cache.js';

export interface ArticlePage {
  items: ArticleSummary[];
  /** Opaque cursor of the next page, or null on the last page. */
  nextCursor: string | null;
}

export interface HomeView {
  lead: ArticleSummary | null;
  latest: ArticleSummary[];
  sections: { section: Section; articles: ArticleSummary[] }[];
}

/** Public list filters as clients name them: slugs, names, ISO times. */
export interface PublicListQuery {
  section?: string;
  tag?: string;
  /** Content type name (`news`) or numeric id (`21`). */
  type?: string;
  lang?: string;
  publishedBefore?: string;
  publishedAfter?: string;
}

/** How many related stories an article page shows (pins first); the APIs return the whole list. */
export const RELATED_BOX_SIZE = 6;

export function encodeCursor(c: ListCursor): string {
  return Buffer.from(`${c.publishedAt}.${c.id}`).toString('base64url');
}

export function decodeCursor(cursor: string): ListCursor {
  const m = /^(\d{1,16})\.(\d{1,12})$/.exec(Buffer.from(cursor, 'base64url').toString('latin1'));
  if (!m) throw new DomainError('INVALID_CURSOR', text('cursorInvalid'));
  return { publishedAt: Number(m[1]), id: Number(m[2]) };
}

function parseInstant(name: string, value: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new DomainError('BAD_REQUEST', text('isoDateTime', { name }));
  return ms;
}

/** Reading published content: what readers and API clients may see. */
export class ArticleService {
  constructor(
    private readonly articles: ArticleRepository,
    private readonly related: RelatedRepository,
    private readonly catalog: CatalogService,
    private readonly clock: Clock,
    private readonly cache: ContentCache,
    /** Visible versions of translation groups (absent: articles carry no translations). */
    private readonly versions?: Pick<TranslationRepository, 'visibleVersions' | 'versionsIn'>,
  ) {}

  /** A visible article with tags; ARTICLE_NOT_FOUND when missing, unpublished or not yet due. */
  async getVisible(id: number): Promise<Article> {
    return this.cache.get(`article:${id}`, () => this.loadVisible(id));
  }

  private async loadVisible(id: number): Promise<Article> {
    const article = await this.articles.findById(id);
    const now = this.clock();
    if (!article || article.status !== 'published' || article.publishedAt === null || article.publishedAt > now) {
      // Published once, then taken down: say so (410), so caches and crawlers drop it.
      if (article && (article.status === 'killed' || article.status === 'unpublished') && article.firstPublishedAt !== null) {
        throw new DomainError('ARTICLE_GONE', text('articleGone', { id: String(id) }));
      }
      throw new DomainError('ARTICLE_NOT_FOUND', text('noPublishedArticle', { id: String(id) }));
    }
    const group = article.translationGroup;
    // Only stories with a translation group cost a query.
    const versions = group && this.versions ? ((await this.versions.visibleVersions([group], now)).get(group) ?? []) : [];
    article.translations = versions.filter((v) => v.id !== article.id);
    return article;
  }

  async getVisibleBySlug(slug: string): Promise<Article> {
    const id = await this.articles.findVisibleIdBySlug(slug, this.clock());
    if (id === null) throw new DomainError('ARTICLE_NOT_FOUND', text('noPublishedSlug', { slug }));
    return this.getVisible(id);
  }

  /** The article's related list (visible items only, in `sort` order). */
  async relatedOf(id: number): Promise<RelatedItem[]> {
    return this.cache.get(`related:${id}`, () => this.loadRelated(id));
  }

  private async loadRelated(id: number): Promise<RelatedItem[]> {
    const now = this.clock();
    if (!(await this.articles.isVisible(id, now))) {
      throw new DomainError('ARTICLE_NOT_FOUND', text('noPublishedArticle', { id: String(id) }));
    }
    return this.related.listVisible(id, now);
  }

  /** The legacy endpoint's list: like `relatedOf`, plus placeholders for related items not imported yet. */
  async legacyRelatedOf(id: number): Promise<RelatedItem[]> {
    return this.cache.get(`legacy-related:${id}`, async () => {
      const now = this.clock();
      if (!(await this.articles.isVisible(id, now))) throw new DomainError('ARTICLE_NOT_FOUND', text('noPublishedArticle', { id: String(id) }));
      return this.related.listLegacy(id, now);
    });
  }

  /** An article page's data: the article and its related list. */
  async articleWithRelated(id: number): Promise<{ article: Article; related: RelatedItem[] }> {
    return this.cache.get(`page:${id}`, async () => {
      const now = this.clock();
      const [article, related] = await Promise.all([this.loadVisible(id), this.related.listVisible(id, now, RELATED_BOX_SIZE)]);
      // The box prefers the page's language: other-language stories show as their translation when there is one.
      const foreign = related.filter((r) => r.language !== article.language).map((r) => r.id);
      if (!foreign.length || !this.versions) return { article, related };
      const versions = await this.versions.versionsIn(article.language, foreign, now);
      return { article, related: relatedForLanguage(related, article.language, versions, article.id) };
    });
  }

  /** Turns slugs and names into ids; unknown values are the client's mistake (400). */
  async resolveFilter(query: PublicListQuery): Promise<ArticleListFilter> {
    const filter: ArticleListFilter = {};
    const snapshot = await this.catalog.current();
    if (query.section !== undefined) {
      const section = snapshot.sectionsBySlug.get(query.section);
      if (!section) throw new DomainError('BAD_REQUEST', text('unknownSectionSlug', { slug: query.section }));
      filter.sectionId = section.id;
    }
    if (query.type !== undefined) {
      const type = /^\d+$/.test(query.type)
        ? snapshot.contentTypesById.get(Number(query.type))
        : snapshot.contentTypesByName.get(query.type);
      if (!type) throw new DomainError('BAD_REQUEST', text('unknownContentType', { name: query.type }));
      filter.contentTypeId = type.id;
    }
    if (query.tag !== undefined) {
      const tag = await this.catalog.findTag(query.tag);
      if (!tag) throw new DomainError('BAD_REQUEST', text('unknownTag', { slug: query.tag }));
      filter.tagId = tag.id;
    }
    if (query.lang !== undefined) {
      const lang = canonicalLanguage(query.lang);
      if (!lang) throw new DomainError('BAD_REQUEST', text('notLanguageTag', { language: query.lang }));
      filter.language = lang;
    }
    if (query.publishedBefore !== undefined) filter.publishedBefore = parseInstant('published_before', query.publishedBefore);
    if (query.publishedAfter !== undefined) filter.publishedAfter = parseInstant('published_after', query.publishedAfter);
    return filter;
  }

  /** Keyset-paginated list, newest first. */
  async list(filter: ArticleListFilter, limit: number, cursor?: string): Promise<ArticlePage> {
    const decoded = cursor ? decodeCursor(cursor) : undefined;
    const items = await this.articles.listVisible(filter, { limit: limit + 1, cursor: decoded }, this.clock());
    const hasMore = items.length > limit;
    if (hasMore) items.length = limit;
    const last = items.at(-1);
    return {
      items,
      nextCursor: hasMore && last && last.publishedAt !== null ? encodeCursor({ publishedAt: last.publishedAt, id: last.id }) : null,
    };
  }

  /**
   * Page-numbered list for site pages (1-based), with the total for page links. The total
   * counts every story of the section or topic (80,000–260,000 index entries at 1M
   * articles, 3–75 ms), so it is kept in the content cache: counted again after a change
   * to content or after `CONTENT_CACHE_SECONDS`, not on every page view.
   */
  async listPage(filter: ArticleListFilter, page: number, perPage: number): Promise<{ items: ArticleSummary[]; total: number }> {
    const now = this.clock();
    const key = `count:${JSON.stringify(Object.entries(filter).sort(([a], [b]) => a.localeCompare(b)))}`;
    const [items, total] = await Promise.all([
      this.articles.listVisible(filter, { limit: perPage, offset: (page - 1) * perPage }, now),
      this.cache.get(key, () => this.articles.countVisible(filter, now)),
    ]);
    return { items, total };
  }

  async home(latestCount = 12, perSection = 4): Promise<HomeView> {
    return this.cache.get(`home:${latestCount}:${perSection}`, () => this.loadHome(latestCount, perSection));
  }

  private async loadHome(latestCount: number, perSection: number): Promise<HomeView> {
    const now = this.clock();
    const sections = await this.catalog.sections();
    const latest = await this.articles.listVisible({}, { limit: latestCount + 1 }, now);
    const lead = latest.find((a) => a.leadMedia) ?? latest[0] ?? null;
    const rest = latest.filter((a) => a !== lead).slice(0, latestCount);
    const blocks = await Promise.all(
      sections.map(async (section) => ({
        section,
        articles: await this.articles.listVisible({ sectionId: section.id }, { limit: perSection }, now),
      })),
    );
    return { lead, latest: rest, sections: blocks.filter((b) => b.articles.length > 0) };
  }
}
