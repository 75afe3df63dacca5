import { mediaPath, type Media } from '../../domain/article.js';
import { pictureOf, widestRendition, type RenditionRatio } from '../../domain/media-keys.js';

/** A picture at an absolute URL with its size. */
export interface SharedImage {
  url: string;
  width: number;
  height: number;
  ratio: RenditionRatio | 'original';
}

/** Structured data asks for pictures at least this wide. */
export const STRUCTURED_IMAGE_MIN_WIDTH = 1200;

/**
 * The widest JPEG rendition of a picture (a video's poster) in one crop, or null
 * while renditions are not ready. Renditions are never upscaled, so this is as wide
 * as the original allows within the rendition widths: at least 1200 px whenever the
 * crop is (1200 is a rendition width); below that, the widest standard width the crop holds.
 */
export function widestJpeg(media: Media, ratio: RenditionRatio, baseUrl: string): SharedImage | null {
  const picture = pictureOf(media);
  if (!picture || media.state !== 'ready') return null;
  const best = widestRendition(picture, ratio, 'jpeg');
  return { url: `${baseUrl}${mediaPath(best.key)}`, width: best.width, height: best.height, ratio };
}

/** The original picture (or a video's poster) at its own size; null when there is none. */
export function originalPicture(media: Media, baseUrl: string): SharedImage | null {
  const key = media.kind === 'video' ? media.posterKey : media.key;
  if (!key || !media.width || !media.height) return null;
  return { url: `${baseUrl}${mediaPath(key)}`, width: media.width, height: media.height, ratio: 'original' };
}

/** The picture a feed or social card shows: the widest 16x9 JPEG, else the original. */
export function leadPicture(media: Media, baseUrl: string): SharedImage | null {
  return widestJpeg(media, '16x9', baseUrl) ?? originalPicture(media, baseUrl);
}

/**
 * NewsArticle images: 16x9, 4x3 and 1x1 crops, each the widest available; when
 * renditions are not ready yet, the original alone.
 */
export function structuredImages(media: Media, baseUrl: string): SharedImage[] {
  const crops = (['16x9', '4x3', '1x1'] as const).map((r) => widestJpeg(media, r, baseUrl)).filter((x): x is SharedImage => x !== null);
  if (crops.length) return crops;
  const original = originalPicture(media, baseUrl);
  return original ? [original] : [];
}
