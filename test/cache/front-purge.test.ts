import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/databases.js';
import { makeArticle, makeSection } from '../helpers/factories.js';
import { actor, makeUser } from '../helpers/newsroom.js';

/** Saving a front purges exactly the pages showing it (over a real socket: hits never reach Fastify). */
for (const engine of DIALECTS) {
  describe(`front saves purge the page cache on ${engine}`, () => {
    let t: TestApp;
    let base: string;
    let world: number;
    let placed: number;
    let other: number;
    let sport: number;
    const get = (path: string) => fetch(base + path, { redirect: 'manual' });

    before(async () => {
      t = await createTestApp(engine);
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      const address = t.app.server.address();
      base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      world = await makeSection(t, 'world', 'World');
      sport = await makeSection(t, 'sport', 'Sport');
      placed = await makeArticle(t, world, { headline: 'Older story an editor puts first', publishedAt: t.clock.now - 7_200_000 });
      await makeArticle(t, world, { headline: 'Newest world story', publishedAt: t.clock.now - 60_000 });
      other = await makeArticle(t, sport, { headline: 'Sport story nobody moves', publishedAt: t.clock.now - 120_000, tags: [{ kind: 'topic', name: 'Climate' }] });
    });
    after(() => t.cleanup());

    test('the home page shows the new arrangement on the next request; an unaffected article page stays cached', async () => {
      const otherPath = `/news/${other}/${(await t.services.newsroom.workflow.get(other)).slug}`;
      for (const p of ['/', otherPath]) {
        await (await get(p)).arrayBuffer();
        const again = await get(p);
        await again.arrayBuffer();
        assert.equal(again.headers.get('x-cache'), 'HIT', `${p} is cached before the save`);
      }
      const editor = actor(await makeUser(t, 'editor'));
      const current = await t.services.fronts.editorView('home');
      await t.services.fronts.save(editor, 'home', { revision: current.revision, lead: { articleId: placed, expiresAt: null }, top: [] });

      const home = await get('/');
      const html = await home.text();
      assert.equal(home.headers.get('x-cache'), 'MISS', 'the home page was purged');
      const lead = /<section class="lead-story"[^>]*>[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
      assert.match(lead, /Older story an editor puts first/);
      const untouched = await get(otherPath);
      await untouched.arrayBuffer();
      assert.equal(untouched.headers.get('x-cache'), 'HIT', 'an article page the front does not show keeps its entry');
    });

    test('a page showing a topic block is purged when that topic gets a new story, even from another section', async () => {
      const editor = actor(await makeUser(t, 'editor'));
      const climate = (await t.services.catalog.findTag('climate'))!.id;
      const current = await t.services.fronts.editorView('world');
      await t.services.fronts.save(editor, 'world', { revision: current.revision, lead: null, top: [], blocks: [{ kind: 'tag', tagId: climate, title: 'Climate desk', count: 4 }] });
      const paths = ['/section/world', '/api/v1/fronts/world'];
      for (const p of paths) {
        await (await get(p)).arrayBuffer();
        const again = await get(p);
        await again.arrayBuffer();
        assert.equal(again.headers.get('x-cache'), 'HIT', `${p} is cached before the new story`);
        assert.match(String(again.headers.get('surrogate-key')), new RegExp(`\\btag-${climate}\\b`), `${p} names the topic`);
      }
      const draft = await t.services.newsroom.workflow.create(editor, { headline: 'Glacier report lands', sectionId: sport, bodyHtml: '<p>Ice is thinning.</p>', tags: [{ kind: 'topic', name: 'Climate' }] });
      await t.services.newsroom.workflow.transition(editor, draft.id, { action: 'publish' });
      for (const p of paths) {
        const res = await get(p);
        const body = await res.text();
        assert.equal(res.headers.get('x-cache'), 'MISS', `${p} was purged`);
        assert.match(body, /Glacier report lands/, `${p} shows the new story in the topic block`);
      }
    });

    test('restoring a revision purges the pages showing the front', async () => {
      const editor = actor(await makeUser(t, 'editor'));
      const current = await t.services.fronts.editorView('home');
      await t.services.fronts.save(editor, 'home', { revision: current.revision, lead: null, top: [] });
      await (await get('/')).arrayBuffer();
      const afterSave = await get('/');
      assert.equal(afterSave.headers.get('x-cache'), 'HIT', 'cached again after the save');
      assert.doesNotMatch(/<section class="lead-story"[^>]*>[\s\S]*?<\/section>/.exec(await afterSave.text())?.[0] ?? '', /Older story an editor puts first/);
      const restored = await t.services.fronts.restore(editor, 'home', 1, current.revision + 1);
      assert.equal(restored.lead?.articleId, placed);
      const home = await get('/');
      const html = await home.text();
      assert.equal(home.headers.get('x-cache'), 'MISS', 'the home page was purged');
      assert.match(/<section class="lead-story"[^>]*>[\s\S]*?<\/section>/.exec(html)?.[0] ?? '', /Older story an editor puts first/);
    });
  });
}
