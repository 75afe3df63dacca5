import type SanitizeHtml from 'sanitize-html';
import { lazyRequire } from './lazy-require.js';

// sanitize-html brings postcss and htmlparser2 (~60 modules): loaded on first use, not at start-up.
const sanitizer = lazyRequire<typeof SanitizeHtml>('sanitize-html');
const sanitizeHtml = (html: string, options: SanitizeHtml.IOptions): string => sanitizer()(html, options);

const ALLOWED_SCHEMES = ['http', 'https', 'mailto'];
// Separators (Z*: U+00A0, U+2000–U+200A, U+2028, U+3000 …), controls and format characters
// (U+200B, U+FEFF, bidi marks): browsers or later decoders may ignore them, so a scheme
// hidden behind or among them ("\u2028javascript:") is judged without them (as DOMPurify does).
const INVISIBLE = /[\p{Z}\p{Cc}\p{Cf}]/gu;

/**
 * Whether a URL attribute is safe to keep: after dropping invisible characters it is
 * relative, or its scheme is allowed (`img` also refuses mailto).
 */
export function isSafeUrl(value: string, schemes: readonly string[] = ALLOWED_SCHEMES): boolean {
  const visible = value.replace(INVISIBLE, '');
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(visible)?.[1];
  if (scheme) return schemes.includes(scheme.toLowerCase());
  // "&#106;avascript:" style leftovers and protocol-relative URLs are not ours either.
  return !/^[^/?#]*:/.test(visible) && !visible.startsWith('//');
}

function withoutUnsafeUrl(attribs: SanitizeHtml.Attributes, name: string, schemes?: readonly string[]): SanitizeHtml.Attributes {
  const value = attribs[name];
  if (value === undefined || isSafeUrl(value, schemes)) return attribs;
  const { [name]: _dropped, ...rest } = attribs;
  return rest;
}

/**
 * Body HTML from editors and imports is untrusted: keep an allowlist of structural
 * and inline elements, http(s)/mailto links and http(s) or site-relative images.
 */
const BODY_OPTIONS: SanitizeHtml.IOptions = {
  allowedTags: [
    'p', 'h2', 'h3', 'h4', 'strong', 'b', 'em', 'i', 'u', 's', 'sub', 'sup', 'a', 'ul', 'ol', 'li',
    'blockquote', 'figure', 'figcaption', 'img', 'br', 'hr', 'code', 'pre',
    'table', 'thead', 'tbody', 'tr', 'th', 'td', 'caption',
  ],
  allowedAttributes: {
    a: ['href', 'title', 'lang', 'dir'],
    img: ['src', 'alt', 'width', 'height', 'loading'],
    p: ['lang', 'dir'],
    blockquote: ['lang', 'dir', 'cite'],
    th: ['colspan', 'rowspan', 'scope'],
    td: ['colspan', 'rowspan'],
  },
  allowedSchemes: ALLOWED_SCHEMES,
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    b: 'strong',
    i: 'em',
    a: (tagName, raw) => {
      const attribs = withoutUnsafeUrl(raw, 'href');
      return { tagName, attribs: /^https?:/i.test(attribs.href ?? '') ? { ...attribs, rel: 'noopener noreferrer' } : attribs };
    },
    img: (tagName, attribs) => ({ tagName, attribs: withoutUnsafeUrl(attribs, 'src', ['http', 'https']) }),
    blockquote: (tagName, attribs) => ({ tagName, attribs: withoutUnsafeUrl(attribs, 'cite') }),
  },
  allowedClasses: {},
};
BODY_OPTIONS.allowedAttributes = { ...BODY_OPTIONS.allowedAttributes, a: ['href', 'title', 'lang', 'dir', 'rel'] };

export function sanitizeBody(html: string): string {
  return sanitizeHtml(html, BODY_OPTIONS).trim();
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'", nbsp: ' ' };

/** Plain text of (sanitized) body HTML: one line per block, entities decoded. */
export function htmlToText(html: string): string {
  const withBreaks = html.replace(/<br\s*\/?>/gi, '\n').replace(/<\/(p|h[1-6]|li|blockquote|figcaption|pre|tr)>/gi, '$&\n');
  const stripped = sanitizeHtml(withBreaks, { allowedTags: [], allowedAttributes: {} });
  return stripped
    .replace(/&(amp|lt|gt|quot|#39|apos|nbsp);/g, (_, e: string) => ENTITIES[e] ?? '')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
}
