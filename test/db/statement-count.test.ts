import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/databases.js';
import { makeSection } from '../helpers/factories.js';
import { login, makeUser, type Client } from '../helpers/newsroom.js';

/**
 * Issue 10 item 10: on PostgreSQL every statement costs an event-loop turn (a round trip),
 * so the number of statements a create and a publish run is what makes them slow under
 * load. These bounds fail if the count grows back.
 */
// Before (same test): create 20 statements on both engines, publish 50 on SQLite and 48 on PostgreSQL;
// then 15 and 47 / 44; now the article with its tags and related links is one statement, a
// related engine's candidates by tag one statement for all tags, and PostgreSQL's tsvector
// is written with its document row (13 and 42 / 38); then the indexer's and the purge's
// article reads take the tags as a JSON column, the purge reads the article's own stored
// state once, and an engine list is replaced without reading the pins first (36 / 32). The
// related engine's semantic vectors (issue 16) add three: the basis rows of the article's
// terms, its vector written, and the candidates' vectors read (39 / 35). The indexer hands
// the related engine the search document it wrote instead of it being read back (38 / 34).
const BOUNDS = { sqlite: { create: 13, publish: 38 }, postgres: { create: 13, publish: 34 } } as const;

for (const engine of DIALECTS) {
  describe(`statements per create and publish (${engine})`, () => {
    let t: TestApp;
    let editor: Client;
    let sectionId: number;
    before(async () => {
      t = await createTestApp(engine);
      editor = await login(t.app, await makeUser(t, 'editor'));
      sectionId = await makeSection(t);
    });
    after(async () => t?.cleanup());

    const counted = async <T>(work: () => Promise<T>): Promise<{ result: T; statements: string[] }> => {
      const statements: string[] = [];
      const listener = (sql: string) => statements.push(sql);
      t.handle.statementListeners.add(listener);
      try {
        return { result: await work(), statements };
      } finally {
        t.handle.statementListeners.delete(listener);
      }
    };

    it('a create and a publish stay within their statement bounds', async () => {
      // One warm-up story so one-off work (caches filled once per process) is not counted.
      const warm = await editor.post('/api/admin/articles', { headline: 'Warm-up story', sectionId, bodyHtml: '<p>Warm.</p>' });
      assert.equal(warm.statusCode, 201, warm.body);
      assert.equal((await editor.post(`/api/admin/articles/${warm.json().id}/transitions`, { action: 'publish' })).statusCode, 200);

      const create = await counted(() => editor.post('/api/admin/articles', {
        headline: 'Statements: markets and weather', sectionId, tags: [{ kind: 'topic', name: 'markets' }, { kind: 'topic', name: 'weather' }],
        bodyHtml: `<p>${'Words about markets and weather. '.repeat(30)}</p>`,
      }));
      assert.equal(create.result.statusCode, 201, create.result.body);
      const id = create.result.json().id;
      const publish = await counted(() => editor.post(`/api/admin/articles/${id}/transitions`, { action: 'publish' }));
      assert.equal(publish.result.statusCode, 200, publish.result.body);
      assert.equal(publish.result.json().status, 'published');
      if (process.env.STATEMENTS_PRINT) {
        console.log(`--- create ${create.statements.length}\n${create.statements.join('\n')}`);
        console.log(`--- publish ${publish.statements.length}\n${publish.statements.join('\n')}`);
      }
      // A new article has no tags or related links to delete; its tags are found and created set-based.
      assert.ok(!create.statements.some((q) => /^delete from "(article_tags|related)"/.test(q)), 'create deletes nothing');
      assert.equal(create.statements.filter((q) => /^insert into "tags"/.test(q)).length, 1, 'both new tags in one insert');
      assert.ok(create.statements.length <= BOUNDS[engine].create, `create ran ${create.statements.length} statements (bound ${BOUNDS[engine].create}):\n${create.statements.join('\n')}`);
      assert.ok(publish.statements.length <= BOUNDS[engine].publish, `publish ran ${publish.statements.length} statements (bound ${BOUNDS[engine].publish}):\n${publish.statements.join('\n')}`);
    });
  });
}
