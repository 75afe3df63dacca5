import type { Media } from '../../domain/article.js';
import { mediaPath } from '../../domain/article.js';

/** The picture a list or related box shows for an item: the image, or a video's poster. */
export function thumbnailKey(media: Media): string | null {
  return media.kind === 'video' ? media.posterKey : media.key;
}

/** Lead photo or video of an article page, with caption and credit. */
export function LeadMedia({ media }: { media: Media }) {
  const caption = [media.caption, media.credit].filter(Boolean).join(' — ');
  return (
    <figure class="lead-media">
      {media.kind === 'video' ? (
        <video
          controls
          preload="none"
          poster={media.posterKey ? mediaPath(media.posterKey) : undefined}
          width={media.width ?? undefined}
          height={media.height ?? undefined}
          aria-label={media.alt || undefined}
        >
          <source src={mediaPath(media.key)} type={media.mime} />
        </video>
      ) : (
        <img
          src={mediaPath(media.key)}
          alt={media.alt}
          width={media.width ?? undefined}
          height={media.height ?? undefined}
          fetchpriority="high"
          decoding="async"
        />
      )}
      {caption ? <figcaption>{caption}</figcaption> : null}
    </figure>
  );
}

/** A small picture for cards and the related box; video items carry a marker. */
export function Thumbnail({ media, videoLabel }: { media: Media; videoLabel: string }) {
  const key = thumbnailKey(media);
  return (
    <span class="thumb">
      {key ? (
        <img src={mediaPath(key)} alt="" width={media.width ?? undefined} height={media.height ?? undefined} loading="lazy" decoding="async" />
      ) : null}
      {media.kind === 'video' ? (
        <span class="video-marker" aria-label={videoLabel}>
          ▶ {videoLabel}
        </span>
      ) : null}
    </span>
  );
}
