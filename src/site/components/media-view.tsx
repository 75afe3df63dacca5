import type { Media } from '../../domain/article.js';
import { mediaPath } from '../../domain/article.js';
import { pictureOf, plannedRenditions, type RenditionRatio } from '../../domain/media-keys.js';

/** Sources of one crop, widest JPEG last; null while renditions are being made. */
function crop(media: Media, ratio: RenditionRatio) {
  const picture = pictureOf(media);
  if (!picture || media.state !== 'ready') return null;
  const all = plannedRenditions(picture).filter((r) => r.ratio === ratio);
  const srcset = (format: string) =>
    all
      .filter((r) => r.format === format)
      .map((r) => `${mediaPath(r.key)} ${r.width}w`)
      .join(', ');
  const jpegs = all.filter((r) => r.format === 'jpeg');
  const fallback = jpegs.find((r) => r.width === 640) ?? jpegs.at(-1)!;
  return { avif: srcset('avif'), webp: srcset('webp'), jpeg: srcset('jpeg'), fallback };
}

/** The picture to share (Open Graph): a 16x9 JPEG rendition up to 1024 wide, else the original picture. */
export function shareImageKey(media: Media): string | null {
  const c = crop(media, '16x9');
  if (!c) return thumbnailKey(media);
  const jpegs = plannedRenditions(pictureOf(media)!).filter((r) => r.ratio === '16x9' && r.format === 'jpeg' && r.width <= 1024);
  return (jpegs.at(-1) ?? c.fallback).key;
}

/** The picture a list or related box shows for an item: the image, or a video's poster. */
export function thumbnailKey(media: Media): string | null {
  return media.kind === 'video' ? media.posterKey : media.key;
}

/** A responsive picture: AVIF and WebP sources, JPEG fallback, intrinsic size set (no layout shift). */
function Picture({ media, ratio, sizes, alt, eager }: { media: Media; ratio: RenditionRatio; sizes: string; alt: string; eager?: boolean }) {
  const c = crop(media, ratio);
  const loading = eager ? undefined : ('lazy' as const);
  if (!c) {
    const key = thumbnailKey(media);
    if (!key) return null;
    return <img src={mediaPath(key)} alt={alt} width={media.width ?? undefined} height={media.height ?? undefined} loading={loading} decoding="async" />;
  }
  return (
    <picture>
      <source type="image/avif" srcset={c.avif} sizes={sizes} />
      <source type="image/webp" srcset={c.webp} sizes={sizes} />
      <img
        src={mediaPath(c.fallback.key)}
        srcset={c.jpeg}
        sizes={sizes}
        alt={alt}
        width={c.fallback.width}
        height={c.fallback.height}
        loading={loading}
        fetchpriority={eager ? 'high' : undefined}
        decoding="async"
      />
    </picture>
  );
}

/** Lead photo or video of an article page, with caption and credit. */
export function LeadMedia({ media }: { media: Media }) {
  const caption = [media.caption, media.credit].filter(Boolean).join(' — ');
  const poster = crop(media, '16x9');
  return (
    <figure class="lead-media">
      {media.kind === 'video' ? (
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
      ) : (
        <Picture media={media} ratio="16x9" sizes="(min-width: 60rem) 42rem, 100vw" alt={media.alt} eager />
      )}
      {caption ? <figcaption>{caption}</figcaption> : null}
    </figure>
  );
}

/** A small picture for cards and the related box; video items carry a marker. */
export function Thumbnail({ media, videoLabel }: { media: Media; videoLabel: string }) {
  return (
    <span class="thumb">
      <Picture media={media} ratio="4x3" sizes="(min-width: 48rem) 16rem, 40vw" alt="" />
      {media.kind === 'video' ? (
        <span class="video-marker" aria-label={videoLabel}>
          ▶ {videoLabel}
        </span>
      ) : null}
    </span>
  );
}
