import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { ImportCatalog, ImportDraft, ImportItemReport, LegacyRelatedRef } from '../../domain/import-draft.js';
import { mediaTypeOf } from '../../domain/import-draft.js';
import { canonicalLanguage } from '../../domain/language.js';
import { slugify } from '../../domain/slug.js';
import type { ImportItemRecord } from '../../db/repositories/import.repository.js';
import type { Repositories } from '../../db/repositories/index.js';
import type { Database } from '../../db/schema.js';
import type { JobQueue } from '../../jobs/job-queue.js';
import type { MediaStore } from '../../storage/media-store.js';
import type { Clock } from '../clock.js';
import { htmlToText, sanitizeBody } from '../html-sanitizer.js';
import type { PublishingService } from '../publishing.service.js';
import { ImportMediaWriter } from './import-media.js';
import { OldLinkRewriter } from './old-link-rewriter.js';

export interface ImportRunOptions {
  dryRun?: boolean;
  /** Authors, terms and media the source defines apart from its items: written first, in one transaction. */
  catalog?: ImportCatalog;
  /** Drafts written per transaction (default 500). */
  batchSize?: number;
  onItem?: (report: ImportItemReport) => void;
  /**
   * When search and related lists learn about the imported articles: `end` (default) in
   * one pass after the last batch (a bulk rebuild when many arrived), `batch` after each
   * batch, `false` not at all (left for the next run or `dateline reindex`).
   */
  index?: 'end' | 'batch' | false;
  /** Told when the indexing pass starts (the CLI's progress). */
  onIndexing?: (pending: number, bulk: boolean) => void;
  /** Told when search finds every imported article (related lists may still be computing). */
  onSearchable?: () => void;
}

/** Rebuilds search and computes related lists for many articles at once (from the composition root). */
export interface BulkIndexer {
  /** Whether this many pending articles are worth a full search rebuild (searches miss articles while it runs). */
  worthRebuilding(pending: number): Promise<boolean>;
  rebuildSearch(): Promise<number>;
  /** Recomputes every published article's engine list (the older ones may now take the new articles). */
  refreshAllRelated(): Promise<void>;
}

export interface ImportSummary {
  created: number;
  updated: number;
  skipped: number;
  repaired: number;
  failed: number;
  placeholders: number;
}

const MAX_HEADLINE = 300;
const UNSAFE = /<(script|style|iframe|object|embed|form)\b|\son\w+\s*=|javascript:/i;
class DryRunRollback extends Error {}

/**
 * The front door of every import: normalized drafts in, articles out. Batches share a
 * transaction; each draft's source key is recorded in the same transaction, so a re-run
 * after a crash skips what was committed and never duplicates.
 */
export interface ImportSettings {
  /** Origins of the old site (LEGACY_ORIGINS): links to them are rewritten to imported articles. */
  legacyOrigins?: readonly string[];
  /** Bulk indexing after large imports; without it every article is indexed on its own. */
  bulk?: BulkIndexer;
}

export class ImportService {
  private readonly mediaWriter: ImportMediaWriter;
  private readonly links: OldLinkRewriter;
  private readonly bulk: BulkIndexer | null;
  /** Per transaction (so a rolled-back batch leaves nothing behind): what this batch has looked up or made. */
  private readonly batchCaches = new WeakMap<Transaction<Database>, BatchCache>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly repos: Repositories,
    private readonly publishing: PublishingService,
    store: MediaStore,
    jobs: JobQueue,
    private readonly clock: Clock,
    settings: ImportSettings = {},
  ) {
    this.mediaWriter = new ImportMediaWriter(repos.imports, store, jobs);
    this.links = new OldLinkRewriter(repos.imports, settings.legacyOrigins ?? []);
    this.bulk = settings.bulk ?? null;
  }

  async run(drafts: AsyncIterable<ImportDraft | { failed: string; sourceKey: string }>, options: ImportRunOptions = {}): Promise<ImportSummary> {
    const summary: ImportSummary = { created: 0, updated: 0, skipped: 0, repaired: 0, failed: 0, placeholders: 0 };
    const batchSize = options.batchSize ?? 500;
    const indexing = options.dryRun ? false : (options.index ?? 'end');
    const tell = (r: ImportItemReport) => {
      if (r.action === 'created') summary.created++;
      else if (r.action === 'updated') summary.updated++;
      else if (r.action === 'skipped') summary.skipped++;
      else summary.failed++;
      if (r.repairs.length && r.action !== 'skipped' && r.action !== 'failed') summary.repaired++;
      options.onItem?.(r);
    };
    if (options.catalog && !options.dryRun) await this.writeCatalog(options.catalog);
    // What a crashed run committed but did not index yet.
    if (indexing === 'batch') await this.indexPending();
    let batch: ImportDraft[] = [];
    const flush = async () => {
      if (!batch.length) return;
      const reports = await this.writeBatch(batch, options.dryRun ?? false, summary);
      batch = [];
      reports.forEach(tell);
      if (indexing === 'batch') await this.indexPending();
    };
    for await (const draft of drafts) {
      if ('failed' in draft) {
        tell({ sourceKey: draft.sourceKey, action: 'failed', articleId: null, headline: '', repairs: [], error: draft.failed });
        continue;
      }
      batch.push(draft);
      if (batch.length >= batchSize) await flush();
    }
    await flush();
    if (indexing === 'end') await this.indexPending(options.onIndexing, options.onSearchable);
    return summary;
  }

  /**
   * Tells search and the related engine about imported articles they do not know yet:
   * one by one (each as a publish would), or, when the import is a good part of the
   * archive, one search rebuild and one pass over every related list (as `dateline
   * reindex` does): both cost at most a few times the import itself.
   */
  async indexPending(onIndexing?: (pending: number, bulk: boolean) => void, onSearchable?: () => void): Promise<number> {
    const pending = await this.repos.imports.countUnindexed();
    if (!pending) {
      onSearchable?.();
      return 0;
    }
    const bulk = this.bulk !== null && (await this.bulk.worthRebuilding(pending));
    onIndexing?.(pending, bulk);
    if (bulk) {
      await this.bulk!.rebuildSearch();
      onSearchable?.();
      await this.bulk!.refreshAllRelated();
      let done = 0;
      for (;;) {
        const batch = await this.repos.imports.unindexed(1000);
        if (!batch.length) return done;
        await this.repos.imports.markIndexed(batch.map((p) => p.sourceKey));
        done += batch.length;
      }
    }
    let done = 0;
    for (;;) {
      const pending = await this.repos.imports.unindexed(500);
      if (!pending.length) {
        onSearchable?.();
        return done;
      }
      for (const p of pending) await this.publishing.notifyChanged(p.articleId);
      await this.repos.imports.markIndexed(pending.map((p) => p.sourceKey));
      done += pending.length;
    }
  }

  /** Users, sections, topics and media of the source, each found or made (a re-run finds them all). */
  private async writeCatalog(catalog: ImportCatalog): Promise<void> {
    const language = canonicalLanguage(catalog.language) ?? 'en';
    const now = this.clock();
    await this.db.transaction().execute(async (trx) => {
      this.batchCaches.set(trx, { items: new Map(), sections: new Map(), contentTypes: new Set() });
      for (const user of catalog.users) await this.ensureAuthor(user, now, trx);
      for (const section of catalog.sections) await this.ensureSection(section, trx);
      for (const tag of catalog.tags) {
        const name = tag.name.trim();
        if (name && slugify(name)) await this.repos.taxonomy.upsertTag({ slug: slugify(name), name, kind: tag.kind, language }, trx);
      }
      for (const media of catalog.media) await this.mediaWriter.ensure(media, now, trx, { dryRun: false, notes: [] });
      await this.repos.imports.syncIdSequences(trx);
    });
  }

  private async writeBatch(drafts: ImportDraft[], dryRun: boolean, summary: ImportSummary): Promise<ImportItemReport[]> {
    try {
      return await this.inTransaction(dryRun, (trx) => this.writeAll(drafts, trx, dryRun, summary));
    } catch (err) {
      if (drafts.length === 1) {
        return [{ sourceKey: drafts[0]!.sourceKey, action: 'failed', articleId: null, headline: drafts[0]!.headline, repairs: [], error: messageOf(err) }];
      }
      // One bad draft spoils its batch: write the batch one by one to find and report it.
      const reports: ImportItemReport[] = [];
      for (const d of drafts) reports.push(...(await this.writeBatch([d], dryRun, summary)));
      return reports;
    }
  }

  private async inTransaction<T>(dryRun: boolean, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    let result: T | undefined;
    try {
      await this.db.transaction().execute(async (trx) => {
        result = await work(trx);
        if (dryRun) throw new DryRunRollback();
        await this.repos.imports.syncIdSequences(trx);
      });
    } catch (err) {
      if (!(err instanceof DryRunRollback)) throw err;
    }
    return result as T;
  }

  private async writeAll(drafts: ImportDraft[], trx: Transaction<Database>, dryRun: boolean, summary: ImportSummary): Promise<ImportItemReport[]> {
    // One lookup for the batch's own keys and the legacy items its related lists name; placeholders made below join it.
    const relatedKeys = drafts.flatMap((d) => (d.related ?? []).map((r) => `legacy:${r.id}`));
    const known = await this.repos.imports.findItems([...new Set([...drafts.map((d) => d.sourceKey), ...relatedKeys])], trx);
    this.batchCaches.set(trx, { items: known, sections: new Map(), contentTypes: new Set() });
    const reports: ImportItemReport[] = [];
    for (const draft of drafts) {
      const placeholdersBefore = summary.placeholders;
      const report = await this.writeOne(draft, known.get(draft.sourceKey), trx, dryRun, summary);
      if (report.action !== 'skipped') {
        known.set(draft.sourceKey, { sourceKey: draft.sourceKey, articleId: report.articleId, state: 'imported', contentHash: '' });
      }
      if (dryRun && summary.placeholders > placeholdersBefore) report.repairs.push('(dry run: nothing was written)');
      reports.push(report);
    }
    await this.links.rewriteWaiting(drafts.filter((_, i) => reports[i]!.action === 'created' || reports[i]!.action === 'updated'), trx);
    return reports;
  }

  private async writeOne(d: ImportDraft, existing: ImportItemRecord | undefined, trx: Transaction<Database>, dryRun: boolean, summary: ImportSummary): Promise<ImportItemReport> {
    const repairs = [...d.repairs];
    const hash = draftHash(d);
    const base = { sourceKey: d.sourceKey, headline: d.headline };
    if (existing?.state === 'imported' && existing.contentHash === hash) {
      return { ...base, action: 'skipped', articleId: existing.articleId, repairs: ['already imported, unchanged'] };
    }
    let headline = d.headline.replace(/\s+/g, ' ').trim();
    if (!headline) return { ...base, action: 'failed', articleId: null, repairs, error: 'the item has no headline' };
    if (headline.length > MAX_HEADLINE) {
      headline = `${headline.slice(0, MAX_HEADLINE - 1)}…`;
      repairs.push(`shortened the headline to ${MAX_HEADLINE} characters`);
    }
    const language = canonicalLanguage(d.language);
    if (!language) return { ...base, action: 'failed', articleId: null, repairs, error: `"${d.language}" is not a BCP 47 language tag` };
    const now = this.clock();
    const sectionId = await this.ensureSection(d.section ?? { slug: 'archive', name: 'Archive' }, trx);
    const contentTypeId = d.contentTypeId ?? 21;
    if (!(await this.hasContentType(contentTypeId, trx))) {
      await this.addContentType(contentTypeId, trx);
      repairs.push(`content type ${contentTypeId} was unknown: added it as "legacy-${contentTypeId}"`);
    }
    if (UNSAFE.test(d.bodyHtml)) repairs.push('dropped scripts, styles, frames or event handlers from the body');
    this.links.addOrigins(d.linkOrigins ?? []);
    const links = await this.links.rewrite(sanitizeBody(d.bodyHtml), trx);
    const bodyHtml = links.html;
    const leadMediaId = d.leadMedia ? await this.mediaWriter.ensure(d.leadMedia, now, trx, { dryRun, notes: repairs }) : null;
    for (const media of d.bodyMedia ?? []) await this.mediaWriter.ensure(media, now, trx, { dryRun, notes: repairs });
    const authorId = d.author ? await this.ensureAuthor(d.author, now, trx) : null;
    const publishedAt = d.status === 'published' ? (d.publishedAt ?? now) : null;
    const row = {
      language,
      translation_group: null,
      content_type_id: contentTypeId,
      section_id: sectionId,
      status: d.status,
      slug: slugify(d.slug || headline),
      headline,
      dek: d.dek?.trim() ?? '',
      body_html: bodyHtml,
      body_text: htmlToText(bodyHtml),
      byline: d.byline?.trim() ?? '',
      source: d.source?.trim() ?? '',
      place: d.place?.trim() ?? '',
      lead_media_id: leadMediaId,
      first_published_at: publishedAt,
      published_at: publishedAt,
      updated_at: publishedAt ?? d.publishedAt ?? now,
      author_id: authorId,
    };

    let articleId: number;
    let action: 'created' | 'updated';
    if (existing?.articleId) {
      articleId = existing.articleId;
      // A placeholder's lead media came from the old related list: keep it unless the page names its own.
      const { lead_media_id, ...rest } = row;
      await this.repos.imports.updateArticle(articleId, existing.state === 'placeholder' && lead_media_id === null ? rest : row, trx);
      action = existing.state === 'placeholder' ? 'created' : 'updated';
      if (existing.state === 'placeholder') repairs.push('filled the placeholder that related lists already pointed to');
    } else {
      if (d.id !== undefined && (await this.repos.imports.articleExists(d.id, trx))) {
        return { ...base, action: 'failed', articleId: null, repairs, error: `article id ${d.id} is already used by an article this import did not create` };
      }
      articleId = await this.repos.imports.insertArticle({ ...(d.id !== undefined ? { id: d.id } : {}), ...row, created_at: publishedAt ?? d.publishedAt ?? now }, trx);
      action = 'created';
    }
    const tagIds: number[] = [];
    for (const tag of d.tags ?? []) {
      const name = tag.name.trim();
      if (name) tagIds.push(await this.repos.taxonomy.upsertTag({ slug: slugify(name), name, kind: tag.kind, language }, trx));
    }
    await this.repos.articles.setTags(articleId, tagIds, trx);
    if (d.related?.length) {
      const links = [];
      for (const ref of d.related) links.push({ relatedId: await this.relatedTarget(ref, language, sectionId, now, trx, dryRun, repairs, summary), sort: ref.sort });
      await this.repos.imports.replaceLegacyLinks(articleId, links, trx);
    }
    for (const path of d.redirects ?? []) await this.repos.imports.saveRedirect(path, articleId, now, trx);
    if (links.pending.length || action === 'updated') await this.repos.imports.savePendingLinks(articleId, links.pending, trx);
    if (links.pending.length) repairs.push(`${links.pending.length} link(s) to the old site point at articles not imported yet: rewritten when they arrive`);
    await this.repos.imports.saveItem({ sourceKey: d.sourceKey, kind: d.kind, articleId, state: 'imported', contentHash: hash, now }, trx);
    return { ...base, headline, action, articleId, repairs };
  }

  /** The article a legacy related item names: imported already, or a placeholder that its own import fills later. */
  private async relatedTarget(ref: LegacyRelatedRef, language: string, sectionId: number, now: number, trx: Transaction<Database>, dryRun: boolean, repairs: string[], summary: ImportSummary): Promise<number> {
    const key = `legacy:${ref.id}`;
    const cache = this.batchCaches.get(trx);
    const item = cache ? cache.items.get(key) : (await this.repos.imports.findItems([key], trx)).get(key);
    if (item?.articleId) return item.articleId;
    if (await this.repos.imports.articleExists(ref.id, trx)) return ref.id;
    const type = mediaTypeOf(ref.pic);
    const leadMediaId = type && ref.pic.startsWith('/')
      ? await this.mediaWriter.ensure({ key: ref.pic.slice(1), ...type }, now, trx, { dryRun, notes: repairs })
      : null;
    if (!(await this.hasContentType(ref.contentTypeId, trx))) await this.addContentType(ref.contentTypeId, trx);
    const headline = ref.title.trim() || `Article ${ref.id}`;
    await this.repos.imports.insertArticle(
      {
        id: ref.id, language, translation_group: null, content_type_id: ref.contentTypeId, section_id: sectionId, status: 'draft',
        slug: slugify(headline), headline, dek: '', body_html: '', body_text: '', byline: '', source: '', place: '',
        lead_media_id: leadMediaId, first_published_at: null, published_at: null, created_at: now, updated_at: now,
      },
      trx,
    );
    await this.repos.imports.saveItem({ sourceKey: key, kind: 'legacy', articleId: ref.id, state: 'placeholder', contentHash: '', now }, trx);
    cache?.items.set(key, { sourceKey: key, articleId: ref.id, state: 'placeholder', contentHash: '' });
    summary.placeholders++;
    repairs.push(`related item ${ref.id} is not imported yet: added a placeholder that its import will fill`);
    return ref.id;
  }

  private async ensureSection(s: { slug: string; name: string }, trx: Transaction<Database>): Promise<number> {
    const slug = slugify(s.slug) || 'archive';
    const cache = this.batchCaches.get(trx);
    const cached = cache?.sections.get(slug);
    if (cached !== undefined) return cached;
    const id = (await this.repos.imports.sectionBySlug(slug, trx)) ?? (await this.repos.taxonomy.insertSection({ slug, name: s.name.trim() || slug, names: {}, position: await this.repos.imports.nextSectionPosition(trx) }, trx));
    cache?.sections.set(slug, id);
    return id;
  }

  private async hasContentType(id: number, trx: Transaction<Database>): Promise<boolean> {
    const cache = this.batchCaches.get(trx);
    if (cache?.contentTypes.has(id)) return true;
    const exists = await this.repos.imports.contentTypeExists(id, trx);
    if (exists) cache?.contentTypes.add(id);
    return exists;
  }

  private async addContentType(id: number, trx: Transaction<Database>): Promise<void> {
    await this.repos.imports.insertContentType(id, trx);
    this.batchCaches.get(trx)?.contentTypes.add(id);
  }

  private async ensureAuthor(a: { email: string; name: string }, now: number, trx: Transaction<Database>): Promise<number> {
    const email = a.email.trim().toLowerCase();
    return (await this.repos.imports.userIdByEmail(email, trx)) ?? this.repos.imports.insertUser({ email, name: a.name.trim() || email }, now, trx);
  }
}

interface BatchCache {
  items: Map<string, ImportItemRecord>;
  sections: Map<string, number>;
  contentTypes: Set<number>;
}

/** Hash of what a draft would write (not the parser's notes): equal hashes mean nothing changed. */
export function draftHash(d: ImportDraft): string {
  const { repairs: _repairs, ...content } = d;
  return createHash('sha256').update(JSON.stringify(content)).digest('base64url');
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
