import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import type { PageCacheTables } from '../../src/db/schema/page-cache.schema.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/databases.js';
import { makeSection } from '../helpers/factories.js';
import { login, makeUser, type Client } from '../helpers/newsroom.js';

/**
 * Issue 10 item 10: a new draft and edits of a never-published draft do not run the
 * search, related and page-purge work (about twenty statements per save that readers
 * could never see); the publish does all of it.
 */
for (const engine of DIALECTS) {
  describe(`derived work follows what readers can see (${engine})`, () => {
    let t: TestApp;
    let editor: Client;
    let sectionId: number;
    before(async () => {
      t = await createTestApp(engine);
      editor = await login(t.app, await makeUser(t, 'editor'));
      sectionId = await makeSection(t);
    });
    after(async () => t?.cleanup());

    const derived = async (id: number) => ({
      purgeState: (await (t.handle.db as unknown as Kysely<PageCacheTables>).selectFrom('page_purge_state').select('article_id').where('article_id', '=', id).execute()).length,
      searchDocs: (await t.handle.db.selectFrom('search_documents').select('article_id').where('article_id', '=', id).execute()).length,
    });

    it('skips it for a new draft and its saves, and does it on publish and on later saves', async () => {
      const created = await editor.post('/api/admin/articles', { headline: 'Flood barriers hold in the delta', sectionId, bodyHtml: '<p>The flood barriers held overnight in the delta.</p>' });
      assert.equal(created.statusCode, 201, created.body);
      const id = created.json().id as number;
      assert.deepEqual(await derived(id), { purgeState: 0, searchDocs: 0 }, 'a new draft touched derived state');
      const saved = await editor.put(`/api/admin/articles/${id}`, { baseRevision: 1, dek: 'Barriers hold' });
      assert.equal(saved.statusCode, 200, saved.body);
      const autosaved = await editor.post(`/api/admin/articles/${id}/autosave`, { baseRevision: 2, dek: 'Barriers held' });
      assert.equal(autosaved.statusCode, 200, autosaved.body);
      assert.deepEqual(await derived(id), { purgeState: 0, searchDocs: 0 }, 'saves of a never-published draft touched derived state');

      const published = await editor.post(`/api/admin/articles/${id}/transitions`, { action: 'publish' });
      assert.equal(published.statusCode, 200, published.body);
      assert.deepEqual(await derived(id), { purgeState: 1, searchDocs: 1 }, 'the publish indexed the article and recorded its page state');
      const found = await t.app.inject({ method: 'GET', url: '/api/v1/search?q=barriers' });
      assert.equal(found.statusCode, 200, found.body);
      assert.ok((found.json().items as { article: { id: number } }[]).some((i) => i.article.id === id), 'the published article is searchable at once');

      // Once published, an edit is followed again (the headline change reaches the index).
      const edited = await editor.put(`/api/admin/articles/${id}`, { baseRevision: published.json().revision, headline: 'Seawalls hold in the delta' });
      assert.equal(edited.statusCode, 200, edited.body);
      const renamed = await t.app.inject({ method: 'GET', url: '/api/v1/search?q=seawalls' });
      assert.ok((renamed.json().items as { article: { id: number } }[]).some((i) => i.article.id === id), 'the edit of a live article was indexed');
    });
  });

  describe(`ARTICLE_INDEXING=job: the publish answers after its commit, a job follows (${engine})`, () => {
    let t: TestApp;
    let editor: Client;
    let sectionId: number;
    before(async () => {
      t = await createTestApp(engine, {}, undefined, { articleIndexing: 'job' });
      editor = await login(t.app, await makeUser(t, 'editor'));
      sectionId = await makeSection(t);
    });
    after(async () => t?.cleanup());

    it('leaves index, related lists and purges to one article.changed job, which does them all', async () => {
      const created = await editor.post('/api/admin/articles', { headline: 'Harbour cranes return to work', sectionId, bodyHtml: '<p>The harbour cranes are back at work.</p>' });
      const id = created.json().id as number;
      const published = await editor.post(`/api/admin/articles/${id}/transitions`, { action: 'publish' });
      assert.equal(published.statusCode, 200, published.body);
      const search = async () => ((await t.app.inject({ method: 'GET', url: '/api/v1/search?q=cranes' })).json().items as { article: { id: number } }[]).some((i) => i.article.id === id);
      assert.equal(await search(), false, 'indexing waits for the job');
      const jobs = await t.handle.db.selectFrom('jobs').select(['name', 'key']).where('status', '=', 'pending').execute();
      assert.deepEqual(jobs.filter((j) => j.name === 'article.changed'), [{ name: 'article.changed', key: `changed:${id}` }]);
      assert.ok((await t.runJobs()) >= 1);
      assert.equal(await search(), true, 'the job indexed the published article');
      const state = await (t.handle.db as unknown as Kysely<PageCacheTables>).selectFrom('page_purge_state').select('visible').where('article_id', '=', id).executeTakeFirst();
      assert.equal(Number(state?.visible), 1, 'the job recorded what readers now see (and purged for it)');
    });
  });
}
