import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isSafeUrl, sanitizeBody } from '../../src/services/html-sanitizer.js';

/**
 * The body sanitizer against the public XSS corpora (OWASP filter evasion cheat sheet,
 * cure53 H5SC, DOMPurify's test fixtures), read at test time from ../shared/refs/xss
 * (or XSS_CORPORA_DIR): whatever a vector is, the output may hold only allowlisted tags
 * and attributes, no event handlers, and URLs whose scheme (invisible characters
 * removed) is http, https or mailto.
 */
const CORPORA = resolve(process.env.XSS_CORPORA_DIR ?? join(import.meta.dirname, '../../../shared/refs/xss'));
const HAVE_CORPORA = existsSync(join(CORPORA, 'dompurify/expect.derived.json'));

const ALLOWED: Record<string, string[]> = {
  p: ['lang', 'dir'], h2: [], h3: [], h4: [], strong: [], em: [], u: [], s: [], sub: [], sup: [],
  a: ['href', 'title', 'lang', 'dir', 'rel'], ul: [], ol: [], li: [], blockquote: ['lang', 'dir', 'cite'], figure: [], figcaption: [],
  img: ['src', 'alt', 'width', 'height', 'loading'], br: [], hr: [], code: [], pre: [], table: [], thead: [], tbody: [], tr: [],
  th: ['colspan', 'rowspan', 'scope'], td: ['colspan', 'rowspan'], caption: [],
};
const URL_ATTRIBUTES = new Set(['href', 'src', 'cite']);

function decode(value: string): string {
  return value
    .replace(/&#x([0-9a-f]+);?/gi, (_, h: string) => String.fromCodePoint(Number.parseInt(h, 16)))
    .replace(/&#(\d+);?/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Problems of sanitized output; [] when it is inert. */
export function unsafeParts(html: string): string[] {
  const problems: string[] = [];
  for (const tag of html.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s=/>]+(?:="[^"]*")?)*)\s*\/?>/g)) {
    const name = tag[1]!.toLowerCase();
    const allowed = ALLOWED[name];
    if (!allowed) {
      problems.push(`tag <${name}>`);
      continue;
    }
    for (const attr of tag[2]!.matchAll(/([^\s=/>]+)(?:="([^"]*)")?/g)) {
      const attrName = attr[1]!.toLowerCase();
      const value = decode(attr[2] ?? '');
      if (!allowed.includes(attrName)) problems.push(`attribute ${attrName} on <${name}>`);
      if (URL_ATTRIBUTES.has(attrName) && !isSafeUrl(value, name === 'img' ? ['http', 'https'] : undefined)) problems.push(`${attrName}="${value}"`);
    }
  }
  // A "<" that starts a tag must have been one of the above; anything else is escaped text.
  if (/<(?![a-zA-Z/])/.test(html.replace(/&lt;/g, ''))) problems.push('a stray "<"');
  return problems;
}

function loadVectors(): { source: string; payload: string }[] {
  const read = (file: string) => JSON.parse(readFileSync(join(CORPORA, file), 'utf8')) as Record<string, unknown>[];
  return [
    ...read('dompurify/expect.derived.json').map((v) => ({ source: `DOMPurify: ${String(v.title)}`, payload: String(v.payload) })),
    ...read('h5sc/h5sc_vectors.derived.json').map((v) => ({ source: `H5SC #${String(v.id)}`, payload: String(v.data) })),
    ...read('owasp/xss_filter_evasion_vectors.derived.json')
      .filter((v) => v.lang === 'html' || v.lang === 'js')
      .map((v) => ({ source: `OWASP ${String(v.section)}`, payload: String(v.code) })),
  ];
}

/** Schemes hidden behind Unicode spaces and invisible characters (issue 10). */
const HIDERS = ['\u2028', '\u2029', '\u00a0', '\u1680', '\u180e', ...Array.from({ length: 12 }, (_, i) => String.fromCharCode(0x2000 + i)), '\u202f', '\u205f', '\u3000', '\ufeff', '\u200e', '\u202e', '\t', '\n', '\u0001'];

describe('HTML sanitizer: hidden schemes', () => {
  it('has an oracle that flags what would execute', () => {
    assert.ok(unsafeParts('<a href="\u2028javascript:alert(1)">x</a>').length > 0);
    assert.ok(unsafeParts('<img src="x" onerror="alert(1)">').length > 0);
    assert.ok(unsafeParts('<script>alert(1)</script>').length > 0);
    assert.ok(unsafeParts('<svg><a xlink:href="javascript:1">').length > 0);
    assert.deepEqual(unsafeParts('<p>ok <a href="https://x.org">x</a></p>'), []);
  });

  it('drops href, src and cite values whose scheme hides behind or among invisible characters', () => {
    for (const hider of HIDERS) {
      for (const url of [`${hider}javascript:alert(1)`, `java${hider}script:alert(1)`, `${hider}${hider}JaVaScRiPt:alert(1)`, `${hider}data:text/html,<script>alert(1)</script>`, `vbscript${hider}:msgbox(1)`]) {
        const out = sanitizeBody(`<p><a href="${url}">x</a><img src="${url}" alt="a"><blockquote cite="${url}">q</blockquote></p>`);
        assert.doesNotMatch(out, /href=|src=|cite=/, `${JSON.stringify(url)} survived: ${out}`);
      }
    }
  });

  it('keeps ordinary links, relative links and mailto', () => {
    const out = sanitizeBody('<p><a href="https://example.org/a b">a</a><a href="/news/1/x">b</a><a href="mailto:desk@example.org">c</a><img src="/media/2013/05/31/x.jpg" alt="x"></p>');
    assert.match(out, /href="https:\/\/example.org\/a b"/);
    assert.match(out, /href="\/news\/1\/x"/);
    assert.match(out, /href="mailto:desk@example.org"/);
    assert.match(out, /src="\/media\/2013\/05\/31\/x.jpg"/);
  });

  it('neutralizes any hider placed anywhere in a javascript: URL (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...HIDERS), { maxLength: 4 }), fc.nat({ max: 11 }), (hiders, at) => {
        const base = 'javascript:alert(1)';
        const url = base.slice(0, at) + hiders.join('') + base.slice(at);
        assert.deepEqual(unsafeParts(sanitizeBody(`<a href="${url}">x</a>`)), []);
      }),
      { numRuns: 500 },
    );
  });
});

describe('HTML sanitizer: public XSS corpora', { skip: HAVE_CORPORA ? false : `no corpora at ${CORPORA} (set XSS_CORPORA_DIR)` }, () => {
  it('leaves nothing executable from any vector', () => {
    const vectors = loadVectors();
    assert.ok(vectors.length > 400, `only ${vectors.length} vectors read`);
    const failures: string[] = [];
    for (const v of vectors) {
      const problems = unsafeParts(sanitizeBody(v.payload));
      if (problems.length) failures.push(`${v.source}: ${problems.join(', ')}`);
    }
    assert.deepEqual(failures, []);
  });

  it('stays inert when vectors are combined, wrapped and prefixed with hiders (property)', () => {
    const vectors = loadVectors().map((v) => v.payload);
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...vectors), { minLength: 1, maxLength: 3 }), fc.constantFrom('', ...HIDERS), fc.constantFrom('p', 'blockquote', 'a', 'li'), (parts, hider, wrap) => {
        const html = `<${wrap}>${parts.map((p) => p.replace(/(href|src)=("?)/gi, `$1=$2${hider}`)).join(hider)}</${wrap}>`;
        assert.deepEqual(unsafeParts(sanitizeBody(html)), []);
      }),
      { numRuns: 300 },
    );
  });
});
