import { localText, text, type LocalText, type TextValue } from '../site/i18n.js';
import { altTextGaps } from './media-rules.js';

/**
 * The checklist an article passes before it is published or scheduled. Blocking items
 * stop publication; warnings are shown and the editor confirms. Every message is
 * written for an editor, not a developer, and kept as a catalog message (`text`) so it
 * reaches the editor in the newsroom's language; `message` is its English.
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
  text: LocalText;
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
  const add = (severity: CheckSeverity) => (code: string, field: string, message: LocalText) => out.push({ code, severity, field, message: localText('en', message), text: message });
  const block = add('blocking');
  const warn = add('warning');

  const headline = a.headline.trim();
  const chars = [...headline].length;
  if (!headline) block('HEADLINE_EMPTY', 'headline', text('checkHeadlineEmpty'));
  else if (chars > MAX_HEADLINE_LENGTH) block('HEADLINE_TOO_LONG', 'headline', headlineTooLong(chars));
  const bodyWords = words(a.bodyText);
  const needsBody = contentTypeNeedsBody(a.contentTypeName);
  if (needsBody && bodyWords === 0) block('BODY_EMPTY', 'body', a.contentTypeName ? text('checkBodyEmptyType', { type: { contentType: a.contentTypeName } }) : text('checkBodyEmpty'));
  if (!a.hasSection) block('NO_SECTION', 'section', text('checkNoSection'));
  const gaps = altTextGaps(a.leadMedia, a.bodyHtml);
  const missing: TextValue[] = [
    ...(gaps.lead ? [text('leadMediaAlt')] : []),
    ...(gaps.inline ? [{ plural: 'bodyImages', count: gaps.inline } as const] : []),
  ];
  if (missing.length) block('ALT_TEXT_MISSING', 'leadMedia', text('checkAltMissing', { what: missing.length === 2 ? text('and', { a: missing[0]!, b: missing[1]! }) : missing[0]! }));

  if (!a.leadMedia) warn('NO_LEAD_MEDIA', 'leadMedia', text('checkNoLeadMedia'));
  if (a.tagCount === 0) warn('NO_TAGS', 'tags', text('checkNoTags'));
  if (needsBody && bodyWords > 0 && bodyWords < SHORT_BODY_WORDS) warn('SHORT_BODY', 'body', text('checkShortBody', { words: { plural: 'words', count: bodyWords } }));
  if (a.relatedCount === 0) warn('NO_RELATED', 'related', text('checkNoRelated'));
  return out;
}

/** The editor's sentence for a headline over the limit. */
export function headlineTooLong(chars: number): LocalText {
  return text('headlineTooLong', { max: MAX_HEADLINE_LENGTH, length: chars });
}

export function blockingOf(checks: readonly PublishCheck[]): PublishCheck[] {
  return checks.filter((c) => c.severity === 'blocking');
}
