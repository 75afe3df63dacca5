import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { createTestDb, DIALECTS, type TestDb } from '../helpers/databases.js';
import { makeArticle, makeSection } from '../helpers/factories.js';
import { actor, makeUser } from '../helpers/newsroom.js';

/** Which of the tags A (merged away), B (kept) and C (bystander) each article carries. */
const articleTags = fc.array(fc.record({ a: fc.boolean(), b: fc.boolean(), c: fc.boolean() }), { minLength: 1, maxLength: 6 });

for (const engine of DIALECTS) {
  describe(`TagMergeService on ${engine}`, () => {
    let t: TestDb;
    let section: number;
    let editor: ReturnType<typeof actor>;
    let round = 0;
    before(async () => {
      t = await createTestDb(engine);
      section = await makeSection(t);
      editor = actor(await makeUser(t, 'editor'));
    });
    after(() => t.cleanup());

    test('for any tagging, merging A into B leaves every article that had A or B with B once, A gone, other tags untouched', async () => {
      await fc.assert(
        fc.asyncProperty(articleTags, async (spec) => {
          round++;
          const [A, B, C] = [`Alpha ${round}`, `Beta ${round}`, `Gamma ${round}`];
          // B and C must exist even when no article carries them.
          const kept = await t.services.newsroom.taxonomy.createTag(editor, { name: B, kind: 'topic' });
          await t.services.newsroom.taxonomy.createTag(editor, { name: C, kind: 'place' });
          const source = await t.services.newsroom.taxonomy.createTag(editor, { name: A, kind: 'topic' });
          const ids: number[] = [];
          for (const s of spec) {
            const tags = [s.a && { kind: 'topic' as const, name: A }, s.b && { kind: 'topic' as const, name: B }, s.c && { kind: 'place' as const, name: C }].filter((x) => x !== false);
            ids.push(await makeArticle(t, section, { tags }));
          }
          const result = await t.services.tagMerge.merge(editor, source.id, kept.id);
          assert.equal(result.moved, spec.filter((s) => s.a).length);
          assert.equal(result.tag.articleCount, spec.filter((s) => s.a || s.b).length);
          assert.equal(await t.services.newsroom.repos.adminTaxonomy.findTag(source.id), null);
          for (const [i, s] of spec.entries()) {
            const names = (await t.services.newsroom.repos.adminArticles.find(ids[i]!))!.tags.map((x) => x.name);
            const expected = [...(s.a || s.b ? [B] : []), ...(s.c ? [C] : [])];
            assert.deepEqual([...names].sort(), expected.sort(), `article ${i} of ${JSON.stringify(spec)}`);
          }
        }),
        { numRuns: 12 },
      );
    });

    test("a merged tag's articles are found by the kept tag in search at once", async () => {
      const kept = await t.services.newsroom.taxonomy.createTag(editor, { name: 'Zephyrland', kind: 'place' });
      const gone = await t.services.newsroom.taxonomy.createTag(editor, { name: 'Zephyr Land', kind: 'place' });
      const id = await makeArticle(t, section, { headline: 'Harbour news', tags: [{ kind: 'place', name: 'Zephyr Land' }] });
      await t.services.tagMerge.merge(editor, gone.id, kept.id);
      const found = await t.services.search.search({ q: 'zephyrland' });
      assert.ok(found.items.some((i) => i.article.id === id), 'the search document was rebuilt with the kept tag');
    });
  });
}
