import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { sharp } from './sharp.js';
import type Sharp from 'sharp';
import { DomainError } from '../domain/errors.js';
import { text, type TermKey } from '../site/i18n.js';
import {
  focalCrop,
  mediaBaseName,
  nearestRatio,
  originalKey,
  pictureOf,
  posterKey,
  RENDITION_FORMATS,
  RENDITION_RATIOS,
  ratioValue,
  renditionKey,
  renditionWidths,
  type RenditionFormat,
} from '../domain/media-keys.js';
import type { MediaItem, MediaRepository, MediaUpdate } from '../db/repositories/media.repository.js';
import type { Database } from '../db/schema.js';
import { JobName } from '../jobs/job-names.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { MediaStore } from '../storage/media-store.js';
import type { TempArea } from '../storage/temp-area.js';
import type { Clock } from './clock.js';
import { firstLiveArticleNotEditable } from '../domain/media-rules.js';
import type { Principal } from '../domain/roles.js';
import { TEXT_LIMITS } from '../domain/limits.js';
import type { AuditService } from './audit.service.js';
import {
  assertHonestLabel,
  FFMPEG_MISSING_WARNING,
  hasFfmpeg,
  probeImage,
  probeVideo,
  sniffFile,
  videoPosterFrame,
} from './media-probe.js';

export interface MediaSettings {
  sitePrefix: string;
  maxImageMegapixels: number;
  /** Where probing works (DATA_DIR/tmp); the OS temp folder when absent (scripts). */
  temp?: TempArea;
}

/** A finished upload on local disk, waiting to be checked and stored. */
export interface IngestInput {
  path: string;
  declaredMime?: string;
  filename?: string;
  alt?: string;
  caption?: string;
  credit?: string;
  licence?: string;
  /** Upload time (default now): names the date folder and the ticks. */
  uploadedAt?: number;
}

export interface MediaPatch {
  alt?: string;
  caption?: string;
  credit?: string;
  licence?: string;
  focalX?: number;
  focalY?: number;
}

const MIME: Record<RenditionFormat, string> = { avif: 'image/avif', webp: 'image/webp', jpeg: 'image/jpeg' };
const ENCODE: Record<RenditionFormat, (s: Sharp.Sharp) => Sharp.Sharp> = {
  avif: (s) => s.avif({ quality: 50, effort: 2 }),
  webp: (s) => s.webp({ quality: 72, effort: 3 }),
  jpeg: (s) => s.jpeg({ quality: 78, mozjpeg: true }),
};

/** The media library: checked uploads, tick-named storage, renditions, reuse and deletion. */
export class MediaService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly media: MediaRepository,
    private readonly store: MediaStore,
    private readonly jobs: JobQueue,
    private readonly settings: MediaSettings,
    private readonly clock: Clock,
    /** Every upload, edit and deletion is audited (absent only in scripts that never change media by hand). */
    private readonly audit?: AuditService,
  ) {}

  private readonly changeListeners: ((item: { id: number; key: string }) => Promise<void>)[] = [];

  /** Told after an item's metadata or renditions changed (the page cache purges the pages showing it). */
  onMediaChanged(listener: (item: { id: number; key: string }) => Promise<void>): void {
    this.changeListeners.push(listener);
  }

  private async mediaChanged(item: { id: number; key: string }): Promise<void> {
    for (const listener of this.changeListeners) await listener(item).catch(() => undefined);
  }

  /** The same text limits as the admin API's schemas, for callers that bypass them. */
  private checkText(field: 'alt' | 'caption' | 'credit' | 'licence', value: string | undefined): void {
    if (value !== undefined && value.length > TEXT_LIMITS[field]) {
      throw new DomainError('VALIDATION_FAILED', text('textTooLong', { label: { term: `field.${field}` }, length: value.length, max: TEXT_LIMITS[field] }));
    }
  }

  /**
   * Checks a finished upload (type from content, honest label, complete, not a bomb),
   * stores the original (and a video's poster frame), records it and queues its
   * renditions. Anything refused leaves no file and no row behind.
   */
  async ingest(input: IngestInput, actor: Principal | null = null): Promise<MediaItem> {
    for (const field of ['alt', 'caption', 'credit', 'licence'] as const) this.checkText(field, input[field]);
    const type = await sniffFile(input.path);
    assertHonestLabel(type.mime, input.declaredMime, input.filename);
    const uploadedAt = input.uploadedAt ?? this.clock();
    const base = mediaBaseName(this.settings.sitePrefix, new Date(uploadedAt));
    const stored: string[] = [];
    const warnings: string[] = [];
    let width: number | null = null;
    let height: number | null = null;
    let durationMs: number | null = null;
    let codecs = '';
    let poster: string | null = null;
    let key: string;
    const work = this.settings.temp ? await this.settings.temp.create('ingest') : await mkdtemp(join(tmpdir(), 'dateline-ingest-'));
    try {
      if (type.kind === 'image') {
        ({ width, height } = await probeImage(input.path, this.settings.maxImageMegapixels));
        key = originalKey(base, nearestRatio(width, height), type.ext);
      } else if (await hasFfmpeg()) {
        const facts = await probeVideo(input.path);
        ({ width, height, durationMs, codecs } = facts);
        key = originalKey(base, width && height ? nearestRatio(width, height) : '16x9', type.ext);
        const frame = join(work, 'poster.jpg');
        await videoPosterFrame(input.path, durationMs, frame);
        poster = posterKey(key);
        await this.store.put(poster, { path: frame }, 'image/jpeg');
        stored.push(poster);
      } else {
        key = originalKey(base, '16x9', type.ext);
        warnings.push(FFMPEG_MISSING_WARNING);
      }
      await this.store.put(key, { path: input.path }, type.mime);
      stored.push(key);
      const { size } = await stat(input.path);
      const hasPicture = type.kind === 'image' || poster !== null;
      const id = await this.db.transaction().execute(async (trx) => {
        const id = await this.media.insert(
          {
            kind: type.kind,
            storage_key: key,
            mime: type.mime,
            width,
            height,
            duration_ms: durationMs,
            poster_key: poster,
            alt: input.alt?.trim() ?? '',
            caption: input.caption?.trim() ?? '',
            credit: input.credit?.trim() ?? '',
            licence: input.licence?.trim() ?? '',
            original_name: (input.filename ?? '').slice(0, 255),
            bytes: size,
            codecs,
            state: hasPicture ? 'processing' : 'ready',
            warnings_json: JSON.stringify(warnings),
            created_at: uploadedAt,
          },
          trx,
        );
        if (hasPicture) await this.jobs.enqueue(JobName.MediaRenditions, { mediaId: id }, { key: `renditions:${id}` }, trx);
        if (actor) await this.audit?.record(actor, 'media.upload', `media:${id}`, `${type.kind} ${key} (${input.filename ?? 'unnamed'}, ${size} bytes)`, trx);
        return id;
      });
      return (await this.media.findById(id))!;
    } catch (err) {
      await Promise.all(stored.map((k) => this.store.delete(k).catch(() => {})));
      throw err;
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }

  async get(id: number): Promise<MediaItem> {
    const item = await this.media.findById(id);
    if (!item) throw new DomainError('MEDIA_NOT_FOUND', text('mediaNotFound', { id: String(id) }));
    return item;
  }

  async list(opts: { q?: string; kind?: 'image' | 'video'; limit: number; before?: { createdAt: number; id: number } }): Promise<MediaItem[]> {
    return this.media.list(opts);
  }

  async usage(id: number) {
    return this.media.usage(await this.get(id));
  }

  /** Edits metadata; a new focal point redoes the crops under new names (old URLs stay cacheable). */
  async update(id: number, patch: MediaPatch, actor: Principal | null = null): Promise<MediaItem> {
    const item = await this.get(id);
    if (actor) await this.assertMayChange(actor, item);
    const changes: MediaUpdate = {};
    const summary: string[] = [];
    for (const field of ['alt', 'caption', 'credit', 'licence'] as const) {
      this.checkText(field, patch[field]);
      if (patch[field] !== undefined) {
        changes[field] = patch[field].trim();
        if (changes[field] !== item[field]) summary.push(`${field}: "${item[field].slice(0, 80)}" → "${changes[field]!.slice(0, 80)}"`);
      }
    }
    const focalChanged =
      (patch.focalX !== undefined && patch.focalX !== item.focalX) || (patch.focalY !== undefined && patch.focalY !== item.focalY);
    await this.db.transaction().execute(async (trx) => {
      if (focalChanged) {
        changes.focal_x = patch.focalX ?? item.focalX;
        changes.focal_y = patch.focalY ?? item.focalY;
        if (pictureOf(item)) {
          changes.rendition_version = item.renditionVersion + 1;
          changes.state = 'processing';
          await this.jobs.enqueue(JobName.MediaRenditions, { mediaId: id }, { key: `renditions:${id}` }, trx);
        }
      }
      await this.media.update(id, changes, trx);
      if (focalChanged) summary.push(`focal point → ${changes.focal_x}, ${changes.focal_y}`);
      if (actor) await this.audit?.record(actor, 'media.update', `media:${id}`, `${item.key}: ${summary.join('; ') || 'no change'}`, trx);
    });
    await this.mediaChanged(item);
    return this.get(id);
  }

  /** Media a live article shows may be changed only by someone who may change that article (issue 10). */
  private async assertMayChange(actor: Principal, item: MediaItem): Promise<void> {
    const blocked = firstLiveArticleNotEditable(actor, await this.media.liveUsage(item));
    if (blocked) {
      throw new DomainError(
        'FORBIDDEN',
        text('mediaEditBlocked', { kind: { term: `media.${item.kind}` as TermKey }, status: { term: `status.${blocked.status}` as TermKey }, id: String(blocked.id), headline: blocked.headline }),
      );
    }
  }

  /** Deletes an unused item and all its files; refuses (409) while any article uses it. */
  async delete(id: number, actor: Principal | null = null): Promise<void> {
    const item = await this.get(id);
    const used = await this.media.usage(item);
    if (used.length) {
      throw new DomainError('MEDIA_IN_USE', text('mediaInUse', { articles: { plural: 'articles', count: used.length }, id: String(used[0]!.id), headline: used[0]!.headline }));
    }
    const renditions = await this.media.renditionsOf(id);
    await this.db.transaction().execute(async (trx) => {
      await this.media.delete(id, trx);
      if (actor) await this.audit?.record(actor, 'media.delete', `media:${id}`, `${item.kind} ${item.key} (${item.originalName || 'unnamed'})`, trx);
    });
    const keys = [item.key, item.posterKey, ...renditions.map((r) => r.storage_key)].filter((k): k is string => !!k);
    await Promise.all(keys.map((k) => this.store.delete(k)));
  }

  /** Renditions could not be made after every retry: pages keep the original, editors see why. */
  async markFailed(mediaId: number, reason: string): Promise<void> {
    const item = await this.media.findById(mediaId);
    if (!item) return;
    const warnings = [...item.warnings, `Renditions could not be made: ${reason}`];
    await this.media.update(mediaId, { state: 'failed', warnings_json: JSON.stringify(warnings) });
  }

  /**
   * The renditions job: every ratio around the focal point, every width up to the
   * source's, AVIF + WebP + JPEG, EXIF orientation applied and all metadata (GPS
   * included) dropped. Idempotent: running it again rewrites the same set.
   */
  async makeRenditions(mediaId: number): Promise<void> {
    const item = await this.media.findById(mediaId);
    if (!item) return;
    const picture = pictureOf(item);
    if (!picture) {
      await this.media.update(mediaId, { state: 'ready' });
      return;
    }
    const source = await this.store.read(picture.key);
    const limitInputPixels = Math.ceil(this.settings.maxImageMegapixels * 1e6);
    // Decode and orient once; every crop starts from these pixels.
    const { data, info } = await sharp(source, { limitInputPixels }).rotate().removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const raw = { raw: { width: info.width, height: info.height, channels: info.channels } } as const;
    const rows: { ratio: string; width: number; height: number; format: RenditionFormat; storage_key: string; bytes: number }[] = [];
    for (const ratio of RENDITION_RATIOS) {
      const crop = focalCrop(info.width, info.height, ratio, item.focalX, item.focalY);
      const widths = renditionWidths(crop.width);
      const largest = Math.max(...widths);
      const largestHeight = Math.round(largest / ratioValue(ratio));
      // One resize to the largest width, then the smaller ones from it (cheaper than from the source).
      const top = await sharp(data, raw).extract(crop).resize(largest, largestHeight).raw().toBuffer({ resolveWithObject: true });
      const topRaw = { raw: { width: top.info.width, height: top.info.height, channels: top.info.channels } } as const;
      for (const width of widths) {
        const height = Math.round(width / ratioValue(ratio));
        for (const format of RENDITION_FORMATS) {
          const out = await ENCODE[format](sharp(top.data, topRaw).resize(width, height)).toBuffer();
          const key = renditionKey(picture.key, ratio, width, format, item.renditionVersion);
          await this.store.put(key, out, MIME[format]);
          rows.push({ ratio, width, height, format, storage_key: key, bytes: out.length });
        }
      }
    }
    const old = await this.db.transaction().execute(async (trx) => {
      const previous = await this.media.replaceRenditions(mediaId, rows, trx);
      await this.media.update(mediaId, { state: 'ready' }, trx);
      return previous;
    });
    await this.mediaChanged(item);
    const keep = new Set(rows.map((r) => r.storage_key));
    await Promise.all(old.filter((r) => !keep.has(r.storage_key)).map((r) => this.store.delete(r.storage_key).catch(() => {})));
  }
}
