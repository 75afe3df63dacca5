/** Small text helpers shared by feeds, sitemaps and structured data. */

// Characters XML 1.0 forbids (C0 controls other than tab, newline, carriage return; U+FFFE/U+FFFF; lone surrogates).
// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Anything escapeXml may have to change (most text has none: sitemaps escape millions of strings). */
// eslint-disable-next-line no-control-regex
const XML_SPECIAL = /[&<>"'\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

/** Text with the characters XML cannot carry removed. */
export function xmlSafe(text: string): string {
  return text.replace(XML_INVALID, '');
}

/** Escapes text for XML element content and attribute values. */
export function escapeXml(text: string): string {
  if (!XML_SPECIAL.test(text)) return text;
  return xmlSafe(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** Root-relative `src`, `href` and `poster` URLs made absolute, so feed readers can follow them. */
export function absolutizeHtml(html: string, baseUrl: string): string {
  return html.replace(/\b(src|href|poster)="\/(?!\/)/g, `$1="${baseUrl}/`);
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

/** Plain text of an HTML fragment, cut at a word boundary to about `max` characters. */
export function excerptOf(html: string, max = 280): string {
  const text = html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(amp|lt|gt|quot|apos|nbsp|#39);/g, (_m, e: string) => ENTITIES[e] ?? '')
    .replace(/\s+/g, ' ')
    .trim();
  return truncate(text, max);
}

/** At most `max` characters, cut at a space when one is near, with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  // UTF-16 length is never below the character count: short text needs no splitting.
  if (text.length <= max) return text;
  const chars = [...text];
  if (chars.length <= max) return text;
  const cut = chars.slice(0, max - 1).join('');
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

const CORRECTION_LABELS: Record<string, string> = { en: 'Correction', ar: 'تصحيح', fa: 'اصلاحیه' };

/** "Correction" in the article's language. */
export function correctionLabel(language: string): string {
  return CORRECTION_LABELS[language.split('-')[0] ?? language] ?? 'Correction';
}
