import type { Transaction } from 'kysely';
import { articlePath, type Media } from '../../domain/article.js';
import { DomainError } from '../../domain/errors.js';
import { text } from '../../site/i18n.js';
import {
  blogChannel,
  breakingChannel,
  breakingKey,
  currentBreaking,
  LIVE_LIMITS,
  liveKey,
  type BreakingItem,
  type LiveEntry,
  type LiveEntryKind,
  type LiveEventType,
} from '../../domain/live.js';
import { articleKey } from '../../domain/purge-keys.js';
import type { Principal } from '../../domain/roles.js';
import type { ArticleRepository } from '../../db/repositories/article.repository.js';
import type { BreakingRow, LiveEntryRow, LiveEventRow, LiveRepository } from '../../db/repositories/live.repository.js';
import type { MediaRepository } from '../../db/repositories/media.repository.js';
import type { Database } from '../../db/schema.js';
import type { LiveTables } from '../../db/schema/live.schema.js';
import { JobName } from '../../jobs/job-names.js';
import type { JobQueue } from '../../jobs/job-queue.js';
import type { AuditService } from '../audit.service.js';
import type { Clock } from '../clock.js';
import { htmlToText, sanitizeBody } from '../html-sanitizer.js';

type Trx = Transaction<Database & LiveTables>;
/** The audit log writes in the same transaction; its repository knows the base tables only. */
const base = (trx: Trx) => trx as unknown as Transaction<Database>;

export interface BreakingInput {
  language: string;
  /** Flag a published story; its headline and path are the banner's unless given. */
  articleId?: number;
  headline?: string;
  /** An absolute http(s) URL or a site path. */
  url?: string;
  expiresInMinutes?: number;
  alert?: boolean;
}

export interface EntryInput {
  kind: LiveEntryKind;
  bodyHtml?: string;
  mediaId?: number;
  quoteText?: string;
  quoteSource?: string;
  pinned?: boolean;
  alert?: boolean;
}

export interface EntryPatch {
  bodyHtml?: string;
  mediaId?: number | null;
  quoteText?: string;
  quoteSource?: string;
  pinned?: boolean;
  /** A note readers see under the entry ("Corrected: …"). */
  correction?: string;
}

/** What the live service tells the rest of the process after a commit. */
export interface LiveHooks {
  /** A new event is in the log (this process's hub writes it out, other processes are told). */
  eventsCommitted(event: LiveEventRow): void;
  /** Page-cache purge by surrogate key. */
  purge(keys: string[]): Promise<void> | void;
  /** Alert webhooks: a breaking item or an entry marked as an alert. */
  alert(event: 'breaking.alert' | 'live.alert', data: Record<string, unknown>): Promise<void> | void;
}

/** The markup of an entry (the site's component), made once when an entry is written. */
export type EntryRenderer = (entry: LiveEntry, language: string) => string;

export interface LiveBlogPage {
  articleId: number;
  language: string;
  endedAt: number | null;
  pinned: LiveEntry[];
  entries: LiveEntry[];
  total: number;
  /** The last event id of the blog's channel when read (a `since` cursor). */
  cursor: number;
}

const DEFAULT_EXPIRY_MINUTES = 120;

/** Job key of the live event log's pruning (one pending at a time). */
export const LIVE_PRUNE_KEY = 'live-prune';

/**
 * Breaking banners and live blogs: every change is one transaction that writes the row,
 * the audit entry and an event of the live log; after commit the hub is woken, the page
 * cache purged and alerts queued.
 */
export class LiveService {
  hooks: LiveHooks = { eventsCommitted: () => {}, purge: () => {}, alert: () => {} };

  constructor(
    private readonly repo: LiveRepository,
    private readonly articles: ArticleRepository,
    private readonly media: MediaRepository,
    private readonly audit: AuditService,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
    private readonly languages: readonly string[],
    private readonly render: EntryRenderer,
  ) {}

  // Breaking banner

  /** The banner of a language now, or null. */
  async breaking(language: string): Promise<BreakingItem | null> {
    const row = currentBreaking((await this.repo.activeBreaking(language, this.clock())).map((r) => ({ ...r, expiresAt: r.expires_at, clearedAt: r.cleared_at })), this.clock());
    return row ? breakingItem(row) : null;
  }

  /** What every page shows: the banner of each language, and where the live log ends (the page's `since`). */
  async pageState(): Promise<{ breaking: Record<string, BreakingItem | null>; since: number }> {
    const now = this.clock();
    const [rows, since] = await Promise.all([this.repo.activeBreakingAll(now), this.repo.lastEventId()]);
    const breaking: Record<string, BreakingItem | null> = {};
    for (const language of this.languages) {
      const row = rows.find((r) => r.language === language);
      breaking[language] = row ? breakingItem(row) : null;
    }
    return { breaking, since };
  }

  async recentBreaking(language: string): Promise<{ current: BreakingItem | null; recent: (BreakingItem & { clearedAt: number | null; createdBy: string })[] }> {
    this.checkLanguage(language);
    const rows = await this.repo.recentBreaking(language, 20);
    return { current: await this.breaking(language), recent: rows.map((r) => ({ ...breakingItem(r), clearedAt: r.cleared_at, createdBy: r.created_by })) };
  }

  async setBreaking(actor: Principal, input: BreakingInput): Promise<BreakingItem> {
    this.checkLanguage(input.language);
    const now = this.clock();
    let headline = input.headline?.trim() ?? '';
    let url = input.url?.trim() ?? '';
    if (input.articleId !== undefined) {
      const article = await this.articles.findById(input.articleId);
      if (!article || !(await this.articles.isVisible(input.articleId, now))) throw new DomainError('VALIDATION_FAILED', text('liveStoryNotPublished', { id: String(input.articleId) }));
      headline ||= article.headline;
      url ||= articlePath(article);
    }
    if (!headline) throw new DomainError('VALIDATION_FAILED', text('breakingNeedsHeadline'));
    if (!url) throw new DomainError('VALIDATION_FAILED', text('breakingNeedsLink'));
    if (headline.length > LIVE_LIMITS.headline) throw new DomainError('VALIDATION_FAILED', text('textTooLong', { label: { term: 'field.breakingHeadline' }, length: headline.length, max: LIVE_LIMITS.headline }));
    if (!(url.startsWith('/') && !url.startsWith('//')) && !/^https?:\/\/[^\s/]+/i.test(url)) throw new DomainError('VALIDATION_FAILED', text('breakingLinkForm'));
    const minutes = input.expiresInMinutes ?? DEFAULT_EXPIRY_MINUTES;
    const expiresAt = now + minutes * 60_000;
    const { row, event } = await this.repo.transaction(async (trx) => {
      await this.repo.clearBreaking(input.language, now, trx);
      const row = await this.repo.insertBreaking({ language: input.language, headline, url, article_id: input.articleId ?? null, alert: input.alert ? 1 : 0, created_by: actor.name, created_at: now, expires_at: expiresAt }, trx);
      await this.audit.record(actor, 'breaking.set', `breaking:${input.language}`, `${headline} → ${url} (until ${new Date(expiresAt).toISOString()})`, base(trx));
      const event = await this.event(trx, breakingChannel(input.language), 'breaking', breakingItem(row));
      // The banner leaves cached pages when it expires: a purge is due then.
      await this.jobs.enqueue(JobName.BreakingExpired, { language: input.language, id: row.id }, { runAt: expiresAt, key: `breaking-expiry:${row.id}` }, base(trx));
      return { row, event };
    });
    await this.after(event, [breakingKey(input.language)]);
    const item = breakingItem(row);
    if (input.alert) await this.hooks.alert('breaking.alert', { language: item.language, headline: item.headline, url: item.url, articleId: item.articleId, expiresAt: new Date(item.expiresAt).toISOString() });
    return item;
  }

  async clearBreaking(actor: Principal, language: string): Promise<void> {
    this.checkLanguage(language);
    const now = this.clock();
    const event = await this.repo.transaction(async (trx) => {
      const n = await this.repo.clearBreaking(language, now, trx);
      if (!n) return null;
      await this.audit.record(actor, 'breaking.clear', `breaking:${language}`, '', base(trx));
      return this.event(trx, breakingChannel(language), 'breaking-cleared', { language });
    });
    if (event !== null) await this.after(event, [breakingKey(language)]);
  }

  /**
   * The pruning job: deletes live events older than the kept window and schedules its
   * next run. Readers resuming from inside the window lose nothing; older ones reload.
   */
  async pruneEvents(keepMs: number, everyMs: number): Promise<number> {
    const deleted = await this.repo.pruneEventsBefore(this.clock() - keepMs);
    await this.jobs.enqueue(JobName.LiveEventsPrune, {}, { key: LIVE_PRUNE_KEY, runAt: this.clock() + everyMs });
    return deleted;
  }

  /** Schedules the pruning job unless it is (server start). */
  async ensurePruneScheduled(): Promise<void> {
    if (!(await this.jobs.isActive(LIVE_PRUNE_KEY))) await this.jobs.enqueue(JobName.LiveEventsPrune, {}, { key: LIVE_PRUNE_KEY, runAt: this.clock() + 60_000 });
  }

  /** The expiry job: tells open pages and drops the banner from cached pages (idempotent). */
  async breakingExpired(language: string, id: number): Promise<void> {
    const row = await this.repo.findBreaking(id);
    if (!row || row.cleared_at !== null) return;
    const current = await this.breaking(language);
    if (current && current.id !== id) return;
    const event = await this.repo.transaction((trx) => this.event(trx, breakingChannel(language), 'breaking-cleared', { language, expired: id }));
    await this.after(event, [breakingKey(language)]);
  }

  // Live blogs

  async startBlog(actor: Principal, articleId: number): Promise<void> {
    const article = await this.articles.findById(articleId);
    if (!article) throw new DomainError('ARTICLE_NOT_FOUND', text('articleNotFound', { id: String(articleId) }));
    if (await this.repo.blog(articleId)) throw new DomainError('CONFLICT', text('alreadyLive', { id: String(articleId) }));
    await this.repo.transaction(async (trx) => {
      await this.repo.insertBlog(articleId, this.clock(), trx);
      await this.audit.record(actor, 'live.start', `article:${articleId}`, article.headline, base(trx));
    });
    await this.hooks.purge([articleKey(articleId), liveKey(articleId)]);
  }

  async listBlogs() {
    return this.repo.listBlogs(100);
  }

  /** Ends the coverage (readers see "This live coverage has ended"), or reopens it. */
  async setEnded(actor: Principal, articleId: number, ended: boolean): Promise<void> {
    const blog = await this.blogOrThrow(articleId);
    if ((blog.ended_at !== null) === ended) return;
    const now = this.clock();
    const event = await this.repo.transaction(async (trx) => {
      await this.repo.setEnded(articleId, ended ? now : null, trx);
      await this.audit.record(actor, ended ? 'live.end' : 'live.reopen', `article:${articleId}`, '', base(trx));
      return this.event(trx, blogChannel(articleId), ended ? 'ended' : 'reopened', { blogId: articleId, endedAt: ended ? now : null });
    });
    await this.after(event, [liveKey(articleId), articleKey(articleId)]);
  }

  async addEntry(actor: Principal, articleId: number, input: EntryInput): Promise<LiveEntry> {
    const blog = await this.blogOrThrow(articleId);
    if (blog.ended_at !== null) throw new DomainError('INVALID_TRANSITION', text('liveEnded'));
    const language = await this.languageOf(articleId);
    const { media, ...fields } = await this.entryFields(input.kind, input);
    const now = this.clock();
    const { entry, event } = await this.repo.transaction(async (trx) => {
      const row = await this.repo.insertEntry({ article_id: articleId, kind: input.kind, ...fields, pinned: input.pinned ? 1 : 0, alert: input.alert ? 1 : 0, author_name: actor.name, created_at: now, updated_at: now }, trx);
      const entry = this.entryOf(row, media);
      await this.audit.record(actor, 'live.entry.create', `live-entry:${row.id}`, `blog ${articleId}: ${input.kind}`, base(trx));
      return { entry, event: await this.event(trx, blogChannel(articleId), 'entry', { entry, html: this.render(entry, language) }) };
    });
    await this.after(event, [liveKey(articleId)]);
    if (input.alert) await this.hooks.alert('live.alert', { language, blogId: articleId, entryId: entry.id, text: htmlToText(entry.bodyHtml || entry.quote?.text || '').slice(0, 500) });
    return entry;
  }

  /** Edits, pins, unpins or corrects an entry; open pages replace it. */
  async updateEntry(actor: Principal, entryId: number, patch: EntryPatch): Promise<LiveEntry> {
    const row = await this.entryRowOrThrow(entryId);
    const language = await this.languageOf(row.article_id);
    const { media, ...merged } = await this.entryFields(row.kind as LiveEntryKind, {
      bodyHtml: patch.bodyHtml ?? row.body_html,
      mediaId: patch.mediaId === null ? undefined : (patch.mediaId ?? row.media_id ?? undefined),
      quoteText: patch.quoteText ?? row.quote_text,
      quoteSource: patch.quoteSource ?? row.quote_source,
    });
    const correction = patch.correction?.trim() ?? row.correction;
    if (correction.length > LIVE_LIMITS.correction) throw new DomainError('VALIDATION_FAILED', text('textTooLong', { label: { term: 'field.correctionNote' }, length: correction.length, max: LIVE_LIMITS.correction }));
    const { entry, event } = await this.repo.transaction(async (trx) => {
      const updated = await this.repo.updateEntry(entryId, { ...merged, correction, pinned: patch.pinned === undefined ? row.pinned : patch.pinned ? 1 : 0, updated_at: this.clock() }, trx);
      const entry = this.entryOf(updated, media);
      await this.audit.record(actor, patch.correction ? 'live.entry.correct' : 'live.entry.update', `live-entry:${entryId}`, patch.correction ?? '', base(trx));
      return { entry, event: await this.event(trx, blogChannel(row.article_id), 'entry-updated', { entry, html: this.render(entry, language) }) };
    });
    await this.after(event, [liveKey(row.article_id)]);
    return entry;
  }

  async deleteEntry(actor: Principal, entryId: number): Promise<void> {
    const row = await this.entryRowOrThrow(entryId);
    const event = await this.repo.transaction(async (trx) => {
      await this.repo.updateEntry(entryId, { deleted_at: this.clock() }, trx);
      await this.audit.record(actor, 'live.entry.delete', `live-entry:${entryId}`, `blog ${row.article_id}`, base(trx));
      return this.event(trx, blogChannel(row.article_id), 'entry-deleted', { blogId: row.article_id, entryId });
    });
    await this.after(event, [liveKey(row.article_id)]);
  }

  /** Is this article a live blog (null: no)? */
  async blogState(articleId: number): Promise<{ endedAt: number | null } | null> {
    const b = await this.repo.blog(articleId);
    return b ? { endedAt: b.ended_at } : null;
  }

  /** One page of entries, newest first, with the pinned key points. */
  async page(articleId: number, page: number, perPage: number): Promise<LiveBlogPage> {
    const blog = await this.blogOrThrow(articleId);
    const [cursor, rows, pinned, total, language] = await Promise.all([
      this.repo.lastEventId(blogChannel(articleId)),
      this.repo.entries(articleId, { limit: perPage, offset: (page - 1) * perPage }),
      page === 1 ? this.repo.entries(articleId, { limit: 20, offset: 0, pinned: true }) : Promise.resolve([]),
      this.repo.countEntries(articleId),
      this.languageOf(articleId),
    ]);
    return { articleId, language, endedAt: blog.ended_at, pinned: await Promise.all(pinned.map((r) => this.loadEntry(r))), entries: await Promise.all(rows.map((r) => this.loadEntry(r))), total, cursor };
  }

  /**
   * Entry changes after a cursor (an event id), oldest first: what an app polling the
   * content API applies to catch up. `next` is the cursor to ask with next time.
   */
  async changesSince(articleId: number, since: number, limit: number): Promise<{ changes: { id: number; type: LiveEventType; entry?: LiveEntry; entryId?: number; endedAt?: number | null }[]; next: number }> {
    await this.blogOrThrow(articleId);
    const first = await this.repo.firstEventId();
    if (first > 0 && since < first - 1) throw new DomainError('CURSOR_EXPIRED', text('liveCursorExpired', { since: String(since), first: String(first) }));
    const events = await this.repo.eventsAfter(since, limit, [blogChannel(articleId)]);
    const changes = events.map((e) => {
      const data = JSON.parse(e.payload) as { entry?: LiveEntry; entryId?: number; endedAt?: number | null };
      return { id: e.id, type: e.type as LiveEventType, ...(data.entry ? { entry: data.entry } : {}), ...(data.entryId !== undefined ? { entryId: data.entryId } : {}), ...(data.endedAt !== undefined ? { endedAt: data.endedAt } : {}) };
    });
    return { changes, next: events.at(-1)?.id ?? since };
  }

  /** The current end of the whole event log (pages embed it as their `since`). */
  lastEventId(): Promise<number> {
    return this.repo.lastEventId();
  }

  // Internals

  private checkLanguage(language: string): void {
    if (!this.languages.includes(language)) throw new DomainError('VALIDATION_FAILED', text('siteHasNoLanguage', { language, languages: this.languages.join(', ') }));
  }

  private async blogOrThrow(articleId: number) {
    const blog = await this.repo.blog(articleId);
    if (!blog) throw new DomainError('NOT_FOUND', text('notLive', { id: String(articleId) }));
    return blog;
  }

  private async entryRowOrThrow(entryId: number): Promise<LiveEntryRow> {
    const row = await this.repo.findEntry(entryId);
    if (!row) throw new DomainError('NOT_FOUND', text('liveEntryNotFound', { id: String(entryId) }));
    return row;
  }

  private async languageOf(articleId: number): Promise<string> {
    return (await this.articles.findById(articleId))?.language ?? this.languages[0] ?? 'en';
  }

  /** Validates an entry's content for its kind; the columns to store. */
  private async entryFields(kind: LiveEntryKind, input: Omit<EntryInput, 'kind'>): Promise<Pick<LiveEntryRow, 'body_html' | 'media_id' | 'quote_text' | 'quote_source'> & { media: Media | null }> {
    const bodyHtml = input.bodyHtml ? sanitizeBody(input.bodyHtml) : '';
    if (bodyHtml.length > LIVE_LIMITS.bodyHtml) throw new DomainError('VALIDATION_FAILED', text('textTooLong', { label: { term: 'field.entryHtml' }, length: bodyHtml.length, max: LIVE_LIMITS.bodyHtml }));
    const quoteText = input.quoteText?.trim() ?? '';
    const quoteSource = input.quoteSource?.trim() ?? '';
    let media: Media | null = null;
    if (kind === 'text' && !htmlToText(bodyHtml).trim()) throw new DomainError('VALIDATION_FAILED', text('entryNeedsText'));
    if (kind === 'quote' && !quoteText) throw new DomainError('VALIDATION_FAILED', text('entryNeedsQuote'));
    if (kind === 'picture' || kind === 'video') {
      if (input.mediaId === undefined) throw new DomainError('VALIDATION_FAILED', text(kind === 'picture' ? 'entryNeedsPhoto' : 'entryNeedsVideo'));
      const found = await this.mediaOf(input.mediaId);
      const wanted = kind === 'picture' ? 'image' : 'video';
      if (!found) throw new DomainError('MEDIA_NOT_FOUND', text('mediaNotFound', { id: String(input.mediaId) }));
      if (found.kind !== wanted) throw new DomainError('VALIDATION_FAILED', text(kind === 'picture' ? 'entryWantsPhoto' : 'entryWantsVideo', { id: String(input.mediaId) }));
      media = found;
    }
    return { media, body_html: bodyHtml, media_id: media?.id ?? null, quote_text: kind === 'quote' ? quoteText.slice(0, LIVE_LIMITS.quote) : '', quote_source: kind === 'quote' ? quoteSource.slice(0, LIVE_LIMITS.quoteSource) : '' };
  }

  /** Reads outside any transaction (SQLite has one connection: a read beside an open transaction would wait for it). */
  private async mediaOf(id: number): Promise<Media | null> {
    const m = await this.media.findById(id);
    return m ? { id: m.id, kind: m.kind, key: m.key, mime: m.mime, width: m.width, height: m.height, durationMs: m.durationMs, posterKey: m.posterKey, alt: m.alt, caption: m.caption, credit: m.credit, licence: m.licence, focalX: m.focalX, focalY: m.focalY, renditionVersion: m.renditionVersion, state: m.state } : null;
  }

  private async loadEntry(row: LiveEntryRow): Promise<LiveEntry> {
    return this.entryOf(row, row.media_id === null ? null : await this.mediaOf(row.media_id));
  }

  private entryOf(row: LiveEntryRow, media: Media | null): LiveEntry {
    return {
      id: row.id,
      blogId: row.article_id,
      kind: row.kind as LiveEntryKind,
      bodyHtml: row.body_html,
      media,
      quote: row.kind === 'quote' ? { text: row.quote_text, source: row.quote_source } : null,
      pinned: row.pinned === 1,
      alert: row.alert === 1,
      author: row.author_name,
      correction: row.correction,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  private event(trx: Trx, channel: string, type: LiveEventType, data: unknown): Promise<LiveEventRow> {
    return this.repo.appendEvent({ channel, type, payload: JSON.stringify(data), created_at: this.clock() }, trx);
  }

  private async after(event: LiveEventRow, keys: string[]): Promise<void> {
    this.hooks.eventsCommitted(event);
    await this.hooks.purge(keys);
  }
}

function breakingItem(r: BreakingRow): BreakingItem {
  return { id: r.id, language: r.language, headline: r.headline, url: r.url, articleId: r.article_id, alert: r.alert === 1, createdAt: r.created_at, expiresAt: r.expires_at };
}
