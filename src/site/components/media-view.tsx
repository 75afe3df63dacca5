import type { Media } from '../../domain/article.js';
import { mediaPath } from '../../domain/article.js';
import { pictureOf, plannedRenditions, type PlannedRendition, type RenditionRatio } from '../../domain/media-keys.js';

interface CropSources {
  avif: string;
  webp: string;
  jpeg: string;
  fallback: PlannedRendition;
  /** The JPEG to share (Open Graph): up to 1024 wide. */
  share: PlannedRendition;
}

// Pages show the same pictures over and over: keep their computed srcsets (bounded).
const cropMemo = new Map<string, CropSources>();
const CROP_MEMO_LIMIT = 20_000;

/** Sources of one crop (up to `maxWidth`), widest JPEG last; null while renditions are being made. */
function crop(media: Media, ratio: RenditionRatio, maxWidth = Infinity): CropSources | null {
  const picture = pictureOf(media);
  if (!picture || media.state !== 'ready') return null;
  const memoKey = `${picture.key}|${picture.width}|${picture.height}|${picture.version}|${ratio}|${maxWidth}`;
  let sources = cropMemo.get(memoKey);
  if (!sources) {
    sources = computeCrop(picture, ratio, maxWidth);
    if (cropMemo.size >= CROP_MEMO_LIMIT) cropMemo.clear();
    cropMemo.set(memoKey, sources);
  }
  return sources;
}

function computeCrop(picture: NonNullable<ReturnType<typeof pictureOf>>, ratio: RenditionRatio, maxWidth: number): CropSources {
  const inCrop = plannedRenditions(picture).filter((r) => r.ratio === ratio);
  const capped = inCrop.filter((r) => r.width <= maxWidth);
  const all = capped.length ? capped : inCrop.filter((r) => r.width === Math.min(...inCrop.map((x) => x.width)));
  const srcset = (format: string) =>
    all
      .filter((r) => r.format === format)
      .map((r) => `${mediaPath(r.key)} ${r.width}w`)
      .join(', ');
  const jpegs = all.filter((r) => r.format === 'jpeg');
  const fallback = jpegs.find((r) => r.width === 640) ?? jpegs.at(-1)!;
  return { avif: srcset('avif'), webp: srcset('webp'), jpeg: srcset('jpeg'), fallback, share: jpegs.filter((r) => r.width <= 1024).at(-1) ?? fallback };
}

/** The picture to share (Open Graph): a 16x9 JPEG rendition up to 1024 wide, else the original picture. */
export function shareImageKey(media: Media): string | null {
  return crop(media, '16x9')?.share.key ?? thumbnailKey(media);
}

/** The picture a list or related box shows for an item: the image, or a video's poster. */
export function thumbnailKey(media: Media): string | null {
  return media.kind === 'video' ? media.posterKey : media.key;
}

const escapeAttr = (v: string) => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeText = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

interface PictureOptions {
  ratio: RenditionRatio;
  sizes: string;
  alt: string;
  eager?: boolean;
  /** `fetchpriority="high"`: the first picture a reader sees. Defaults to `eager`. */
  priority?: boolean;
  maxWidth?: number;
}

const pictureMemo = new Map<string, string>();

/**
 * A responsive picture as markup: AVIF and WebP sources, JPEG fallback, intrinsic size
 * set (no layout shift). Built as a string and memoized per picture and options: a page
 * shows several, and their long srcsets are the costliest part of rendering one.
 */
function pictureHtml(media: Media, o: PictureOptions): string {
  const picture = pictureOf(media);
  const memoKey = `${media.key}|${picture?.key}|${media.width}|${media.height}|${media.renditionVersion}|${media.state}|${o.ratio}|${o.sizes}|${o.alt}|${o.eager}|${o.priority}|${o.maxWidth}`;
  const hit = pictureMemo.get(memoKey);
  if (hit !== undefined) return hit;
  const c = crop(media, o.ratio, o.maxWidth);
  const loading = o.eager ? '' : ' loading="lazy"';
  let html = '';
  if (!c) {
    const key = thumbnailKey(media);
    const size = media.width && media.height ? ` width="${media.width}" height="${media.height}"` : '';
    if (key) html = `<img src="${escapeAttr(mediaPath(key))}" alt="${escapeAttr(o.alt)}"${size}${loading} decoding="async"/>`;
  } else {
    const sizes = escapeAttr(o.sizes);
    html =
      `<picture><source type="image/avif" srcset="${escapeAttr(c.avif)}" sizes="${sizes}"/>` +
      `<source type="image/webp" srcset="${escapeAttr(c.webp)}" sizes="${sizes}"/>` +
      `<img src="${escapeAttr(mediaPath(c.fallback.key))}" srcset="${escapeAttr(c.jpeg)}" sizes="${sizes}" alt="${escapeAttr(o.alt)}"` +
      ` width="${c.fallback.width}" height="${c.fallback.height}"${loading}${(o.priority ?? o.eager) ? ' fetchpriority="high"' : ''} decoding="async"/></picture>`;
  }
  if (pictureMemo.size >= CROP_MEMO_LIMIT) pictureMemo.clear();
  pictureMemo.set(memoKey, html);
  return html;
}

/** Lead photo or video of an article page, with caption and credit. */
export function LeadMedia({ media }: { media: Media }) {
  const caption = [media.caption, media.credit].filter(Boolean).join(' — ');
  if (media.kind === 'video') {
    const poster = crop(media, '16x9');
    return (
      <figure class="lead-media">
        <video
          controls
          preload="none"
          poster={poster ? mediaPath(poster.fallback.key) : media.posterKey ? mediaPath(media.posterKey) : undefined}
          width={media.width ?? undefined}
          height={media.height ?? undefined}
          aria-label={media.alt || undefined}
        >
          <source src={mediaPath(media.key)} type={media.mime} />
        </video>
        {caption ? <figcaption>{caption}</figcaption> : null}
      </figure>
    );
  }
  const picture = pictureHtml(media, { ratio: '16x9', sizes: '(min-width: 60rem) 42rem, calc(100vw - 2rem)', alt: media.alt, eager: true });
  return <figure class="lead-media" dangerouslySetInnerHTML={{ __html: caption ? `${picture}<figcaption>${escapeText(caption)}</figcaption>` : picture }} />;
}

/** Where a thumbnail sits, so `sizes` tells the browser how wide it really shows. */
export type ThumbnailPlace = 'grid' | 'list' | 'related' | 'lead';

/**
 * `sizes` per place, matching site.css: main is at most 72rem with 1rem padding; the lead
 * card's picture takes 3/5 of it from 48rem; grid cards are `minmax(14rem, 1fr)` columns;
 * list thumbnails 8rem; related thumbnails 6.5rem.
 */
export const THUMBNAIL_SIZES: Record<ThumbnailPlace, string> = {
  lead: '(min-width: 72rem) 42rem, (min-width: 48rem) 60vw, calc(100vw - 2rem)',
  grid: '(min-width: 72rem) 17rem, (min-width: 48rem) 34vw, (min-width: 31rem) 50vw, calc(100vw - 2rem)',
  list: '8rem',
  related: '6.5rem',
};

/**
 * A picture for cards and the related box; video items carry a marker in the page's
 * language. The lead's picture loads at once (`fetchpriority="high"` when `first`) with
 * every width, so phones with dense screens get a sharp one.
 */
export function Thumbnail({ media, videoLabel, labelLanguage, place = 'grid', first = false }: { media: Media; videoLabel: string; labelLanguage?: string; place?: ThumbnailPlace; first?: boolean }) {
  const lead = place === 'lead';
  const picture = pictureHtml(media, { ratio: '4x3', sizes: THUMBNAIL_SIZES[place], alt: '', maxWidth: lead ? undefined : place === 'grid' ? 1024 : 640, eager: lead, priority: lead && first });
  const marker = media.kind === 'video' ? `<span class="video-marker"${labelLanguage ? ` lang="${escapeAttr(labelLanguage)}"` : ''} aria-label="${escapeAttr(videoLabel)}">▶ ${escapeText(videoLabel)}</span>` : '';
  return <span class="thumb" dangerouslySetInnerHTML={{ __html: picture + marker }} />;
}
