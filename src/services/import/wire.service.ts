import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, resolve, sep } from 'node:path';
import type { Kysely } from 'kysely';
import type { IncomingFilter, WireItemRow, WireRepository, WireSourceRow } from '../../db/repositories/wire.repository.js';
import type { Database } from '../../db/schema.js';
import type { WirePollStatus, WireSourceKind } from '../../db/schema/wire.schema.js';
import { DomainError } from '../../domain/errors.js';
import { text } from '../../site/i18n.js';
import { canonicalLanguage } from '../../domain/language.js';
import type { Principal } from '../../domain/roles.js';
import { JobName } from '../../jobs/job-names.js';
import type { JobQueue } from '../../jobs/job-queue.js';
import type { AuditService } from '../audit.service.js';
import type { CatalogService } from '../catalog.service.js';
import type { Clock } from '../clock.js';
import { checkTarget, parseAllowList, TargetRefusedError } from '../webhooks/safe-http.js';
import type { WorkflowService } from '../workflow.service.js';
import { readWireSource, type WireEntry } from './wire-reader.js';

export interface WireSettings {
  allowPrivate: readonly string[];
  timeoutMs: number;
  maxBytes: number;
  /** Watched folders must lie under it; empty: folder sources are off. */
  folderRoot: string;
}

export interface WireSourceInput {
  name?: string;
  kind?: WireSourceKind;
  location?: string;
  agency?: string;
  language?: string;
  intervalSeconds?: number;
  enabled?: boolean;
}

export interface PollOutcome {
  status: WirePollStatus;
  received: number;
  /** Items sent before under the same guid with other text: the queued copy was replaced. */
  corrected: number;
  duplicates: number;
  error: string | null;
  nextPollAt: number | null;
}

const REFUSAL_HINT = 'wire sources may only reach public addresses (allow it with WIRE_ALLOW_PRIVATE)';
const MAX_BACKOFF_MS = 6 * 3_600_000;
export const wirePollJobKey = (sourceId: number) => `wire:${sourceId}`;

/** Failed polls in a row wait interval × 2^streak, at most six hours (never less than the interval). */
export function wireBackoffMs(intervalSeconds: number, failureStreak: number): number {
  const interval = intervalSeconds * 1000;
  return Math.max(interval, Math.min(MAX_BACKOFF_MS, interval * 2 ** Math.min(failureStreak, 16)));
}

/**
 * Agency wires: sources editors configure, polled on the job table (each poll schedules
 * the next), deduplicated by guid per source and by content hash across sources, landing
 * in the Incoming queue, from which one action makes a draft that keeps source and agency.
 */
export class WireService {
  private readonly allowed;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly repo: WireRepository,
    private readonly jobs: JobQueue,
    private readonly workflow: WorkflowService,
    private readonly catalog: CatalogService,
    private readonly audit: AuditService,
    private readonly settings: WireSettings,
    private readonly clock: Clock,
  ) {
    this.allowed = parseAllowList(settings.allowPrivate);
  }

  // ——— sources ———

  listSources(): Promise<WireSourceRow[]> {
    return this.repo.listSources();
  }

  async source(id: number): Promise<WireSourceRow> {
    const row = await this.repo.findSource(id);
    if (!row) throw new DomainError('NOT_FOUND', text('wireSourceNotFound', { id: String(id) }));
    return row;
  }

  async createSource(actor: Principal, input: WireSourceInput): Promise<WireSourceRow> {
    const kind = input.kind ?? 'feed';
    const now = this.clock();
    const row = {
      name: this.checkName(input.name ?? ''),
      kind,
      location: await this.checkLocation(kind, input.location ?? ''),
      agency: (input.agency ?? '').trim(),
      language: this.checkLanguage(input.language ?? 'en'),
      interval_seconds: input.intervalSeconds ?? 300,
      enabled: input.enabled === false ? 0 : 1,
      etag: null,
      last_modified: null,
      last_polled_at: null,
      last_status: null,
      last_error: null,
      next_poll_at: input.enabled === false ? null : now,
      created_at: now,
      updated_at: now,
    };
    const id = await this.db.transaction().execute(async (trx) => {
      const id = await this.repo.insertSource(row, trx);
      if (row.enabled) await this.jobs.enqueue(JobName.WirePoll, { sourceId: id }, { key: wirePollJobKey(id), runAt: now }, trx);
      await this.audit.record(actor, 'wire-source.create', `wire-source:${id}`, `${row.name}: ${row.location}`, trx);
      return id;
    });
    return this.source(id);
  }

  async updateSource(actor: Principal, id: number, input: WireSourceInput): Promise<WireSourceRow> {
    const current = await this.source(id);
    const now = this.clock();
    const changes: Partial<WireSourceRow> = {};
    if (input.name !== undefined) changes.name = this.checkName(input.name);
    if (input.agency !== undefined) changes.agency = input.agency.trim();
    if (input.language !== undefined) changes.language = this.checkLanguage(input.language);
    if (input.intervalSeconds !== undefined) changes.interval_seconds = input.intervalSeconds;
    const kind = input.kind ?? current.kind;
    if (input.location !== undefined || input.kind !== undefined) {
      changes.kind = kind;
      changes.location = await this.checkLocation(kind, input.location ?? current.location);
      // Validators of another document mean nothing here.
      if (changes.location !== current.location || kind !== current.kind) Object.assign(changes, { etag: null, last_modified: null });
    }
    if (input.enabled !== undefined) changes.enabled = input.enabled ? 1 : 0;
    const enabledAfter = (changes.enabled ?? current.enabled) === 1;
    // Switching on (or changing what is read) polls at once and forgets the failures.
    const pollNow = enabledAfter && (current.enabled === 0 || changes.location !== undefined);
    if (pollNow) Object.assign(changes, { failure_streak: 0, next_poll_at: now });
    if (!enabledAfter) changes.next_poll_at = null;
    await this.db.transaction().execute(async (trx) => {
      await this.repo.updateSource(id, { ...changes, updated_at: now }, trx);
      if (pollNow) await this.jobs.enqueue(JobName.WirePoll, { sourceId: id }, { key: wirePollJobKey(id), runAt: now }, trx);
      if (!enabledAfter) await this.jobs.cancel(wirePollJobKey(id), trx);
      await this.audit.record(actor, 'wire-source.update', `wire-source:${id}`, Object.keys(changes).filter((k) => !['etag', 'last_modified', 'failure_streak', 'next_poll_at'].includes(k)).join(', '), trx);
    });
    return this.source(id);
  }

  async removeSource(actor: Principal, id: number): Promise<void> {
    const current = await this.source(id);
    await this.db.transaction().execute(async (trx) => {
      await this.jobs.cancel(wirePollJobKey(id), trx);
      await this.repo.deleteSource(id, trx);
      await this.audit.record(actor, 'wire-source.delete', `wire-source:${id}`, `${current.name}: ${current.location}`, trx);
    });
  }

  /** "Poll now" in the app: the scheduled job runs at once. */
  async pollSoon(actor: Principal, id: number): Promise<WireSourceRow> {
    const current = await this.source(id);
    if (!current.enabled) throw new DomainError('CONFLICT', text('wireSourceOff', { name: current.name }));
    const now = this.clock();
    await this.db.transaction().execute(async (trx) => {
      await this.repo.updateSource(id, { next_poll_at: now }, trx);
      await this.jobs.enqueue(JobName.WirePoll, { sourceId: id }, { key: wirePollJobKey(id), runAt: now }, trx);
      await this.audit.record(actor, 'wire-source.poll', `wire-source:${id}`, current.name, trx);
    });
    return this.source(id);
  }

  private checkName(raw: string): string {
    const name = raw.replace(/\s+/g, ' ').trim();
    if (!name) throw new DomainError('VALIDATION_FAILED', text('wireSourceNeedsName'));
    return name;
  }

  private checkLanguage(raw: string): string {
    const language = canonicalLanguage(raw.trim());
    if (!language) throw new DomainError('VALIDATION_FAILED', text('wireBadLanguage', { language: raw }));
    return language;
  }

  private async checkLocation(kind: WireSourceKind, raw: string): Promise<string> {
    const location = raw.trim();
    if (kind !== 'folder') {
      if (!location) throw new DomainError('VALIDATION_FAILED', text('wireNeedsFeedUrl'));
      try {
        return (await checkTarget(location, this.allowed, REFUSAL_HINT)).toString();
      } catch (err) {
        if (err instanceof TargetRefusedError) throw new DomainError('VALIDATION_FAILED', text('wireCannotPoll', { reason: err.message }));
        throw err;
      }
    }
    if (!this.settings.folderRoot) throw new DomainError('VALIDATION_FAILED', text('wireFoldersOff'));
    if (!location || !isAbsolute(location)) throw new DomainError('VALIDATION_FAILED', text('wireFolderFullPath', { root: this.settings.folderRoot }));
    const root = await realpath(this.settings.folderRoot).catch(() => resolve(this.settings.folderRoot));
    const real = await realpath(resolve(location)).catch(() => null);
    if (!real || !(await stat(real)).isDirectory()) throw new DomainError('VALIDATION_FAILED', text('wireNoFolder', { path: location }));
    if (real !== root && !real.startsWith(root + sep)) throw new DomainError('VALIDATION_FAILED', text('wireFolderOutside', { root: this.settings.folderRoot }));
    return real;
  }

  // ——— polling (the wire.poll job) ———

  /**
   * At start-up: every enabled source has its next poll on the job table (a poll job
   * that ran out of retries, say after the database was unreachable, would end the chain).
   */
  async ensureScheduled(): Promise<number> {
    let added = 0;
    for (const s of await this.repo.listSources()) {
      if (!s.enabled || (await this.jobs.isActive(wirePollJobKey(s.id)))) continue;
      await this.jobs.enqueue(JobName.WirePoll, { sourceId: s.id }, { key: wirePollJobKey(s.id), runAt: s.next_poll_at ?? this.clock() });
      added++;
    }
    return added;
  }

  /**
   * Reads the source once and schedules the next read: after the interval when it
   * worked (or was unchanged), later and later while it fails. Never throws for the
   * source's own faults, so the job is not retried on top of the backoff.
   */
  async poll(sourceId: number): Promise<PollOutcome | null> {
    const source = await this.repo.findSource(sourceId);
    if (!source || !source.enabled) return null;
    const now = this.clock();
    let outcome: PollOutcome;
    try {
      const read = await readWireSource(
        { kind: source.kind, location: source.location, language: source.language, etag: source.etag, lastModified: source.last_modified },
        { fetch: { timeoutMs: this.settings.timeoutMs, maxBytes: this.settings.maxBytes, allowed: this.allowed, refusalHint: REFUSAL_HINT } },
      );
      if (read.status === 'not-modified') {
        outcome = { status: 'not-modified', received: 0, corrected: 0, duplicates: 0, error: null, nextPollAt: now + source.interval_seconds * 1000 };
        await this.finish(source, outcome, {});
      } else {
        const { received, corrected, duplicates } = await this.store(source, read.entries, now);
        outcome = { status: 'ok', received, corrected, duplicates, error: read.problems.length ? read.problems.slice(0, 5).join('; ').slice(0, 2000) : null, nextPollAt: now + source.interval_seconds * 1000 };
        await this.finish(source, outcome, { etag: read.etag, last_modified: read.lastModified, items_received: source.items_received + received });
      }
    } catch (err) {
      const message = (err instanceof Error ? err.message : String(err)).slice(0, 2000);
      outcome = { status: 'error', received: 0, corrected: 0, duplicates: 0, error: message, nextPollAt: now + wireBackoffMs(source.interval_seconds, source.failure_streak + 1) };
      await this.finish(source, outcome, { failure_streak: source.failure_streak + 1 });
    }
    return outcome;
  }

  private async finish(source: WireSourceRow, outcome: PollOutcome, changes: Partial<WireSourceRow>): Promise<void> {
    const now = this.clock();
    await this.db.transaction().execute(async (trx) => {
      await this.repo.updateSource(
        source.id,
        { failure_streak: 0, ...changes, last_polled_at: now, last_status: outcome.status, last_error: outcome.error, next_poll_at: outcome.nextPollAt, updated_at: now },
        trx,
      );
      if (outcome.nextPollAt !== null) await this.jobs.enqueue(JobName.WirePoll, { sourceId: source.id }, { key: wirePollJobKey(source.id), runAt: outcome.nextPollAt }, trx);
    });
  }

  /**
   * New entries into the queue. A guid the source sent before with the same text, or a
   * story any source sent before (same hash), is dropped; a guid sent before with other
   * text is the agency's correction and replaces the queued copy (`corrected_at`). A draft
   * already made from it is the newsroom's text and is left alone; the queue says so.
   */
  private async store(source: WireSourceRow, entries: WireEntry[], now: number): Promise<{ received: number; corrected: number; duplicates: number }> {
    return this.db.transaction().execute(async (trx) => {
      const knownGuids = await this.repo.knownGuidHashes(source.id, entries.map((e) => e.guid), trx);
      const knownHashes = await this.repo.knownHashes(entries.map((e) => e.contentHash), trx);
      let received = 0;
      let corrected = 0;
      let duplicates = 0;
      for (const e of entries) {
        const known = e.guid ? knownGuids.get(e.guid) : undefined;
        if (e.guid && e.headline && known && known.contentHash !== e.contentHash && !knownHashes.has(e.contentHash)) {
          await this.repo.correctItem(
            known.id,
            { content_hash: e.contentHash, headline: e.headline, summary: e.summary, body_html: e.bodyHtml, byline: e.byline, language: e.language, link: e.link, published_at: e.publishedAt, corrected_at: now },
            trx,
          );
          known.contentHash = e.contentHash;
          knownHashes.add(e.contentHash);
          corrected++;
          continue;
        }
        if (!e.guid || !e.headline || known || knownHashes.has(e.contentHash)) {
          duplicates++;
          continue;
        }
        knownGuids.set(e.guid, { id: 0, contentHash: e.contentHash });
        knownHashes.add(e.contentHash);
        const id = await this.repo.insertItem(
          { source_id: source.id, guid: e.guid, content_hash: e.contentHash, headline: e.headline, summary: e.summary, body_html: e.bodyHtml, byline: e.byline, language: e.language, link: e.link, published_at: e.publishedAt, received_at: now, article_id: null, drafted_at: null },
          trx,
        );
        knownGuids.get(e.guid)!.id = id;
        received++;
      }
      return { received, corrected, duplicates };
    });
  }

  // ——— the Incoming queue ———

  incoming(filter: IncomingFilter, limit: number): Promise<WireItemRow[]> {
    return this.repo.listItems(filter, limit);
  }

  languages(): Promise<string[]> {
    return this.repo.languages();
  }

  async item(id: number): Promise<WireItemRow> {
    const row = await this.repo.findItem(id);
    if (!row) throw new DomainError('NOT_FOUND', text('wireItemNotFound', { id: String(id) }));
    return row;
  }

  /**
   * Turns an incoming item into a draft: headline, summary, byline and language as the
   * wire sent them, the agency as the article's source, the body through the editor's
   * sanitizer (the workflow's own). The item is claimed first, so two editors never make two drafts.
   */
  async makeDraft(actor: Principal, itemId: number, input: { sectionId?: number }): Promise<{ item: WireItemRow; articleId: number }> {
    const item = await this.item(itemId);
    if (item.drafted_at !== null) throw new DomainError('CONFLICT', item.article_id ? text('wireItemIsDraft', { id: String(item.article_id) }) : text('wireItemDrafted'));
    const source = await this.repo.findSource(item.source_id);
    const sections = await this.catalog.sections();
    const sectionId = input.sectionId ?? sections[0]?.id;
    if (sectionId === undefined) throw new DomainError('VALIDATION_FAILED', text('wireNoSections'));
    if (!sections.some((s) => s.id === sectionId)) throw new DomainError('VALIDATION_FAILED', text('sectionNotFound', { id: String(sectionId) }));
    const now = this.clock();
    if (!(await this.repo.claim(itemId, now))) throw new DomainError('CONFLICT', text('wireItemRace'));
    try {
      const article = await this.workflow.create(actor, {
        headline: item.headline,
        dek: item.summary,
        bodyHtml: item.body_html,
        sectionId,
        language: item.language,
        byline: item.byline,
        source: source ? source.agency || source.name : '',
      });
      await this.db.transaction().execute(async (trx) => {
        await this.repo.setArticle(itemId, article.id, trx);
        await this.audit.record(actor, 'wire-item.draft', `wire-item:${itemId}`, `draft ${article.id} from ${source?.name ?? 'a removed source'}: ${item.headline}`, trx);
      });
      return { item: await this.item(itemId), articleId: article.id };
    } catch (err) {
      await this.repo.unclaim(itemId);
      throw err;
    }
  }
}
