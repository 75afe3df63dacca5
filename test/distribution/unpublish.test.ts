import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/databases.js';
import { makeArticle, makeSection } from '../helpers/factories.js';
import { login, makeUser, type Client } from '../helpers/newsroom.js';

const FEEDS = ['/feeds', '/feeds/section/world', '/feeds/topic/floods', '/feeds/lang/en'].flatMap((base) => ['rss.xml', 'atom.xml', 'feed.json'].map((f) => `${base}/${f}`));

for (const engine of DIALECTS) {
  describe(`an unpublished article leaves feeds and sitemaps on ${engine}`, () => {
    let t: TestApp;
    let editor: Client;
    let section: number;
    before(async () => {
      // The content cache is on (5 s): leaving must not wait for it.
      t = await createTestApp(engine);
      section = await makeSection(t, 'world', 'World');
      await makeArticle(t, section, { headline: 'A story that stays', tags: [{ kind: 'topic', name: 'Floods' }], publishedAt: t.clock.now - 3600_000 });
      editor = await login(t.app, await makeUser(t, 'editor'));
    });
    after(() => t.cleanup());

    const documents = async () => {
      const index = (await t.app.inject({ url: '/sitemap.xml' })).body;
      const files = [...index.matchAll(/<loc>http:\/\/news\.test([^<]+)<\/loc>/g)].map((m) => m[1]!);
      const out = new Map<string, { body: string; lastModified?: string }>();
      for (const url of [...FEEDS, ...files]) {
        const res = await t.app.inject({ url });
        assert.equal(res.statusCode, 200, url);
        out.set(url, { body: res.body, lastModified: res.headers['last-modified'] as string | undefined });
      }
      return out;
    };

    for (const action of ['unpublish', 'kill'] as const) {
      test(`${action}: gone from all 12 feeds, the month, news and topic sitemaps on the next request`, async () => {
        const created = (await editor.post('/api/admin/articles', { headline: `Floods hit the delta before ${action}`, sectionId: section, bodyHtml: '<p>Water rose overnight.</p>', tags: [{ kind: 'topic', name: 'Floods' }] })).json();
        assert.equal((await editor.post(`/api/admin/articles/${created.id}/transitions`, { action: 'publish' })).statusCode, 200);
        const marker = `/news/${created.id}`;
        const before = await documents();
        for (const [url, doc] of before) {
          if (url.includes('sections.xml') || url.includes('topics-')) continue;
          assert.ok(doc.body.includes(marker), `${url} lists the new story`);
        }
        t.clock.set(t.clock.now + 1000);
        const res = await editor.post(`/api/admin/articles/${created.id}/transitions`, { action, ...(action === 'kill' ? { note: 'Legal' } : {}) });
        assert.equal(res.statusCode, 200, res.body);
        const afterwards = await documents();
        for (const [url, doc] of afterwards) {
          assert.ok(!doc.body.includes(marker), `${url} still lists the ${action}ed story`);
          // The feed's Last-Modified moves forward, so If-Modified-Since clients refetch.
          const was = before.get(url)?.lastModified;
          if (was && doc.lastModified) assert.ok(Date.parse(doc.lastModified) > Date.parse(was), `${url} Last-Modified ${was} → ${doc.lastModified}`);
        }
        assert.ok(afterwards.get('/feeds/rss.xml')!.body.includes('A story that stays'));
        const conditional = await t.app.inject({ url: '/feeds/rss.xml', headers: { 'if-modified-since': before.get('/feeds/rss.xml')!.lastModified! } });
        assert.equal(conditional.statusCode, 200);
      });
    }
  });
}

for (const engine of DIALECTS) {
  describe(`with the page cache on (real socket), an unpublished article leaves feeds and sitemaps on ${engine}`, () => {
    let t: TestApp;
    let base: string;
    let editor: Client;
    let section: number;
    before(async () => {
      t = await createTestApp(engine);
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      const address = t.app.server.address();
      base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      section = await makeSection(t, 'world', 'World');
      await makeArticle(t, section, { headline: 'A story that stays', tags: [{ kind: 'topic', name: 'Floods' }], publishedAt: t.clock.now - 3600_000 });
      editor = await login(t.app, await makeUser(t, 'editor'));
    });
    after(() => t.cleanup());

    const get = async (path: string) => {
      const res = await fetch(base + path);
      return { status: res.status, cache: res.headers.get('x-cache'), body: await res.text() };
    };

    for (const action of ['unpublish', 'kill'] as const) {
      test(`${action}: every cached feed and sitemap is fresh on the next request`, async () => {
        const created = (await editor.post('/api/admin/articles', { headline: `Floods reach the coast before ${action}`, sectionId: section, bodyHtml: '<p>Sea walls held.</p>', tags: [{ kind: 'topic', name: 'Floods' }] })).json();
        assert.equal((await editor.post(`/api/admin/articles/${created.id}/transitions`, { action: 'publish' })).statusCode, 200);
        const marker = `/news/${created.id}`;
        const index = await get('/sitemap.xml');
        const files = [...index.body.matchAll(/<loc>http:\/\/news\.test([^<]+)<\/loc>/g)].map((m) => m[1]!);
        const urls = ['/sitemap.xml', ...FEEDS, ...files];
        // Twice each: the second read is what the page cache answers (a HIT where it keeps the response).
        let hits = 0;
        for (const url of urls) {
          assert.equal((await get(url)).status, 200, url);
          const again = await get(url);
          if (again.cache === 'HIT') hits++;
          if (!url.includes('sections.xml') && !url.includes('topics-') && url !== '/sitemap.xml') assert.ok(again.body.includes(marker), `${url} lists the new story`);
        }
        assert.ok(hits >= FEEDS.length, `the page cache holds the feeds (${hits} hits of ${urls.length})`);
        t.clock.set(t.clock.now + 1000);
        const res = await editor.post(`/api/admin/articles/${created.id}/transitions`, { action, ...(action === 'kill' ? { note: 'Legal' } : {}) });
        assert.equal(res.statusCode, 200, res.body);
        for (const url of urls) {
          const doc = await get(url);
          assert.equal(doc.status, 200, url);
          assert.ok(!doc.body.includes(marker), `${url} (${doc.cache}) still lists the ${action}ed story`);
        }
        assert.ok((await get('/feeds/rss.xml')).body.includes('A story that stays'));
      });
    }
  });
}
