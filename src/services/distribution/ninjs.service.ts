import type { Article, Media } from '../../domain/article.js';
import { DomainError } from '../../domain/errors.js';
import { text } from '../../site/i18n.js';
import type { ArticleListFilter, ArticleRepository } from '../../db/repositories/article.repository.js';
import type { ArticleService } from '../article.service.js';
import type { CatalogService } from '../catalog.service.js';
import type { MediaService } from '../media.service.js';
import { articleToNinjs, canceledNinjs, mediaToNinjs, toNinjs3, type NinjsContext, type NinjsDocument, type NinjsVersion } from './ninjs.js';

export interface NinjsItem {
  doc: NinjsDocument;
  /** Articles the document shows (for Surrogate-Key). */
  articleIds: number[];
  /** Its story's translation group (the document lists the other versions). */
  translationGroup?: string | null;
}

export interface NinjsPage {
  items: NinjsDocument[];
  nextCursor: string | null;
  articleIds: number[];
}

/**
 * ninjs for partners: one item by id, and lists newest first with the content API's
 * filters and cursors. Published items are `usable`; items published once and then
 * unpublished are `canceled` (so partners take them down); killed items are gone (410).
 */
export class NinjsService {
  constructor(
    private readonly articles: ArticleService,
    private readonly repo: ArticleRepository,
    private readonly catalog: CatalogService,
    private readonly media: MediaService,
    private readonly ctx: NinjsContext,
  ) {}

  private versioned(doc: NinjsDocument, version: NinjsVersion): NinjsDocument {
    return version === '3.0' ? toNinjs3(doc) : doc;
  }

  private async full(a: Article): Promise<NinjsDocument> {
    const snapshot = await this.catalog.current();
    return articleToNinjs(a, this.ctx, snapshot.contentTypesById.get(a.contentTypeId));
  }

  async item(id: number, version: NinjsVersion = '2.1'): Promise<NinjsItem> {
    try {
      const article = await this.articles.getVisible(id);
      return { doc: this.versioned(await this.full(article), version), articleIds: [id], translationGroup: article.translationGroup };
    } catch (err) {
      if (!(err instanceof DomainError) || err.code !== 'ARTICLE_GONE') throw err;
    }
    const article = await this.repo.findById(id);
    if (article?.status === 'unpublished') return { doc: this.versioned(canceledNinjs(article, this.ctx), version), articleIds: [id] };
    throw new DomainError('ARTICLE_GONE', text('ninjsKilled', { id: String(id) }));
  }

  async list(filter: ArticleListFilter, limit: number, cursor: string | undefined, version: NinjsVersion = '2.1'): Promise<NinjsPage> {
    const page = await this.articles.list(filter, limit, cursor);
    const items: NinjsDocument[] = [];
    for (const summary of page.items) {
      // A list item was visible a moment ago; if it went away since, leave it out.
      const article = await this.articles.getVisible(summary.id).catch(() => null);
      if (article) items.push(this.versioned(await this.full(article), version));
    }
    return { items, nextCursor: page.nextCursor, articleIds: page.items.map((a) => a.id) };
  }

  async mediaItem(id: number, version: NinjsVersion = '2.1'): Promise<NinjsDocument> {
    const m: Media = await this.media.get(id);
    return this.versioned(mediaToNinjs(m, this.ctx), version);
  }
}
