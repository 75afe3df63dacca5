import type { Kysely } from 'kysely';
import type { ArticleStatus, TagKind } from '../domain/article.js';
import { DomainError } from '../domain/errors.js';
import { text } from '../site/i18n.js';
import { TEXT_LIMITS } from '../domain/limits.js';
import { canonicalLanguage } from '../domain/language.js';
import { slugify } from '../domain/slug.js';
import type { Repositories } from '../db/repositories/index.js';
import type { Database } from '../db/schema.js';
import type { ArticleChange, ArticleChangeListener } from './article-change-listener.js';
import type { Clock } from './clock.js';
import { htmlToText, sanitizeBody } from './html-sanitizer.js';

export interface NewArticleInput {
  language: string;
  contentTypeId: number;
  sectionId: number;
  status: Extract<ArticleStatus, 'draft' | 'published'>;
  headline: string;
  dek?: string;
  bodyHtml: string;
  byline?: string;
  source?: string;
  place?: string;
  leadMediaId?: number | null;
  /** Defaults to now when publishing. */
  publishedAt?: number;
  tags?: { kind: TagKind; name: string }[];
}

const MAX_HEADLINE = TEXT_LIMITS.headline;

/** Writing content: every article enters through here, sanitized and slugged. */
export class PublishingService {
  private readonly changeListeners: ArticleChangeListener[] = [];

  constructor(
    private readonly db: Kysely<Database>,
    private readonly repos: Repositories,
    private readonly clock: Clock,
  ) {}

  async createArticle(input: NewArticleInput): Promise<number> {
    const headline = input.headline.trim();
    if (!headline) throw new DomainError('VALIDATION_FAILED', text('headlineEmpty'));
    if (headline.length > MAX_HEADLINE) throw new DomainError('VALIDATION_FAILED', text('headlineTooLong', { max: MAX_HEADLINE, length: headline.length }));
    const language = canonicalLanguage(input.language);
    if (!language) throw new DomainError('VALIDATION_FAILED', text('notLanguageTag', { language: input.language }));
    const bodyHtml = sanitizeBody(input.bodyHtml);
    const now = this.clock();
    const publishedAt = input.status === 'published' ? (input.publishedAt ?? now) : null;

    const created = await this.db.transaction().execute(async (trx) => {
      const tagIds: number[] = [];
      for (const tag of input.tags ?? []) {
        const name = tag.name.trim();
        if (!name) continue;
        tagIds.push(await this.repos.taxonomy.upsertTag({ slug: slugify(name), name, kind: tag.kind, language }, trx));
      }
      const id = await this.repos.articles.insert(
        {
          language,
          translation_group: null,
          content_type_id: input.contentTypeId,
          section_id: input.sectionId,
          status: input.status,
          slug: slugify(headline),
          headline,
          dek: input.dek?.trim() ?? '',
          body_html: bodyHtml,
          body_text: htmlToText(bodyHtml),
          byline: input.byline?.trim() ?? '',
          source: input.source?.trim() ?? '',
          place: input.place?.trim() ?? '',
          lead_media_id: input.leadMediaId ?? null,
          first_published_at: publishedAt,
          published_at: publishedAt,
          created_at: now,
          updated_at: publishedAt ?? now,
        },
        trx,
      );
      await this.repos.articles.setTags(id, tagIds, trx);
      return id;
    });
    await this.notifyChanged(created);
    return created;
  }

  /** Registers a listener told of every committed article change (search index, related engine). */
  onArticleChanged(listener: ArticleChangeListener): void {
    this.changeListeners.push(listener);
  }

  /** Tells the listeners, in registration order; call after the change is committed. */
  async notifyChanged(articleId: number, change: ArticleChange = 'content'): Promise<void> {
    for (const listener of this.changeListeners) await listener.articleChanged(articleId, change);
  }

  /** Replaces an article's editor-pinned related list, in the given order. */
  async setRelated(articleId: number, relatedIds: number[]): Promise<void> {
    await this.db.transaction().execute((trx) =>
      this.repos.related.replaceList(
        articleId,
        relatedIds.map((relatedId) => ({ relatedId, pinned: true })),
        trx,
      ),
    );
    // The engine's items go back below the new pins.
    await this.notifyChanged(articleId, 'related');
  }
}
