import { ticksFromDate } from './ticks.js';

/**
 * Storage keys, as on the reference site: `YYYY/MM/DD/<site>_<ticks>_<profile>_<ratio>.<ext>`,
 * `<ticks>` the upload time in .NET ticks. Originals use profile `orig`; renditions
 * `<width>w` (plus `v<n>` once the crop was redone, so cached URLs never change meaning).
 */
export const RENDITION_RATIOS = ['16x9', '4x3', '1x1'] as const;
export type RenditionRatio = (typeof RENDITION_RATIOS)[number];
/**
 * Rendition widths. 1200 is there for structured data and social cards (Google asks for
 * pictures at least 1200 px wide): an original 1200–1599 px wide would otherwise top out at 1024.
 */
export const RENDITION_WIDTHS = [320, 640, 1024, 1200, 1600] as const;
export const RENDITION_FORMATS = ['avif', 'webp', 'jpeg'] as const;
export type RenditionFormat = (typeof RENDITION_FORMATS)[number];
/** The rendition legacy `pic` fields and thumbnails point at. */
export const LEGACY_PIC = { ratio: '4x3' as RenditionRatio, width: 640, format: 'jpeg' as RenditionFormat };

const RATIO_VALUES: Record<RenditionRatio, number> = { '16x9': 16 / 9, '4x3': 4 / 3, '1x1': 1 };
const EXTENSIONS: Record<RenditionFormat, string> = { avif: 'avif', webp: 'webp', jpeg: 'jpg' };

let lastTicks = 0n;

const TICKS_PER_SECOND = 10_000_000n;

/**
 * Upload ticks, distinct within this process even for uploads in the same tick or
 * millisecond: a time at or just behind the last one moves one tick past it. (A time
 * far behind, e.g. an import with old dates, keeps its own ticks.)
 */
export function uniqueTicks(at: Date): bigint {
  let ticks = ticksFromDate(at);
  if (ticks <= lastTicks && lastTicks - ticks < TICKS_PER_SECOND) ticks = lastTicks + 1n;
  lastTicks = ticks;
  return ticks;
}

function dateFolder(at: Date): string {
  const y = at.getUTCFullYear();
  const m = String(at.getUTCMonth() + 1).padStart(2, '0');
  const d = String(at.getUTCDate()).padStart(2, '0');
  return `${y}/${m}/${d}`;
}

/** The nearest named ratio of a width/height, for the original's name (`3x2`, `4x3`, `16x9`, …). */
export function nearestRatio(width: number, height: number): string {
  const named: [string, number][] = [['1x1', 1], ['4x3', 4 / 3], ['3x2', 1.5], ['16x9', 16 / 9], ['3x4', 0.75], ['2x3', 2 / 3], ['9x16', 9 / 16], ['21x9', 21 / 9]];
  const r = width / height;
  let best = named[0]!;
  for (const n of named) if (Math.abs(Math.log(n[1] / r)) < Math.abs(Math.log(best[1] / r))) best = n;
  return best[0];
}

export interface MediaBaseName {
  folder: string;
  stem: string; // `<site>_<ticks>`
}

export function mediaBaseName(site: string, at: Date, ticks = uniqueTicks(at)): MediaBaseName {
  return { folder: dateFolder(at), stem: `${site}_${ticks}` };
}

export function originalKey(base: MediaBaseName, ratio: string, ext: string): string {
  return `${base.folder}/${base.stem}_orig_${ratio}.${ext}`;
}

/** A rendition's key, derived from the original's key. */
export function renditionKey(original: string, ratio: RenditionRatio, width: number, format: RenditionFormat, version = 1): string {
  const m = /^(.*\/[^/]+?_\d+)_[^_/]+_[^_/]+\.[^./]+$/.exec(original);
  const stem = m ? m[1] : original.replace(/\.[^./]+$/, '');
  return `${stem}_${width}w${version > 1 ? `v${version}` : ''}_${ratio}.${EXTENSIONS[format]}`;
}

/** A video's poster frame key. */
export function posterKey(original: string): string {
  const m = /^(.*\/[^/]+?_\d+)_[^_/]+_([^_/]+)\.[^./]+$/.exec(original);
  return m ? `${m[1]}_poster_${m[2]}.jpg` : `${original}.poster.jpg`;
}

export interface CropBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * The largest box of the given ratio inside width×height, centred on the focal point
 * (0–1 each) as far as the edges allow.
 */
export function focalCrop(width: number, height: number, ratio: RenditionRatio, focalX = 0.5, focalY = 0.5): CropBox {
  const target = RATIO_VALUES[ratio];
  let w = width;
  let h = Math.round(width / target);
  if (h > height) {
    h = height;
    w = Math.round(height * target);
  }
  const clamp = (v: number, max: number) => Math.max(0, Math.min(max, v));
  const left = clamp(Math.round(focalX * width - w / 2), width - w);
  const top = clamp(Math.round(focalY * height - h / 2), height - h);
  return { left, top, width: w, height: h };
}

export function ratioValue(ratio: RenditionRatio): number {
  return RATIO_VALUES[ratio];
}

/** Rendition widths for a crop: the standard widths that need no upscaling (at least one). */
export function renditionWidths(cropWidth: number): number[] {
  const widths = RENDITION_WIDTHS.filter((w) => w <= cropWidth);
  return widths.length ? [...widths] : [cropWidth];
}

/**
 * The widest rendition of one crop and format, computed directly (no full plan): what
 * feeds, sitemaps and share tags need, once per row.
 */
export function widestRendition(picture: { key: string; width: number; height: number; version: number }, ratio: RenditionRatio, format: RenditionFormat): PlannedRendition {
  const crop = focalCrop(picture.width, picture.height, ratio);
  const width = Math.max(...renditionWidths(crop.width));
  return { ratio, format, width, height: Math.round(width / ratioValue(ratio)), key: renditionKey(picture.key, ratio, width, format, picture.version) };
}

export interface PlannedRendition {
  ratio: RenditionRatio;
  format: RenditionFormat;
  width: number;
  height: number;
  key: string;
}

/**
 * Every rendition of a picture, derived from its key, size, focal point and version:
 * pages build `srcset`s from this without a query, and the rendition job makes exactly these.
 */
export function plannedRenditions(picture: { key: string; width: number; height: number; version: number }): PlannedRendition[] {
  const out: PlannedRendition[] = [];
  for (const ratio of RENDITION_RATIOS) {
    const crop = focalCrop(picture.width, picture.height, ratio);
    for (const width of renditionWidths(crop.width)) {
      const height = Math.round(width / ratioValue(ratio));
      for (const format of RENDITION_FORMATS) {
        out.push({ ratio, format, width, height, key: renditionKey(picture.key, ratio, width, format, picture.version) });
      }
    }
  }
  return out;
}

/** The picture behind a media item: the image itself, or a video's poster frame. */
export function pictureOf(media: { kind: 'image' | 'video'; key: string; posterKey: string | null; width: number | null; height: number | null; renditionVersion: number }) {
  const key = media.kind === 'video' ? media.posterKey : media.key;
  if (!key || !media.width || !media.height) return null;
  return { key, width: media.width, height: media.height, version: media.renditionVersion };
}

/**
 * The legacy `pic` of a related item: a video's own .mp4, an image's 4x3 JPEG
 * rendition (640 wide, or the widest below), or the original while renditions are made.
 */
export function legacyPicKey(media: { kind: 'image' | 'video'; key: string; posterKey: string | null; width: number | null; height: number | null; renditionVersion: number; state: string }): string {
  if (media.kind === 'video') return media.key;
  const picture = pictureOf(media);
  if (!picture || media.state !== 'ready') return media.key;
  const jpegs = plannedRenditions(picture).filter((r) => r.ratio === LEGACY_PIC.ratio && r.format === LEGACY_PIC.format && r.width <= LEGACY_PIC.width);
  return (jpegs.at(-1) ?? plannedRenditions(picture).find((r) => r.ratio === LEGACY_PIC.ratio && r.format === LEGACY_PIC.format))?.key ?? media.key;
}
