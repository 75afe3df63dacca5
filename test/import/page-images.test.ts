import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { legacySource } from '../../src/services/import/import-sources.js';
import { createTestDb, DIALECTS, type TestDb } from '../helpers/databases.js';
import { pngOf } from '../helpers/media-files.js';

/** Issue 13 item 3: images a saved page shows are imported as media when their files are there, else kept as references. */
const PAGE = (body: string) => `<!doctype html><html lang="en"><head><title>Dam bursts after storm</title>
<link rel="canonical" href="https://old.example/news/4100/dam-bursts"><meta property="article:published_time" content="2013-06-01T08:00:00Z"></head>
<body><article><h1>Dam bursts after storm</h1>${body}</article></body></html>`;
const PARAS = '<p>Water reached the lower town within an hour of the breach, residents said on Saturday morning.</p><p>Rescue teams worked through the night to reach villages cut off by the flood, officials said.</p>';

for (const engine of DIALECTS) {
  describe(`images and links of saved pages (${engine})`, () => {
    let t: TestDb;
    let dir: string;
    before(async () => {
      t = await createTestDb(engine);
      dir = mkdtempSync(join(tmpdir(), 'dateline-pages-'));
      mkdirSync(join(dir, '4100_files'));
      writeFileSync(join(dir, '4100_files', 'breach.png'), await pngOf(40, 30));
      writeFileSync(
        join(dir, '4100.html'),
        PAGE(`${PARAS}<figure><img src="4100_files/breach.png" alt="The breach"></figure><p><img src="https://old.example/2013/05/31/site_635056300967158844_25f_4x3.jpg" alt="Before"></p><p><img src="4100_files/gone.png" alt="Gone"></p><p>See <a href="https://old.example/news/4101/the-storm">the storm</a>.</p>${PARAS}`),
      );
      writeFileSync(join(dir, '4101.html'), PAGE(PARAS).replace(/Dam bursts after storm/g, 'The storm arrives').replace('4100/dam-bursts', '4101/the-storm'));
    });
    after(async () => {
      await t?.cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    it('imports the image beside the page, keeps the old-path one as a reference, and rewrites the link once its target is in', async () => {
      const source = await legacySource([dir], { timeZone: 'UTC', datelineFormat: 'ddd MMM D, YYYY HH:mm:ss', language: 'en', contentTypeId: 21, section: { slug: 'archive', name: 'Archive' } });
      const summary = await t.services.imports.run(source.items, { batchSize: 1 });
      assert.equal(summary.created, 2, JSON.stringify(summary));
      const body = (await t.handle.db.selectFrom('articles').select('body_html').where('id', '=', 4100).executeTakeFirstOrThrow()).body_html;
      assert.match(body, /<img src="\/media\/imported\/4100\/breach\.png"/);
      assert.match(body, /<img src="https:\/\/old\.example\/2013\/05\/31\/site_635056300967158844_25f_4x3\.jpg"/, 'a file found nowhere stays a reference');
      assert.match(body, /<img src="4100_files\/gone\.png"/, 'a relative image that was not saved keeps its relative address');
      assert.match(body, /href="\/news\/4101\/the-storm-arrives"/, 'the link to the page imported after it was rewritten');
      const media = await t.handle.db.selectFrom('media').select(['storage_key', 'bytes', 'original_name']).orderBy('storage_key').execute();
      assert.deepEqual(media.map((m) => m.storage_key), ['2013/05/31/site_635056300967158844_25f_4x3.jpg', 'imported/4100/breach.png']);
      assert.ok(await t.services.mediaStore.exists('imported/4100/breach.png'), 'the file was copied into the store');
      assert.equal(media[0]!.original_name, 'https://old.example/2013/05/31/site_635056300967158844_25f_4x3.jpg');
    });
  });
}
