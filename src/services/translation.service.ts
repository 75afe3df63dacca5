import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { TranslationRepository, TranslationVersionRow } from '../db/repositories/translation.repository.js';
import { contentOf, type AdminArticle } from '../domain/admin-article.js';
import { DomainError } from '../domain/errors.js';
import { text } from '../site/i18n.js';
import { canonicalLanguage } from '../domain/language.js';
import type { Principal } from '../domain/roles.js';
import type { AuditService } from './audit.service.js';
import type { Clock } from './clock.js';
import type { WorkflowService } from './workflow.service.js';

/** One story's versions as the newsroom sees them. */
export interface TranslationsView {
  /** null until the story has a second version. */
  group: string | null;
  /** The article this one was translated from (null for an original). */
  translationOf: number | null;
  /** Still holds the source's text: nobody has saved a translation over it yet. */
  needsTranslation: boolean;
  versions: TranslationVersionRow[];
  /** Site languages with no version yet: what "Translate into…" offers. */
  missing: string[];
}

/** A version readers can see, for hreflang links, the switcher, sitemaps and the APIs. */
export interface PublicVersion {
  id: number;
  language: string;
  slug: string;
}

/**
 * Translations: "Translate into…" makes a new draft in another language, prefilled with
 * the source's text and linked to it in one translation group; every version is an
 * ordinary article with its own workflow, so unpublishing one leaves the others.
 */
export class TranslationService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly repo: TranslationRepository,
    private readonly workflow: WorkflowService,
    private readonly audit: AuditService,
    private readonly languages: readonly string[],
    private readonly clock: Clock,
  ) {
    // An explicit save is the translator's work: the draft no longer holds the source's text.
    // (Cached pages of the other versions follow through the purge keys: `translations-{group}`.)
    workflow.onArticleChanged(async (articleId, change) => {
      if (change === 'save') await this.repo.clearNeedsTranslation(articleId);
    });
  }

  /** The versions of an article's story, for the editor. */
  async versionsOf(id: number): Promise<TranslationsView> {
    const link = await this.repo.linkOf(id);
    if (!link) throw new DomainError('ARTICLE_NOT_FOUND', text('articleNotFound', { id: String(id) }));
    const versions = link.group ? await this.repo.versions(link.group) : [];
    const article = await this.workflow.get(id);
    const taken = new Set([article.language, ...versions.map((v) => v.language)]);
    return { group: link.group, translationOf: link.translationOf, needsTranslation: link.needsTranslation, versions, missing: this.languages.filter((l) => !taken.has(l)) };
  }

  /**
   * A new draft of `sourceId`'s story in `language`: headline, dek, body, byline, section,
   * type and lead picture copied for the translator, marked as needing translation.
   */
  async translate(actor: Principal, sourceId: number, language: string): Promise<AdminArticle> {
    const target = canonicalLanguage(language.trim());
    if (!target || !this.languages.includes(target)) {
      throw new DomainError('VALIDATION_FAILED', text('notSiteLanguage', { language, languages: this.languages.join(', ') }));
    }
    const source = await this.workflow.get(sourceId);
    if (source.language === target) throw new DomainError('VALIDATION_FAILED', text('alreadyInLanguage', { language: target }));
    const link = await this.repo.linkOf(sourceId);
    const group = link?.group ?? String(sourceId);
    const existing = link?.group ? (await this.repo.versions(link.group)).find((v) => v.language === target) : undefined;
    if (existing) throw new DomainError('CONFLICT', text('versionExists', { language: target, id: String(existing.id), headline: existing.headline }));
    const content = contentOf(source);
    // Topics are named in each language and related lists follow the language: the translator picks them.
    const draft = await this.workflow.create(actor, { ...content, language: target, tags: [], related: [] });
    await this.db.transaction().execute(async (trx) => {
      if (!link?.group) await this.repo.setGroup(sourceId, group, trx);
      await this.repo.markTranslation(draft.id, group, sourceId, trx);
      await this.audit.record(actor, 'article.translate', `article:${draft.id}`, `translation into ${target} of article ${sourceId}: ${source.headline}`, trx);
    });
    return this.workflow.get(draft.id);
  }

  /** The visible versions of a story (the article itself included); empty when it has none but itself. */
  async publicVersions(article: { id: number; translationGroup: string | null }): Promise<PublicVersion[]> {
    if (!article.translationGroup) return [];
    const versions = (await this.repo.visibleVersions([article.translationGroup], this.clock())).get(article.translationGroup) ?? [];
    return versions.length > 1 ? versions : [];
  }

  /** Visible versions of many groups at once (sitemaps, lists). */
  visibleVersions(groups: readonly string[]): Promise<Map<string, PublicVersion[]>> {
    return this.repo.visibleVersions(groups, this.clock());
  }
}
