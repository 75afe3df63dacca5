import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { openDatabase } from '../../src/db/database.js';
import { buildApp } from '../../src/http/app.js';
import { createServices } from '../../src/services/index.js';
import { BackupService } from '../../src/services/import/backup.service.js';
import { createTestApp } from '../helpers/app.js';
import { DIALECTS, dropTestSchema } from '../helpers/databases.js';
import { makeArticle, makeImage, makeSection } from '../helpers/factories.js';

for (const engine of DIALECTS) {
  describe(`backup and restore on ${engine}`, () => {
    test('a backup taken while the site serves restores into an empty instance with the same pages', async () => {
      const t = await createTestApp(engine);
      const work = mkdtempSync(join(tmpdir(), 'dateline-backup-'));
      const url = engine === 'sqlite' ? t.handle.description : t.handle.description;
      const s = await makeSection(t);
      const image = await makeImage(t, '2013/05/31/alalam_635056300967158844_25f_4x3.jpg');
      await t.services.mediaStore.put('2013/05/31/alalam_635056300967158844_25f_4x3.jpg', Buffer.from('jpeg bytes'), 'image/jpeg');
      const ids = [await makeArticle(t, s, { leadMediaId: image }), await makeArticle(t, s)];
      await t.services.publishing.setRelated(ids[0]!, [ids[1]!]);
      const urls = ['/', `/api/v1/articles/${ids[0]}`, `/api/legacy/related/${ids[0]}`, '/section/world'];
      const before = new Map<string, string>();
      for (const u of urls) before.set(u, (await t.app.inject({ url: u })).body);

      // Online: reads keep being answered while the backup runs.
      const [manifest] = await Promise.all([new BackupService(url, t.services.mediaStore).backup(join(work, 'backup')), ...urls.map((u) => t.app.inject({ url: u }))]);
      assert.equal(manifest.engine, engine);
      assert.equal(manifest.media, 1);
      const clockNow = t.clock.now;
      await t.cleanup();

      const restoredUrl = engine === 'sqlite' ? `sqlite:${join(work, 'restored', 'dateline.db')}` : url;
      const dataDir = join(work, 'restored');
      const services0 = createServices(openDatabase('sqlite::memory:'), { dataDir, mediaSitePrefix: 'test' });
      await new BackupService(restoredUrl, services0.mediaStore).restore(join(work, 'backup'));
      await assert.rejects(new BackupService(restoredUrl, services0.mediaStore).restore(join(work, 'backup')), engine === 'sqlite' ? /already exists/ : /failed/);

      const handle = openDatabase(restoredUrl);
      const services = createServices(handle, { dataDir, mediaSitePrefix: 'test', contentCacheSeconds: 5 }, { clock: () => clockNow });
      const app = await buildApp({ siteName: 'Dateline Test', baseUrl: 'http://news.test', timeZone: 'Asia/Tehran', datelineFormat: 'ddd MMM D, YYYY HH:mm:ss', languages: ['en', 'ar', 'fa'], logLevel: 'silent', requestLog: false, dataDir }, services);
      try {
        for (const u of urls) assert.equal((await app.inject({ url: u })).body, before.get(u), u);
        assert.equal((await services.mediaStore.read('2013/05/31/alalam_635056300967158844_25f_4x3.jpg')).toString(), 'jpeg bytes');
      } finally {
        await app.close();
        await handle.close();
        if (engine === 'postgres') {
          const schema = /search_path=(\w+)/.exec(decodeURIComponent(url))![1]!;
          await dropTestSchema(schema);
        }
        rmSync(work, { recursive: true, force: true });
      }
    });
  });
}
