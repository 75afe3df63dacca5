import type { Media } from './article.js';

/**
 * Breaking news and live coverage: the shapes readers are sent (pages, SSE, the content
 * API) and the pure rules about them. Channels name what an open page listens to.
 */
export const LIVE_ENTRY_KINDS = ['text', 'picture', 'video', 'quote'] as const;
export type LiveEntryKind = (typeof LIVE_ENTRY_KINDS)[number];

/** Limits editors see in error messages. */
export const LIVE_LIMITS = { headline: 200, url: 2000, bodyHtml: 20_000, quote: 2000, quoteSource: 200, correction: 500, maxExpiryMs: 7 * 24 * 3_600_000 } as const;

export const breakingChannel = (language: string) => `breaking-${language}`;
export const blogChannel = (articleId: number) => `blog-${articleId}`;
/** Surrogate key of every public page showing the banner of a language. */
export const breakingKey = (language: string) => `breaking-${language}`;
/** Surrogate key of a live blog's pages and entry lists. */
export const liveKey = (articleId: number) => `live-${articleId}`;

export const LIVE_EVENT_TYPES = ['breaking', 'breaking-cleared', 'entry', 'entry-updated', 'entry-deleted', 'ended', 'reopened'] as const;
export type LiveEventType = (typeof LIVE_EVENT_TYPES)[number];

/** The banner of one language, as readers see it. */
export interface BreakingItem {
  id: number;
  language: string;
  headline: string;
  url: string;
  articleId: number | null;
  alert: boolean;
  createdAt: number;
  expiresAt: number;
}

/** One entry of a live blog, as readers see it. */
export interface LiveEntry {
  id: number;
  blogId: number;
  kind: LiveEntryKind;
  bodyHtml: string;
  media: Media | null;
  quote: { text: string; source: string } | null;
  pinned: boolean;
  alert: boolean;
  author: string;
  correction: string;
  createdAt: number;
  updatedAt: number;
}

export interface LiveBlogState {
  articleId: number;
  endedAt: number | null;
}

/** One record of the event log: what a page listening on `channel` is sent. */
export interface LiveEvent {
  id: number;
  channel: string;
  type: LiveEventType;
  /** JSON text. */
  payload: string;
}

/** The banner shown now: the newest item neither cleared nor expired. */
export function currentBreaking<T extends { expiresAt: number; clearedAt?: number | null }>(items: readonly T[], now: number): T | null {
  for (const item of items) if (!item.clearedAt && item.expiresAt > now) return item;
  return null;
}

/** The last event id a reader has seen, from `Last-Event-ID` or the page's `since`; null when absent or malformed. */
export function parseEventId(value: string | undefined): number | null {
  if (value === undefined || !/^\d{1,15}$/.test(value.trim())) return null;
  return Number(value.trim());
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();
/** An entry's time as readers see it ("14:05"), in the site's time zone and the language's digits. */
export function liveTime(ms: number, language: string, timeZone: string): string {
  const key = `${language}|${timeZone}`;
  let f = timeFormats.get(key);
  if (!f) timeFormats.set(key, (f = new Intl.DateTimeFormat(language.startsWith('en') ? 'en-GB' : language, { hour: '2-digit', minute: '2-digit', timeZone })));
  return f.format(ms);
}
