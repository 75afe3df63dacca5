import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/databases.js';
import { makeArticle, makeImage, makeSection } from '../helpers/factories.js';

for (const engine of DIALECTS) {
  describe(`export → import into an empty instance on ${engine}`, () => {
    let source: TestApp;
    let target: TestApp;
    let dir: string;
    const urls: string[] = [];
    before(async () => {
      source = await createTestApp(engine);
      target = await createTestApp(engine);
      target.clock.set(source.clock.now);
      dir = mkdtempSync(join(tmpdir(), 'dateline-export-'));
      const world = await makeSection(source);
      const sport = await makeSection(source, 'sport', 'Sport');
      const image = await makeImage(source, '2013/05/31/alalam_635056300967158844_25f_4x3.jpg');
      await source.services.mediaStore.put('2013/05/31/alalam_635056300967158844_25f_4x3.jpg', Buffer.from('not really a jpeg'), 'image/jpeg');
      const ids: number[] = [];
      for (let i = 0; i < 6; i++) {
        ids.push(await makeArticle(source, i % 2 ? sport : world, { headline: `Story ${i} about Qusayr`, leadMediaId: i === 0 ? image : null, tags: [{ kind: 'place', name: 'Qusayr' }] }));
      }
      await source.services.repos.related.advanceSortTo(3_027_275);
      await source.services.publishing.setRelated(ids[0]!, ids.slice(1, 5));
      for (const id of ids) {
        const a = (await source.services.repos.articles.findById(id))!;
        urls.push(`/news/${id}/${a.slug}`, `/api/v1/articles/${id}`, `/api/v1/articles/${id}/related`, `/api/legacy/related/${id}`);
      }
      urls.push('/', '/section/world', '/section/sport', '/topic/qusayr', '/api/v1/articles', '/api/v1/sections', '/api/v1/tags', '/api/v1/content-types', '/search?q=qusayr', '/media/2013/05/31/alalam_635056300967158844_25f_4x3.jpg');
    });
    after(async () => {
      await source.cleanup();
      await target.cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    test('the export has a versioned manifest, JSON lines per table and the media files', async () => {
      const manifest = await source.services.archive.export(dir);
      assert.equal(manifest.version, 1);
      assert.equal(manifest.tables.articles, 6);
      assert.equal(manifest.media, 1);
      const lines = readFileSync(join(dir, 'tables', 'articles.jsonl'), 'utf8').trim().split('\n');
      assert.equal(lines.length, 6);
      assert.equal(JSON.parse(lines[0]!).headline, 'Story 0 about Qusayr');
    });

    test('every public page and API response is byte-identical after the import', async () => {
      await target.services.archive.import(dir);
      for (const url of urls) {
        const [a, b] = [await source.app.inject({ url }), await target.app.inject({ url })];
        assert.equal(a.statusCode, 200, url);
        assert.equal(b.statusCode, a.statusCode, url);
        assert.equal(b.body, a.body, url);
        // Media ETags come from the file's size and modification time on disk; everything else from content.
        if (!url.startsWith('/media/')) assert.equal(b.headers.etag, a.headers.etag, url);
      }
    });

    test('the restored instance keeps numbering above the imported ids and sorts', async () => {
      const s = await makeSection(target, 'new', 'New');
      const id = await makeArticle(target, s);
      assert.ok(id > 6);
      assert.ok((await target.services.repos.related.reserveSorts(1)) > 3_027_278);
    });

    test('importing into an instance that has articles is refused with a clear message', async () => {
      await assert.rejects(target.services.archive.import(dir), /already has articles/);
      await assert.rejects(target.services.archive.import(join(dir, 'nope')), /not a Dateline export/);
    });
  });
}
