import { missingAltText } from './media-rules.js';

/**
 * The checklist an article passes before it is published or scheduled. Blocking items
 * stop publication; warnings are shown and the editor confirms. Every message is
 * written for an editor, not a developer.
 */

export const MAX_HEADLINE_LENGTH = 300;
/** Below this many words a body is "very short" (a warning, not a block). */
export const SHORT_BODY_WORDS = 60;

export type CheckSeverity = 'blocking' | 'warning';

export interface PublishCheck {
  code: string;
  severity: CheckSeverity;
  /** The editor field the item is about (headline, body, section, leadMedia, tags, related). */
  field: string;
  message: string;
}

export interface PublishCheckInput {
  headline: string;
  bodyHtml: string;
  /** Plain text of the body (for length checks). */
  bodyText: string;
  contentTypeName: string | null;
  /** Whether the article's section exists. */
  hasSection: boolean;
  leadMedia: { kind: 'image' | 'video'; alt: string } | null;
  tagCount: number;
  relatedCount: number;
}

/**
 * Content types whose story is carried by their media (a video report, a gallery, a
 * programme) may go out without body text; every other type needs one.
 */
export function contentTypeNeedsBody(name: string | null): boolean {
  return !/video|photo|gallery|programme|program|audio|podcast/i.test(name ?? '');
}

function words(text: string): number {
  return text.split(/\s+/u).filter(Boolean).length;
}

/** The checklist for one article, blocking items first. */
export function publishChecks(a: PublishCheckInput): PublishCheck[] {
  const out: PublishCheck[] = [];
  const block = (code: string, field: string, message: string) => out.push({ code, severity: 'blocking', field, message });
  const warn = (code: string, field: string, message: string) => out.push({ code, severity: 'warning', field, message });

  const headline = a.headline.trim();
  const chars = [...headline].length;
  if (!headline) block('HEADLINE_EMPTY', 'headline', 'Write a headline: readers and search engines need one.');
  else if (chars > MAX_HEADLINE_LENGTH) block('HEADLINE_TOO_LONG', 'headline', headlineTooLong(chars));
  const bodyWords = words(a.bodyText);
  const needsBody = contentTypeNeedsBody(a.contentTypeName);
  if (needsBody && bodyWords === 0) block('BODY_EMPTY', 'body', `The body is empty. ${a.contentTypeName ? `A ${a.contentTypeName} story` : 'This kind of story'} needs text before it goes out.`);
  if (!a.hasSection) block('NO_SECTION', 'section', 'Choose a section: every published story belongs to one.');
  const missing = missingAltText(a.leadMedia, a.bodyHtml);
  if (missing.length) block('ALT_TEXT_MISSING', 'leadMedia', `Add alt text to ${missing.join(' and ')} before publishing: readers using screen readers depend on it.`);

  if (!a.leadMedia) warn('NO_LEAD_MEDIA', 'leadMedia', 'There is no lead picture or video; the story will show without one on the front and in lists.');
  if (a.tagCount === 0) warn('NO_TAGS', 'tags', 'There are no tags; tags link the story to topic pages and related stories.');
  if (needsBody && bodyWords > 0 && bodyWords < SHORT_BODY_WORDS) warn('SHORT_BODY', 'body', `The body is very short (${bodyWords} word${bodyWords === 1 ? '' : 's'}). Is it finished?`);
  if (a.relatedCount === 0) warn('NO_RELATED', 'related', 'There are no related stories yet; pin some, or the list fills in automatically once it is scored.');
  return out;
}

/** The editor's sentence for a headline over the limit. */
export function headlineTooLong(chars: number): string {
  return `The headline can be at most ${MAX_HEADLINE_LENGTH} characters; it has ${chars}.`;
}

export function blockingOf(checks: readonly PublishCheck[]): PublishCheck[] {
  return checks.filter((c) => c.severity === 'blocking');
}
