import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { legacySource, type ImportSourceOptions } from '../../src/services/import/import-sources.js';
import { wxrSource } from '../../src/services/import/wxr.parser.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/databases.js';

/**
 * Issue 13: an archive brought in by the importers (the reference legacy page with its
 * placeholders and kept sort numbers, a real WordPress export with authors, terms and
 * redirects) survives export → import into an empty instance byte for byte.
 */
const REFERENCE = new URL('../../../shared/fixtures/legacy/qusayr-2013-06-01.txt', import.meta.url).pathname;
const WXR = new URL('../../../shared/refs/wxr/wordpress-importer.small-export.xml', import.meta.url).pathname;
const OPTIONS: ImportSourceOptions = { timeZone: 'Asia/Tehran', datelineFormat: 'ddd MMM D, YYYY HH:mm:ss', language: 'en', contentTypeId: 21, section: { slug: 'middle-east', name: 'Middle East' } };

for (const engine of DIALECTS) {
  describe(`imported archive: export → import into an empty instance (${engine})`, { skip: !existsSync(WXR) && 'shared/refs/wxr is missing' }, () => {
    let source: TestApp;
    let target: TestApp;
    let dir: string;
    before(async () => {
      source = await createTestApp(engine);
      target = await createTestApp(engine);
      target.clock.set(source.clock.now);
      dir = mkdtempSync(join(tmpdir(), 'dateline-export-imported-'));
      copyFileSync(REFERENCE, join(dir, '1480012-qusayr.txt'));
      await source.services.imports.run((await legacySource([join(dir, '1480012-qusayr.txt')], OPTIONS)).items);
      const wxr = await wxrSource([WXR], { ...OPTIONS, timeZone: 'UTC' });
      await source.services.imports.run(wxr.items, { catalog: wxr.catalog! });
      source.services.contentCache.clear();
    });
    after(async () => {
      await source?.cleanup();
      await target?.cleanup();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    test('every public page, API answer and redirect is byte-identical', async () => {
      await source.services.archive.export(join(dir, 'archive'));
      await target.services.archive.import(join(dir, 'archive'));
      const articles = await source.handle.db.selectFrom('articles').select(['id', 'slug', 'status']).where('status', '=', 'published').orderBy('id').execute();
      const redirects = await source.handle.db.selectFrom('redirects').select('path').orderBy('path').execute();
      assert.ok(articles.length >= 5 && redirects.length >= 5);
      const urls = [
        '/', '/section/middle-east', '/section/uncategorized', '/api/v1/articles', '/api/v1/sections', '/api/v1/tags', '/api/v1/content-types', '/search?q=qusayr',
        ...articles.flatMap((a) => [`/news/${a.id}/${encodeURIComponent(a.slug)}`, `/news/${a.id}`, `/api/v1/articles/${a.id}`, `/api/legacy/related/${a.id}`]),
        ...redirects.map((r) => r.path),
      ];
      for (const url of urls) {
        const [a, b] = [await source.app.inject({ url }), await target.app.inject({ url })];
        assert.ok(a.statusCode === 200 || a.statusCode === 301, `${url}: ${a.statusCode}`);
        assert.equal(b.statusCode, a.statusCode, url);
        assert.equal(b.headers.location, a.headers.location, url);
        assert.equal(b.body, a.body, url);
        assert.equal(b.headers.etag, a.headers.etag, url);
      }
      const related = (await target.app.inject({ url: '/api/legacy/related/1480012' })).json() as { sort: string }[];
      assert.deepEqual(related.map((r) => r.sort), ['3027275', '3027276', '3027277', '3027278']);
    });
  });
}
