import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { sql, type Kysely } from 'kysely';
import { articleCounts } from '../../src/db/migrations/035-article-counts.js';
import type { Database } from '../../src/db/schema.js';
import type { ArticleListFilter } from '../../src/db/repositories/article.repository.js';
import { createTestDb, DIALECTS, type TestDb } from '../helpers/databases.js';
import { makeArticle, makeSection } from '../helpers/factories.js';

const STATUSES = ['draft', 'published', 'unpublished', 'killed', 'scheduled'] as const;
const LANGUAGES = ['en', 'ar', 'fa'] as const;

/** The count as every article's row says it (what countVisible answered before migration 035). */
async function rowCount(db: Kysely<Database>, filter: ArticleListFilter, now: number): Promise<number> {
  let q = db.selectFrom('articles').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'published').where('published_at', '<=', now);
  if (filter.sectionId !== undefined) q = q.where('section_id', '=', filter.sectionId);
  if (filter.language !== undefined) q = q.where('language', '=', filter.language);
  if (filter.excludeIds?.length) q = q.where('id', 'not in', filter.excludeIds);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

/**
 * Issue 14 item 5: a section front's or a language home's page count comes from counts
 * that triggers keep (migration 035), not from reading every matching index entry. They
 * must agree with the rows after any write, by any code.
 */
for (const engine of DIALECTS) {
  describe(`article counts kept by triggers (${engine})`, () => {
    let t: TestDb;
    let db: Kysely<Database>;
    const sections: number[] = [];
    const ids: number[] = [];
    before(async () => {
      t = await createTestDb(engine);
      db = t.handle.db as unknown as Kysely<Database>;
      sections.push(await makeSection(t, 'world', 'World'), await makeSection(t, 'sport', 'Sport'), await makeSection(t, 'arts', 'Arts'));
      for (let i = 0; i < 12; i++) ids.push(await makeArticle(t, sections[i % 3]!, { language: LANGUAGES[i % 3]! }));
    });
    after(async () => t?.cleanup());

    const filters = (): ArticleListFilter[] => [
      {},
      ...sections.map((sectionId) => ({ sectionId })),
      ...LANGUAGES.map((language) => ({ language })),
      ...sections.flatMap((sectionId) => LANGUAGES.map((language) => ({ sectionId, language }))),
      { sectionId: sections[0]!, excludeIds: ids.slice(0, 5) },
      { language: 'en', excludeIds: [...ids.slice(3, 9), 999_999] },
    ];
    const assertAgree = async (when: string) => {
      for (const filter of filters()) {
        const kept = await t.services.repos.articles.countVisible(filter, t.clock.now);
        assert.equal(kept, await rowCount(db, filter, t.clock.now), `${when}: ${JSON.stringify(filter)}`);
      }
    };

    it('agree with the rows after any sequence of status, section, language, time and delete writes', async () => {
      await assertAgree('at the start');
      const write = fc.record({
        kind: fc.constantFrom('status', 'section', 'language', 'time', 'delete', 'insert', 'bulk'),
        at: fc.nat(),
        status: fc.constantFrom(...STATUSES),
        section: fc.nat({ max: 2 }),
        language: fc.constantFrom(...LANGUAGES),
        // Some published for a time still to come (embargoed), some with no time at all.
        offset: fc.oneof(fc.integer({ min: -86_400_000, max: 86_400_000 }), fc.constant(null)),
      });
      await fc.assert(
        fc.asyncProperty(fc.array(write, { minLength: 1, maxLength: 6 }), async (writes) => {
          for (const w of writes) {
            const id = ids[w.at % ids.length]!;
            const row = db.updateTable('articles').where('id', '=', id);
            if (w.kind === 'status') await row.set({ status: w.status }).execute();
            else if (w.kind === 'section') await row.set({ section_id: sections[w.section]! }).execute();
            else if (w.kind === 'language') await row.set({ language: w.language }).execute();
            else if (w.kind === 'time') await row.set({ published_at: w.offset === null ? null : t.clock.now + w.offset }).execute();
            else if (w.kind === 'delete' && ids.length > 4) {
              await db.deleteFrom('article_tags').where('article_id', '=', id).execute();
              await db.deleteFrom('articles').where('id', '=', id).execute();
              ids.splice(ids.indexOf(id), 1);
            } else if (w.kind === 'insert') ids.push(await makeArticle(t, sections[w.section]!, { language: w.language }));
            // One statement over many rows (a bulk unpublish, a section merge): statement triggers see them all.
            else if (w.kind === 'bulk') await db.updateTable('articles').where('section_id', '=', sections[w.section]!).set({ status: w.status }).execute();
          }
          await assertAgree(JSON.stringify(writes));
        }),
        { numRuns: 25 },
      );
    });

    it('an edit that changes no published state, section or language leaves the counts untouched', async () => {
      const before = await db.selectFrom('article_counts').selectAll().orderBy('section_id').orderBy('language').orderBy('slot').execute();
      await db.updateTable('articles').set({ headline: sql`headline || '!'` }).execute();
      const after = await db.selectFrom('article_counts').selectAll().orderBy('section_id').orderBy('language').orderBy('slot').execute();
      assert.deepEqual(after, before);
    });

    it('the migration counts an archive that predates it, and its down step removes the table and triggers', async () => {
      const migration = articleCounts(engine);
      const expected = await Promise.all(filters().map((f) => rowCount(db, f, t.clock.now)));
      await migration.down!(db as unknown as Kysely<unknown>);
      // Written with no triggers in place: the migration must count these from the rows.
      const first = await db.selectFrom('articles').select(['status', 'published_at']).where('id', '=', ids[0]!).executeTakeFirstOrThrow();
      const visible = first.status === 'published' && first.published_at !== null && first.published_at <= t.clock.now;
      await db.updateTable('articles').where('id', '=', ids[0]!).set(visible ? { status: 'draft' } : { status: 'published', published_at: t.clock.now - 1000 }).execute();
      const changed = await Promise.all(filters().map((f) => rowCount(db, f, t.clock.now)));
      assert.notDeepEqual(changed, expected, 'the write without triggers changed some count');
      await migration.up(db as unknown as Kysely<unknown>);
      for (const [i, filter] of filters().entries()) assert.equal(await t.services.repos.articles.countVisible(filter, t.clock.now), changed[i], JSON.stringify(filter));
    });

    it('filters the counts do not cover are counted from the rows', async () => {
      const tagged = { contentTypeId: 21 };
      assert.equal(await t.services.repos.articles.countVisible(tagged, t.clock.now), Number((await db.selectFrom('articles').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'published').where('published_at', '<=', t.clock.now).where('content_type_id', '=', 21).executeTakeFirstOrThrow()).n));
    });
  });
}
