import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DIALECTS, createTestDb, type TestDb } from './helpers/databases.js';

for (const engine of DIALECTS) {
  describe(`demo newsroom on ${engine}`, () => {
    let t: TestDb;
    before(async () => {
      t = await createTestDb(engine);
      t.clock.set(Date.now());
      await t.services.demo.load();
    });
    after(() => t.cleanup());

    test('is big and varied enough for every page to show something', async () => {
      const { articles, related, taxonomy } = t.services.repos;
      const all = await articles.listVisible({}, { limit: 1000 }, t.clock.now);
      assert.ok(all.length >= 40, `${all.length} articles`);
      assert.ok(all.filter((a) => a.language === 'ar').length >= 4, 'at least 4 Arabic articles');
      assert.ok(new Set(all.map((a) => a.sectionId)).size >= 5, '5+ sections');
      assert.ok(new Set(all.map((a) => a.contentTypeId)).size >= 3, '3+ content types');
      const days = new Set(all.map((a) => new Date(a.publishedAt!).toISOString().slice(0, 10)));
      assert.ok(days.size >= 5, `spread over ${days.size} days`);
      assert.ok(all.every((a) => a.leadMedia), 'every article has lead media');
      assert.ok(all.some((a) => a.leadMedia?.kind === 'video'), 'some lead videos');
      for (const a of all) {
        const list = await related.listVisible(a.id, t.clock.now);
        assert.ok(list.length >= 3, `article ${a.id} has ${list.length} related`);
      }
      assert.ok((await taxonomy.listTags({ limit: 1000 })).length >= 10);
      const arabic = all.find((a) => a.language === 'ar')!;
      assert.match(arabic.slug, /\p{Script=Arabic}/u, 'Arabic slug');
    });

    test('draws its own pictures into the media store', async () => {
      const all = await t.services.repos.articles.listVisible({}, { limit: 1000 }, t.clock.now);
      for (const a of all) {
        const m = a.leadMedia!;
        assert.match(m.key, /^\d{4}\/\d{2}\/\d{2}\/test_\d{18}_orig_4x3\.(jpg|mp4)$/);
        const picture = m.kind === 'video' ? m.posterKey! : m.key;
        assert.ok(await t.services.mediaStore.exists(picture), picture);
      }
    });

    test('reset removes everything and load brings it back', async () => {
      await t.services.demo.reset();
      assert.equal(await t.services.demo.isEmpty(), true);
      const report = await t.services.demo.load();
      assert.ok(report.articles >= 40);
    });
  });
}
