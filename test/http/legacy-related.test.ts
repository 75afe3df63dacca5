import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/databases.js';
import { makeArticle, makeImage, makeSection } from '../helpers/factories.js';

const REFERENCE = new URL('../../../shared/fixtures/legacy/qusayr-2013-06-01.txt', import.meta.url);

/** The related JSON the old site leaked into the reference page. */
function referenceItems(): Record<string, string>[] | null {
  if (!existsSync(REFERENCE)) return null;
  const text = readFileSync(REFERENCE, 'utf8');
  const m = /string\(\d+\) "(\[.*\])"/s.exec(text);
  return m ? (JSON.parse(m[1]!) as Record<string, string>[]) : null;
}

for (const engine of DIALECTS) {
  describe(`legacy related endpoint on ${engine}`, () => {
    let t: TestApp;
    let main: number;
    let related: number[];
    before(async () => {
      t = await createTestApp(engine);
      const s = await makeSection(t);
      const keys = [
        '2013/05/31/alalam_635056300967158844_25f_4x3.jpg',
        '2013/05/28/alalam_635053398363632686_25f_4x3.mp4',
        '2013/05/29/alalam_635054150595076467_25f_4x3.mp4',
        '2013/05/27/alalam_635052870819168847_25f_4x3.jpg',
      ];
      related = [];
      for (const [i, key] of keys.entries()) {
        related.push(await makeArticle(t, s, { headline: `Related story ${i + 1} "quoted"`, leadMediaId: await makeImage(t, key), publishedAt: t.clock.now - (4 - i) * 86_400_000 }));
      }
      main = await makeArticle(t, s);
      await t.services.repos.related.advanceSortTo(3_027_275);
      await t.services.publishing.setRelated(main, related);
    });
    after(() => t.cleanup());

    test('returns the exact reference shape: keys in order, every value a string, in sort order', async () => {
      const res = await t.app.inject({ url: `/api/legacy/related/${main}` });
      assert.equal(res.statusCode, 200);
      assert.match(res.headers['content-type'] as string, /^application\/json/);
      const items = JSON.parse(res.body) as Record<string, unknown>[];
      assert.equal(items.length, 4);
      const reference = referenceItems();
      const expectedKeys = reference ? Object.keys(reference[0]!) : ['id', 'sort', 'contenttypeid', 'pic', 'title'];
      assert.deepEqual(expectedKeys, ['id', 'sort', 'contenttypeid', 'pic', 'title']);
      for (const item of items) {
        assert.deepEqual(Object.keys(item), expectedKeys);
        for (const v of Object.values(item)) assert.equal(typeof v, 'string');
      }
      assert.deepEqual(items.map((i) => i.sort), ['3027275', '3027276', '3027277', '3027278']);
      assert.deepEqual(items.map((i) => i.id), related.map(String));
      assert.deepEqual(items.map((i) => i.contenttypeid), ['21', '21', '21', '21']);
      assert.deepEqual(items.map((i) => i.pic), [
        '/2013/05/31/alalam_635056300967158844_25f_4x3.jpg',
        '/2013/05/28/alalam_635053398363632686_25f_4x3.mp4',
        '/2013/05/29/alalam_635054150595076467_25f_4x3.mp4',
        '/2013/05/27/alalam_635052870819168847_25f_4x3.jpg',
      ]);
      assert.equal(items[0]!.title, 'Related story 1 "quoted"');
      assert.ok(res.body.startsWith('[{"id":"'), 'a bare JSON array, no debug wrapper');
      assert.ok(!/string\(\d+\)/.test(res.body));
    });

    test('legacy media paths redirect to the media store', async () => {
      const res = await t.app.inject({ url: '/2013/05/31/alalam_635056300967158844_25f_4x3.jpg' });
      assert.equal(res.statusCode, 301);
      assert.equal(res.headers.location, '/media/2013/05/31/alalam_635056300967158844_25f_4x3.jpg');
    });

    test('unknown or bad ids give problem+json', async () => {
      const missing = await t.app.inject({ url: '/api/legacy/related/123456789' });
      assert.equal(missing.statusCode, 404);
      assert.match(missing.headers['content-type'] as string, /^application\/problem\+json/);
      assert.equal(missing.json().code, 'ARTICLE_NOT_FOUND');
      const bad = await t.app.inject({ url: '/api/legacy/related/1479894abc' });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.json().detail, /"id" must be integer/);
    });
  });
}
