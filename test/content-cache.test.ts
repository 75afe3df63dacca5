import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { DIALECTS, createTestDb, type TestDb } from './helpers/databases.js';
import { makeArticle, makeSection } from './helpers/factories.js';

for (const engine of DIALECTS) {
  describe(`content cache on ${engine}`, () => {
    let t: TestDb;
    let section: number;
    before(async () => {
      t = await createTestDb(engine, { contentCacheSeconds: 60 });
      section = await makeSection(t);
    });
    after(() => t.cleanup());

    test('any write to content, even raw SQL from another process, is seen at once', async () => {
      const a = await makeArticle(t, section, { headline: 'Before' });
      const b = await makeArticle(t, section, { headline: 'Related before' });
      await t.services.publishing.setRelated(a, [b]);
      const first = await t.services.articles.articleWithRelated(a);
      assert.equal(first.article.headline, 'Before');
      assert.strictEqual(await t.services.articles.articleWithRelated(a), first, 'second read is served from the cache');
      const versionBefore = await t.services.repos.counters.contentVersion();
      // Another process (or a person at a SQL prompt) edits the related article.
      await sql`update articles set headline = 'Related after' where id = ${b}`.execute(t.handle.db);
      assert.ok((await t.services.repos.counters.contentVersion()) > versionBefore, 'trigger bumped the version');
      const second = await t.services.articles.articleWithRelated(a);
      assert.equal(second.related[0]!.headline, 'Related after');
      await sql`update articles set status = 'killed' where id = ${a}`.execute(t.handle.db);
      // Published once, now killed: gone (410), not missing.
      await assert.rejects(() => t.services.articles.articleWithRelated(a), /has been removed/);
    });

    test('time-based visibility shows within the cache lifetime', async () => {
      const a = await makeArticle(t, section);
      const later = await makeArticle(t, section, { publishedAt: t.clock.now + 30_000, headline: 'Embargoed until later' });
      await t.services.publishing.setRelated(a, [later]);
      // Only the editor's pin: the related engine's items (below pins) are not under test here.
      const pins = async () => (await t.services.articles.relatedOf(a)).filter((r) => r.pinned).map((r) => r.id);
      assert.deepEqual(await pins(), []);
      t.clock.set(t.clock.now + 61_000);
      assert.deepEqual(await pins(), [later]);
    });

    test('a section page counts its stories once per content version, not on every view', async () => {
      const s = await makeSection(t, 'counted', 'Counted');
      await makeArticle(t, s);
      const counts: string[] = [];
      const listener = (q: string) => {
        if (/count\(\*\)/i.test(q) && /section_id/.test(q)) counts.push(q);
      };
      t.handle.statementListeners.add(listener);
      try {
        assert.equal((await t.services.articles.listPage({ sectionId: s }, 1, 20)).total, 1);
        assert.equal((await t.services.articles.listPage({ sectionId: s }, 1, 20)).total, 1);
        assert.equal(counts.length, 1, 'the second view reuses the count');
        await makeArticle(t, s);
        assert.equal((await t.services.articles.listPage({ sectionId: s }, 1, 20)).total, 2, 'a publish is counted at once');
        assert.equal(counts.length, 2);
      } finally {
        t.handle.statementListeners.delete(listener);
      }
    });

    test('CONTENT_CACHE_SECONDS=0 reads the database every time', async () => {
      const raw = await createTestDb(engine, { contentCacheSeconds: 0 });
      try {
        const s = await makeSection(raw);
        const a = await makeArticle(raw, s);
        const one = await raw.services.articles.getVisible(a);
        assert.notStrictEqual(await raw.services.articles.getVisible(a), one);
      } finally {
        await raw.cleanup();
      }
    });
  });
}
