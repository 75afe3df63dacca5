import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/databases.js';
import { makeArticle, makeSection } from '../helpers/factories.js';
import { login, makeUser, type Client } from '../helpers/newsroom.js';

/**
 * A related box shows a story in the page's language when a version of it is published there:
 * the cached page of the article holding the box must follow when that version appears or goes.
 * Over a real socket, since page-cache hits are answered before Fastify.
 */
for (const engine of DIALECTS) {
  describe(`related box follows translations through the page cache on ${engine}`, () => {
    let t: TestApp;
    let base: string;
    let editor: Client;
    let pagePath: string;
    let page: number;
    let english: number;
    let translation: number;

    const get = async (path: string) => {
      const res = await fetch(base + path);
      return { cache: res.headers.get('x-cache') ?? '', box: /<aside class="related"[\s\S]*?<\/aside>/.exec(await res.text())?.[0] ?? '' };
    };

    before(async () => {
      t = await createTestApp(engine);
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
      editor = await login(t.app, await makeUser(t, 'editor'));
      const world = await makeSection(t, 'world', 'World');
      // The English story has never been translated: it has no translation group yet.
      english = await makeArticle(t, world, { headline: 'Floods hit the coast', bodyHtml: '<p>Water reached the houses.</p>' });
      // Nothing in common with the page: the related engine leaves the page's list as the editors made it.
      page = await makeArticle(t, world, { language: 'ar', headline: 'عاصفة قوية', dek: 'طقس', bodyHtml: '<p>رياح عاتية اقتلعت الأشجار</p>', byline: 'مراسلنا', place: 'الدوحة', source: 'وكالة' });
      await t.services.publishing.setRelated(page, [english]);
      pagePath = `/news/${page}/${(await t.services.newsroom.workflow.get(page)).slug}`;
    });
    after(() => t.cleanup());

    test('an Arabic page caches its box with the English story', async () => {
      assert.ok(t.services.pageCaching.cache, 'the page cache is on');
      const first = await get(pagePath);
      assert.match(first.box, /Floods hit the coast/);
      assert.equal((await get(pagePath)).cache, 'HIT');
    });

    test('publishing an Arabic translation of the related story purges the page: the box shows the translation', async () => {
      const created = await editor.post(`/api/admin/articles/${english}/translations`, { language: 'ar' });
      assert.equal(created.statusCode, 201, created.body);
      translation = created.json().id;
      const saved = await editor.put(`/api/admin/articles/${translation}`, { baseRevision: created.json().revision, headline: 'فيضانات الساحل', bodyHtml: '<p>غمرت المياه البيوت</p>' });
      assert.equal(saved.statusCode, 200, saved.body);
      assert.equal((await get(pagePath)).cache, 'HIT', 'a draft translation changes nothing readers see');
      assert.equal((await editor.post(`/api/admin/articles/${translation}/transitions`, { action: 'publish' })).statusCode, 200);
      const after = await get(pagePath);
      assert.notEqual(after.cache, 'HIT');
      // The box holds what the editors chose (the English story), not the new story itself: only the translation link changed.
      assert.deepEqual((await t.services.repos.related.listVisible(page, t.clock.now)).map((r) => r.id), [english]);
      assert.match(after.box, /فيضانات الساحل/);
      assert.doesNotMatch(after.box, /Floods hit the coast/);
      assert.equal((await get(pagePath)).cache, 'HIT');
    });

    test('unpublishing the translation purges the page again: the English story comes back', async () => {
      assert.equal((await editor.post(`/api/admin/articles/${translation}/transitions`, { action: 'unpublish' })).statusCode, 200);
      const after = await get(pagePath);
      assert.notEqual(after.cache, 'HIT');
      assert.match(after.box, /Floods hit the coast/);
      assert.doesNotMatch(after.box, /فيضانات الساحل/);
    });
  });
}
