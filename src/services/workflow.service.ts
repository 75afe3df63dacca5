import type { Kysely, Transaction, Updateable } from 'kysely';
import type { Repositories } from '../db/repositories/index.js';
import type { AdminListCursor, AdminListFilter } from '../db/repositories/admin-article.repository.js';
import type { NewsroomRepositories } from '../db/repositories/newsroom-repositories.js';
import type { ArticleTable, Database } from '../db/schema.js';
import { contentOf, type AdminArticle, type AdminArticleSummary, type ArticleContent } from '../domain/admin-article.js';
import { TAG_KINDS } from '../domain/article.js';
import { DomainError } from '../domain/errors.js';
import { text, type TermKey, type TextValue } from '../site/i18n.js';
import { trimTrailingEmptyParagraphs } from '../domain/body-blocks.js';
import { headlineTooLong } from '../domain/publish-checks.js';
import { TEXT_LIMITS } from '../domain/limits.js';
import { canonicalLanguage } from '../domain/language.js';
import { canOn, SYSTEM_PRINCIPAL, type Principal } from '../domain/roles.js';
import { slugify } from '../domain/slug.js';
import { AUTOSAVE_STATUSES, LIVE_STATUSES, TRANSITIONS, type Correction, type TransitionAction } from '../domain/workflow.js';
import { ArticleMergeService, type MergeProposal } from './article-merge.service.js';
import type { AuditService } from './audit.service.js';
import type { CatalogService } from './catalog.service.js';
import type { Clock } from './clock.js';
import { htmlToText, sanitizeBody } from './html-sanitizer.js';
import { PublishChecksService } from './publish-checks.service.js';

/** Editable fields as clients send them; on a save, absent fields keep their value. */
export type ArticleInput = Partial<ArticleContent>;

/** Puts scheduled publishing on the job queue (see `newsroom.ts`), inside the caller's transaction. */
export interface PublishScheduler {
  schedule(articleId: number, runAt: number, trx: Transaction<Database>): Promise<void>;
  cancel(articleId: number, trx: Transaction<Database>): Promise<void>;
}

/** Called once after every committed article change (search, related, webhooks follow it). */
/**
 * `readersSawIt` is false when readers never saw the article and still do not (a new
 * draft, an edit of a never-published draft): derived data (search, related lists,
 * cached pages) has nothing to follow then, and listeners maintaining it may skip.
 */
export type ArticleChangeListener = (articleId: number, change: string, readersSawIt: boolean) => void | Promise<void>;

const MAX_HEADLINE = TEXT_LIMITS.headline;

/** A draft or submission that was never published: no reader has seen it, nothing derived holds it. */
function neverLive(a: Pick<AdminArticle, 'status' | 'firstPublishedAt'>): boolean {
  return (a.status === 'draft' || a.status === 'submitted') && a.firstPublishedAt === null;
}
/** A run of autosaves by one person on one article writes one audit entry per this window. */
export const AUTOSAVE_AUDIT_WINDOW_MS = 10 * 60_000;
const MAX_NOTE = TEXT_LIMITS.note;

const statusTerm = (status: string): TextValue => ({ term: `status.${status}` as TermKey });
const actionTerm = (action: string): TextValue => ({ term: `action.${action}` as TermKey });

/** Thrown inside a transaction to roll it back when the revision moved on. */
class StaleRevision extends Error {}

function parseTime(name: string, value: string | undefined): number {
  const ms = value === undefined ? Number.NaN : Date.parse(value);
  if (Number.isNaN(ms)) throw new DomainError('VALIDATION_FAILED', text('badDateTime', { name }));
  return ms;
}

/**
 * The newsroom's article use cases: create, save (with optimistic concurrency),
 * autosave, workflow transitions, scheduled publishing. Every change writes a
 * revision and an audit entry in its transaction and is checked against the role
 * matrix here, whoever calls.
 */
export class WorkflowService {
  private readonly listeners: ArticleChangeListener[] = [];
  private readonly merges: ArticleMergeService;
  /** The publish checklist (blocking items and warnings) run before publish and schedule. */
  readonly publishChecks: PublishChecksService;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly repos: Repositories,
    private readonly newsroom: NewsroomRepositories,
    private readonly catalog: CatalogService,
    private readonly audit: AuditService,
    private readonly scheduler: PublishScheduler,
    private readonly clock: Clock,
  ) {
    this.merges = new ArticleMergeService(newsroom.revisions);
    this.publishChecks = new PublishChecksService(repos, newsroom);
  }

  /** Subscribe to committed article changes. */
  onArticleChanged(listener: ArticleChangeListener): void {
    this.listeners.push(listener);
  }

  /**
   * The one place "article changed" is signalled, after commit. Search, related and
   * webhooks subscribe with `onArticleChanged` (wired in `services/index.ts`).
   */
  private async articleChanged(articleId: number, change: string, readersSawIt = true): Promise<void> {
    for (const listener of this.listeners) {
      try {
        await listener(articleId, change, readersSawIt);
      } catch {
        // A listener's failure must not undo or fail a committed save.
      }
    }
  }

  async get(id: number): Promise<AdminArticle> {
    const a = await this.newsroom.adminArticles.find(id);
    if (!a) throw new DomainError('ARTICLE_NOT_FOUND', text('articleNotFound', { id: String(id) }));
    return a;
  }

  async list(filter: AdminListFilter, limit: number, cursor?: string): Promise<{ items: AdminArticleSummary[]; nextCursor: string | null }> {
    let decoded: AdminListCursor | undefined;
    if (cursor !== undefined) {
      const m = /^(\d{1,16})\.(\d{1,12})$/.exec(Buffer.from(cursor, 'base64url').toString('latin1'));
      if (!m) throw new DomainError('INVALID_CURSOR', text('cursorInvalid'));
      decoded = { updatedAt: Number(m[1]), id: Number(m[2]) };
    }
    const items = await this.newsroom.adminArticles.list(filter, limit + 1, decoded);
    const hasMore = items.length > limit;
    if (hasMore) items.length = limit;
    const last = items.at(-1);
    return { items, nextCursor: hasMore && last ? Buffer.from(`${last.updatedAt}.${last.id}`).toString('base64url') : null };
  }

  // ——— permissions ———

  private assertCanEdit(actor: Principal, a: AdminArticle): void {
    if (!canOn(actor, 'articles.edit', a.authorId)) {
      throw new DomainError('FORBIDDEN', text('editOwnOnly'));
    }
    if (LIVE_STATUSES.includes(a.status) && !canOn(actor, 'articles.publish', a.authorId)) {
      throw new DomainError('FORBIDDEN', text('liveNeedsPublish', { status: statusTerm(a.status) }));
    }
    if (a.status === 'killed' && !canOn(actor, 'articles.kill', a.authorId)) {
      throw new DomainError('FORBIDDEN', text('killedEditorOnly'));
    }
  }

  // ——— content ———

  /** Validates and normalizes content; checks every referenced id exists. */
  private async normalize(c: ArticleContent, articleId: number | null): Promise<ArticleContent> {
    const headline = c.headline.trim();
    if (!headline) throw new DomainError('VALIDATION_FAILED', text('headlineEmpty'));
    if ([...headline].length > MAX_HEADLINE) throw new DomainError('VALIDATION_FAILED', headlineTooLong([...headline].length));
    const language = canonicalLanguage(c.language);
    if (!language) throw new DomainError('VALIDATION_FAILED', text('unknownLanguage', { language: c.language }));
    const related = c.related.filter((r, i) => r.id !== articleId && c.related.findIndex((o) => o.id === r.id) === i);
    // Independent lookups run together: on PostgreSQL each is a round trip (issue 10 item 10).
    const [sectionExists, contentType, leadMedia, existingIds] = await Promise.all([
      this.newsroom.adminTaxonomy.sectionExists(c.sectionId),
      this.newsroom.adminTaxonomy.findContentType(c.contentTypeId),
      c.leadMediaId === null ? null : this.repos.media.findById(c.leadMediaId),
      this.newsroom.adminArticles.existingIds(related.map((r) => r.id)),
    ]);
    if (!sectionExists) throw new DomainError('VALIDATION_FAILED', text('sectionGone', { id: String(c.sectionId) }));
    if (!contentType) {
      throw new DomainError('VALIDATION_FAILED', text('contentTypeGone', { id: String(c.contentTypeId) }));
    }
    if (c.leadMediaId !== null && !leadMedia) {
      throw new DomainError('VALIDATION_FAILED', text('leadMediaGone', { id: String(c.leadMediaId) }));
    }
    const existing = new Set(existingIds);
    const missing = related.filter((r) => !existing.has(r.id)).map((r) => r.id);
    if (missing.length) throw new DomainError('VALIDATION_FAILED', { plural: 'relatedGone', count: missing.length, values: { ids: missing.join(', ') } });
    const tags = c.tags.map((t) => ({ kind: t.kind, name: t.name.trim() })).filter((t) => t.name);
    for (const t of tags) {
      if (!TAG_KINDS.includes(t.kind)) throw new DomainError('VALIDATION_FAILED', text('badTagKind', { kind: t.kind }));
      if (t.name.length > 200) throw new DomainError('VALIDATION_FAILED', text('tagTooLong', { name: t.name.slice(0, 40), max: 200 }));
    }
    return {
      headline,
      dek: c.dek.trim(),
      bodyHtml: trimTrailingEmptyParagraphs(sanitizeBody(c.bodyHtml)),
      sectionId: c.sectionId,
      contentTypeId: c.contentTypeId,
      language,
      byline: c.byline.trim(),
      source: c.source.trim(),
      place: c.place.trim(),
      leadMediaId: c.leadMediaId,
      tags,
      related,
    };
  }

  private columnsOf(c: ArticleContent, now: number): Updateable<ArticleTable> {
    return {
      headline: c.headline,
      slug: slugify(c.headline),
      dek: c.dek,
      body_html: c.bodyHtml,
      body_text: htmlToText(c.bodyHtml),
      section_id: c.sectionId,
      content_type_id: c.contentTypeId,
      language: c.language,
      byline: c.byline,
      source: c.source,
      place: c.place,
      lead_media_id: c.leadMediaId,
      updated_at: now,
    };
  }

  /**
   * Tags (found or created in one select and one insert, not two statements per tag) and
   * related links; `created` skips deleting the links a new article cannot have yet.
   */
  private async writeLinks(articleId: number, c: ArticleContent, trx: Transaction<Database>, created = false): Promise<void> {
    const tagIds = await this.repos.taxonomy.upsertTags(c.tags.map((t) => ({ slug: slugify(t.name), name: t.name, kind: t.kind, language: c.language })), trx);
    await this.repos.articles.setTags(articleId, tagIds, trx, created);
    await this.repos.related.replaceList(articleId, c.related.map((r) => ({ relatedId: r.id, pinned: r.pinned })), trx, created);
  }

  private async writeRevision(
    actor: Principal,
    articleId: number,
    number: number,
    action: string,
    snapshot: ArticleContent & { status: string },
    trx: Transaction<Database>,
  ): Promise<void> {
    await this.newsroom.revisions.insert(
      {
        article_id: articleId,
        number,
        action,
        autosave: action === 'autosave' ? 1 : 0,
        created_at: this.clock(),
        user_id: actor.userId,
        actor_name: actor.name,
        snapshot_json: JSON.stringify(snapshot),
      },
      trx,
    );
  }

  /** A new draft (revision 1) owned by the actor. */
  async create(actor: Principal, input: ArticleInput & { headline: string; sectionId: number }): Promise<AdminArticle> {
    const content = await this.normalize(
      {
        headline: input.headline,
        dek: input.dek ?? '',
        bodyHtml: input.bodyHtml ?? '',
        sectionId: input.sectionId,
        contentTypeId: input.contentTypeId ?? 21,
        language: input.language ?? 'en',
        byline: input.byline ?? '',
        source: input.source ?? '',
        place: input.place ?? '',
        leadMediaId: input.leadMediaId ?? null,
        tags: input.tags ?? [],
        related: input.related ?? [],
      },
      null,
    );
    const now = this.clock();
    const id = await this.db.transaction().execute(async (trx) => {
      const id = await this.newsroom.adminArticles.insert(
        {
          headline: content.headline,
          slug: slugify(content.headline),
          dek: content.dek,
          body_html: content.bodyHtml,
          body_text: htmlToText(content.bodyHtml),
          section_id: content.sectionId,
          content_type_id: content.contentTypeId,
          language: content.language,
          byline: content.byline,
          source: content.source,
          place: content.place,
          lead_media_id: content.leadMediaId,
          translation_group: null,
          status: 'draft',
          first_published_at: null,
          published_at: null,
          created_at: now,
          updated_at: now,
          revision: 1,
          author_id: actor.userId,
        },
        trx,
      );
      await this.writeLinks(id, content, trx, true);
      await this.writeRevision(actor, id, 1, 'create', { ...content, status: 'draft' }, trx);
      await this.audit.record(actor, 'article.create', `article:${id}`, content.headline, trx);
      return id;
    });
    await this.articleChanged(id, 'create', false);
    return this.get(id);
  }

  /**
   * Saves new content over `baseRevision`. When the article has moved on, nothing is
   * written and 409 REVISION_CONFLICT carries the current version for the editor to
   * merge. Autosaves follow the same rule, are allowed only where readers see
   * nothing, and squash: a run of autosaves by one person keeps only the newest.
   */
  async save(actor: Principal, id: number, baseRevision: number, input: ArticleInput, options: { autosave?: boolean; action?: string } = {}): Promise<AdminArticle> {
    const current = await this.get(id);
    this.assertCanEdit(actor, current);
    if (options.autosave && !AUTOSAVE_STATUSES.includes(current.status)) {
      throw new DomainError('INVALID_TRANSITION', text('autosaveDraftsOnly', { status: statusTerm(current.status) }));
    }
    if (baseRevision !== current.revision) throw await this.conflict(current, baseRevision, input);
    const content = await this.normalize({ ...contentOf(current), ...definedOnly(input) }, id);
    const action = options.action ?? (options.autosave ? 'autosave' : 'save');
    try {
      await this.db.transaction().execute(async (trx) => {
        const revision = await this.newsroom.adminArticles.updateIfRevision(id, baseRevision, this.columnsOf(content, this.clock()), trx);
        if (revision === null) throw new StaleRevision();
        await this.writeLinks(id, content, trx);
        if (options.autosave) {
          const previous = await this.newsroom.revisions.find(id, baseRevision, trx);
          if (previous && previous.autosave === 1 && previous.user_id === actor.userId && previous.actor_name === actor.name) {
            await this.newsroom.revisions.delete(id, baseRevision, trx);
          }
        }
        await this.writeRevision(actor, id, revision, action, { ...content, status: current.status }, trx);
        if (!options.autosave) {
          const what = current.status === 'published' ? 'updated a published article' : `saved revision ${revision}`;
          await this.audit.record(actor, `article.${action}`, `article:${id}`, `${what}: ${content.headline}`, trx);
        } else {
          // Autosaves every few seconds: one entry per actor and article per AUTOSAVE_AUDIT_WINDOW_MS.
          await this.audit.recordCoalesced(actor, 'article.autosave', `article:${id}`, `autosaved revision ${revision} (further autosaves within ${AUTOSAVE_AUDIT_WINDOW_MS / 60_000} min not listed): ${content.headline}`, AUTOSAVE_AUDIT_WINDOW_MS, trx);
        }
      });
    } catch (err) {
      if (err instanceof StaleRevision) throw await this.conflict(await this.get(id), baseRevision, input);
      throw err;
    }
    await this.articleChanged(id, action, !neverLive(current));
    return this.get(id);
  }

  /**
   * What a client needs to merge `input` (an edit based on `baseRevision`) into the
   * current version: base, theirs, mine and the three-way merge.
   */
  async mergeProposal(id: number, baseRevision: number, input: ArticleInput): Promise<MergeProposal> {
    return this.merges.propose(await this.get(id), baseRevision, input);
  }

  /** 409 with the current version and the three-way merge proposal (`base`, `theirs`, `mine`, `merge`). */
  private async conflict(current: AdminArticle, baseRevision: number, input?: ArticleInput): Promise<DomainError> {
    const proposal = input ? await this.merges.propose(current, baseRevision, input) : null;
    return new DomainError(
      'REVISION_CONFLICT',
      text('revisionConflict', { base: String(baseRevision), current: String(current.revision) }),
      proposal ? { current, ...proposal } : { current },
    );
  }

  /** Applies a workflow action, checked against the state machine and the role matrix. */
  async transition(actor: Principal, id: number, request: { action: TransitionAction; at?: string; note?: string }): Promise<AdminArticle> {
    const current = await this.get(id);
    const rule = TRANSITIONS[request.action];
    if (!canOn(actor, rule.capability, current.authorId)) {
      throw new DomainError('FORBIDDEN', text(actor.grants[rule.capability] === 'own' ? 'actionNotAllowedOthers' : 'actionNotAllowed', { action: actionTerm(request.action) }));
    }
    if (LIVE_STATUSES.includes(current.status) && !canOn(actor, 'articles.publish', current.authorId)) {
      throw new DomainError('FORBIDDEN', text('stateNeedsPublish', { status: statusTerm(current.status) }));
    }
    if (!rule.from.includes(current.status)) {
      throw new DomainError('INVALID_TRANSITION', text('cannotTransition', { action: actionTerm(request.action), status: statusTerm(current.status) }));
    }
    const now = this.clock();
    const changes: Updateable<ArticleTable> = {};
    let detail = current.headline;
    let job: 'schedule' | 'cancel' | null = null;
    let runAt = 0;
    switch (request.action) {
      case 'submit':
        changes.status = 'submitted';
        break;
      case 'return':
        Object.assign(changes, { status: 'draft', scheduled_at: null });
        job = 'cancel';
        break;
      case 'publish': {
        await this.publishChecks.assertPublishable(current, 'publish');
        const at = current.embargoUntil !== null && current.embargoUntil > now ? current.embargoUntil : now;
        Object.assign(changes, { status: 'published', published_at: at, first_published_at: current.firstPublishedAt ?? at, scheduled_at: null, updated_at: now });
        if (at > now) detail += ` (embargoed until ${new Date(at).toISOString()})`;
        job = 'cancel';
        break;
      }
      case 'schedule': {
        await this.publishChecks.assertPublishable(current, 'schedule');
        runAt = parseTime('at', request.at);
        if (runAt <= now) throw new DomainError('VALIDATION_FAILED', text('scheduleInPast'));
        Object.assign(changes, { status: 'scheduled', scheduled_at: runAt });
        detail += ` for ${new Date(runAt).toISOString()}`;
        job = 'schedule';
        break;
      }
      case 'unpublish':
        Object.assign(changes, { status: 'unpublished', updated_at: now });
        break;
      case 'kill':
        Object.assign(changes, { status: 'killed', scheduled_at: null, updated_at: now });
        job = 'cancel';
        break;
      case 'correct': {
        const note = request.note?.trim() ?? '';
        if (!note) throw new DomainError('VALIDATION_FAILED', text('correctionNeedsNote'));
        if (note.length > MAX_NOTE) throw new DomainError('VALIDATION_FAILED', text('noteTooLong', { max: MAX_NOTE }));
        const corrections: Correction[] = [...current.corrections, { at: now, note }];
        Object.assign(changes, { corrections_json: JSON.stringify(corrections), updated_at: now });
        detail += `: ${note}`;
        break;
      }
      case 'embargo': {
        const until = request.at === undefined || request.at === '' ? null : parseTime('at', request.at);
        if (current.status === 'published' && current.publishedAt !== null && current.publishedAt <= now) {
          throw new DomainError('INVALID_TRANSITION', text('embargoPublic'));
        }
        changes.embargo_until = until;
        // A publish waiting for its embargo moves with it.
        if (current.status === 'published') changes.published_at = until !== null && until > now ? until : now;
        detail += until === null ? ' (embargo lifted)' : ` until ${new Date(until).toISOString()}`;
        break;
      }
    }
    const status = (changes.status as AdminArticle['status'] | undefined) ?? current.status;
    try {
      await this.db.transaction().execute(async (trx) => {
        const revision = await this.newsroom.adminArticles.updateIfRevision(id, current.revision, changes, trx);
        if (revision === null) throw new StaleRevision();
        if (job === 'schedule') await this.scheduler.schedule(id, runAt, trx);
        if (job === 'cancel' && current.status === 'scheduled') await this.scheduler.cancel(id, trx);
        await this.writeRevision(actor, id, revision, request.action, { ...contentOf(current), status }, trx);
        await this.audit.record(actor, `article.${request.action}`, `article:${id}`, detail, trx);
      });
    } catch (err) {
      if (err instanceof StaleRevision) throw await this.conflict(await this.get(id), current.revision);
      throw err;
    }
    await this.articleChanged(id, request.action);
    return this.get(id);
  }

  /** Deletes a draft that was never published. */
  async delete(actor: Principal, id: number): Promise<void> {
    const current = await this.get(id);
    if (!canOn(actor, 'articles.delete', current.authorId)) throw new DomainError('FORBIDDEN', text('deleteOwnDrafts'));
    if (current.status !== 'draft' || current.firstPublishedAt !== null) {
      throw new DomainError('INVALID_TRANSITION', text('deleteNeverPublished', { status: statusTerm(current.status) }));
    }
    await this.db.transaction().execute(async (trx) => {
      await this.newsroom.adminArticles.delete(id, trx);
      await this.audit.record(actor, 'article.delete', `article:${id}`, current.headline, trx);
    });
    await this.articleChanged(id, 'delete');
  }

  /**
   * The scheduled-publish job: publishes the article if it is still scheduled and
   * due. Idempotent: a second run, or a run after someone changed the plan, does nothing.
   */
  async publishScheduled(id: number): Promise<boolean> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const state = await this.newsroom.adminArticles.state(id);
      if (!state || state.status !== 'scheduled' || state.scheduled_at === null || state.scheduled_at > this.clock()) return false;
      try {
        await this.transition(SYSTEM_PRINCIPAL, id, { action: 'publish' });
        return true;
      } catch (err) {
        // Someone saved between our read and write: look again.
        if (!(err instanceof DomainError && err.code === 'REVISION_CONFLICT')) throw err;
      }
    }
    return false;
  }

  /** Publishes every scheduled article whose time has passed (start-up catch-up and a safety net). */
  async publishDue(): Promise<number> {
    let n = 0;
    for (const id of await this.newsroom.adminArticles.dueScheduled(this.clock())) if (await this.publishScheduled(id)) n++;
    return n;
  }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
