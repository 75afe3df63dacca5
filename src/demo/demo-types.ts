/** Shape of the hand-written demo newsroom loaded by `dateline demo`. */
export type DemoTagKind = 'topic' | 'person' | 'organisation' | 'place';

export type DemoContentType = 'news' | 'video-report' | 'photo-gallery' | 'opinion' | 'interview' | 'programme';

export type DemoSection = 'world' | 'middle-east' | 'business' | 'science' | 'sport' | 'culture';

export interface DemoMedia {
  kind: 'image' | 'video';
  alt: string;
  caption: string;
  credit: string;
  /** Two CSS hex colours used to draw the generated picture, e.g. ['#1d3557', '#e63946']. */
  palette: [string, string];
}

export interface DemoArticle {
  /** Unique within the demo; used by `related`. kebab-case ascii. */
  key: string;
  language: 'en' | 'ar' | 'fa';
  section: DemoSection;
  contentType: DemoContentType;
  headline: string;
  dek: string;
  /** Body paragraphs. Plain text; may contain <em>, <strong> and <a href="https://example.org/...">. */
  paragraphs: string[];
  byline: string;
  source: string;
  place: string;
  tags: { kind: DemoTagKind; name: string }[];
  /** Publication time relative to the moment the demo is loaded. */
  daysAgo: number;
  hour: number;
  minute: number;
  media: DemoMedia;
  /** Keys of related articles, in display order (editor-pinned). */
  related: string[];
}
