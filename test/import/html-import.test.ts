import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { JSDOM } from 'jsdom';
import type { ImportItemReport } from '../../src/domain/import-draft.js';
import { legacySource } from '../../src/services/import/import-sources.js';
import { createTestDb, DIALECTS, type TestDb } from '../helpers/databases.js';

/**
 * Issue 13: saved HTML pages of real news sites (Readability's test pages) go through the
 * whole import, as `dateline import legacy` runs it, and the stored articles carry the
 * page's headline, byline, date and text (after the body sanitizer).
 */
const ROOT = new URL('../../../shared/refs/html-articles/', import.meta.url).pathname;
const folders = existsSync(ROOT) ? readdirSync(ROOT, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name) : [];
const words = (text: string) => text.replace(/\s+/g, ' ').trim();
const OPTIONS = { timeZone: 'UTC', datelineFormat: 'ddd MMM D, YYYY HH:mm:ss', language: 'en', contentTypeId: 21, section: { slug: 'archive', name: 'Archive' } };

for (const engine of DIALECTS) {
  describe(`saved HTML pages imported end to end (${engine})`, { skip: folders.length === 0 && 'shared/refs/html-articles is missing' }, () => {
    let t: TestDb;
    let dir: string;
    const reports: ImportItemReport[] = [];
    before(async () => {
      t = await createTestDb(engine);
      dir = mkdtempSync(join(tmpdir(), 'html-import-'));
      for (const name of folders) copyFileSync(join(ROOT, name, 'source.html'), join(dir, `${name}.html`));
      const source = await legacySource([dir], OPTIONS);
      await t.services.imports.run(source.items, { index: false, onItem: (r) => reports.push(r) });
    });
    after(async () => {
      await t?.cleanup();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    test('every page is imported; pages saved twice (same headline and text, no canonical URL) make one article', async () => {
      assert.deepEqual(reports.filter((r) => r.action === 'failed'), []);
      assert.equal(reports.length, folders.length);
      const keys = new Set(reports.map((r) => r.sourceKey));
      assert.equal(await t.services.repos.articles.countAll(), keys.size);
      assert.ok(keys.size >= folders.length - 3, 'only the identical RTL test pages share an article');
    });

    for (const name of folders) {
      test(`${name}: headline, byline, date and text`, async () => {
        const meta = JSON.parse(readFileSync(join(ROOT, name, 'expected-metadata.json'), 'utf8')) as Record<string, string | null>;
        const rows = await t.handle.db.selectFrom('articles').selectAll().where('headline', '=', words(meta.title ?? '')).execute();
        assert.equal(rows.length, 1, `one article headlined ${JSON.stringify(meta.title)}`);
        const a = rows[0]!;
        if (meta.byline) assert.equal(a.byline, meta.byline.trim());
        if (meta.publishedTime) {
          assert.equal(a.published_at, Date.parse(meta.publishedTime));
          assert.equal(a.status, 'published');
        }
        // Pages Readability finds no date on may still carry one (a <time>, the dateline): published then, else a draft.
        assert.equal(a.status, a.published_at === null ? 'draft' : 'published');
        const expected = words(new JSDOM(readFileSync(join(ROOT, name, 'expected.html'), 'utf8')).window.document.body.textContent ?? '');
        const have = new Set(words(a.body_text).split(' '));
        const want = expected.split(' ').filter((w) => w.length > 3);
        const missing = want.filter((w) => !have.has(w));
        assert.ok(missing.length <= want.length * 0.02, `${missing.length} of ${want.length} words lost: ${missing.slice(0, 10).join(' ')}`);
        assert.ok(!/<script|onerror=|javascript:/i.test(a.body_html));
      });
    }
  });
}
