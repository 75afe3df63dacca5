import type { Repositories } from '../db/repositories/index.js';
import type { NewsroomRepositories } from '../db/repositories/newsroom-repositories.js';
import type { AdminArticle } from '../domain/admin-article.js';
import { DomainError } from '../domain/errors.js';
import { text } from '../site/i18n.js';
import { blockingOf, publishChecks, type PublishCheck } from '../domain/publish-checks.js';
import { htmlToText } from './html-sanitizer.js';

/** Runs the publish checklist (domain/publish-checks.ts) on a stored article. */
export class PublishChecksService {
  constructor(
    private readonly repos: Repositories,
    private readonly newsroom: NewsroomRepositories,
  ) {}

  async checks(article: AdminArticle): Promise<PublishCheck[]> {
    const [lead, type, hasSection] = await Promise.all([
      article.leadMediaId ? this.repos.media.findById(article.leadMediaId) : Promise.resolve(null),
      this.newsroom.adminTaxonomy.findContentType(article.contentTypeId),
      this.newsroom.adminTaxonomy.sectionExists(article.sectionId),
    ]);
    return publishChecks({
      headline: article.headline,
      bodyHtml: article.bodyHtml,
      bodyText: htmlToText(article.bodyHtml),
      contentTypeName: type?.name ?? null,
      hasSection,
      leadMedia: lead ? { kind: lead.kind, alt: lead.alt } : null,
      tagCount: article.tags.length,
      relatedCount: article.related.length,
    });
  }

  /** Throws 422 with the checklist when a blocking item is open. */
  async assertPublishable(article: AdminArticle, action: string): Promise<void> {
    const checks = await this.checks(article);
    const blocking = blockingOf(checks);
    if (blocking.length === 0) return;
    const done = { term: action === 'schedule' ? 'done.scheduled' : 'done.published' } as const;
    throw new DomainError('VALIDATION_FAILED', text('cannotGoOut', { done, reasons: blocking.map((c) => c.text) }), { checks });
  }
}
