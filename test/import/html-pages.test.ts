import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { JSDOM } from 'jsdom';
import { DatelineParser } from '../../src/domain/dateline-parse.js';
import { htmlToText, sanitizeBody } from '../../src/services/html-sanitizer.js';
import { extractPage, parseHtmlPage } from '../../src/services/import/html-page.parser.js';

const ROOT = new URL('../../../shared/refs/html-articles/', import.meta.url);
const folders = existsSync(ROOT) ? readdirSync(ROOT, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name) : [];
const options = { dateline: new DatelineParser('UTC', 'ddd MMM D, YYYY HH:mm:ss'), language: 'en', contentTypeId: 21, section: { slug: 'archive', name: 'Archive' } };

const words = (text: string) => text.replace(/\s+/g, ' ').trim();
const expectedText = (html: string) => new JSDOM(html).window.document.body.textContent ?? '';

describe('saved HTML pages of real news sites (Readability test pages)', () => {
  test('the reference pages are there', { skip: folders.length === 0 && 'shared/refs/html-articles is missing' }, () => {
    assert.ok(folders.length >= 30);
  });
  for (const name of folders) {
    test(`${name}: headline, byline, excerpt, date and text match the expected extraction`, () => {
      const source = readFileSync(new URL(`${name}/source.html`, ROOT), 'utf8');
      const meta = JSON.parse(readFileSync(new URL(`${name}/expected-metadata.json`, ROOT), 'utf8')) as Record<string, string | null>;
      // Readability's own harness parses pages at this address; relative links resolve against it.
      const page = extractPage(source, 'http://fakehost/test/page.html');
      assert.equal(page.title, meta.title ?? '');
      if (meta.byline) assert.equal(page.byline, meta.byline);
      if (meta.excerpt) assert.equal(page.excerpt, meta.excerpt);
      if (meta.publishedTime) assert.equal(page.publishedTime, meta.publishedTime);
      const expected = words(expectedText(readFileSync(new URL(`${name}/expected.html`, ROOT), 'utf8')));
      // Whitespace between blocks differs (expected.html is pretty-printed); every other character must match.
      assert.equal(page.textContent.replace(/\s+/g, ''), expected.replace(/\s+/g, ''));

      const draft = parseHtmlPage(`${name}.html`, source, { ...options, url: 'http://fakehost/test/page.html' });
      assert.equal(draft.headline, meta.title);
      if (meta.publishedTime) assert.equal(draft.publishedAt, Date.parse(meta.publishedTime));
      assert.equal(draft.status, draft.publishedAt === null ? 'draft' : 'published');
      // After the body sanitizer the words are still all there (markup may change, text does not).
      const kept = words(htmlToText(sanitizeBody(draft.bodyHtml)));
      const want = expected.split(' ').filter((w) => w.length > 3);
      const have = new Set(kept.split(' '));
      const missing = want.filter((w) => !have.has(w));
      assert.ok(missing.length <= want.length * 0.02, `${missing.length} of ${want.length} words lost: ${missing.slice(0, 10).join(' ')}`);
      assert.ok(!/<script|onerror=|javascript:/i.test(sanitizeBody(draft.bodyHtml)));
    });
  }
});
