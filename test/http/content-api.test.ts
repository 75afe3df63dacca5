import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/databases.js';
import { makeArticle, makeImage, makeSection } from '../helpers/factories.js';

for (const engine of DIALECTS) {
  describe(`content API on ${engine}`, () => {
    let t: TestApp;
    let world: number;
    let ids: number[];
    before(async () => {
      t = await createTestApp(engine);
      world = await makeSection(t, 'world', 'World');
      const sport = await makeSection(t, 'sport', 'Sport');
      const img = await makeImage(t);
      ids = [];
      for (let i = 0; i < 5; i++) {
        ids.push(await makeArticle(t, i < 3 ? world : sport, { leadMediaId: img, tags: [{ kind: 'topic', name: i % 2 ? 'Floods' : 'Elections' }], contentTypeId: i === 4 ? 22 : 21 }));
      }
      await makeArticle(t, world, { status: 'draft', headline: 'Secret draft' });
    });
    after(() => t.cleanup());

    const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

    test('lists published articles newest first with a cursor', async () => {
      const first = await get('/api/v1/articles?limit=2');
      assert.equal(first.statusCode, 200);
      const body = first.json();
      assert.deepEqual(body.items.map((a: { id: number }) => a.id), [ids[0], ids[1]]);
      assert.ok(body.nextCursor);
      const second = (await get(`/api/v1/articles?limit=10&cursor=${body.nextCursor}`)).json();
      assert.deepEqual(second.items.map((a: { id: number }) => a.id), ids.slice(2));
      assert.equal(second.nextCursor, null);
      assert.ok(!JSON.stringify(second).includes('Secret draft'));
      const item = body.items[0];
      assert.equal(item.url, `http://news.test/news/${ids[0]}/${item.slug}`);
      assert.equal(item.leadMedia.url, 'http://news.test/media/2013/05/31/test_635056300967158844_25f_4x3.jpg');
      assert.match(item.publishedAt, /^\d{4}-\d\d-\d\dT/);
    });

    test('filters: section, tag, content type by name or id, language, dates', async () => {
      const ids_ = async (url: string) => (await get(url)).json().items.map((a: { id: number }) => a.id);
      assert.deepEqual(await ids_('/api/v1/articles?section=sport'), [ids[3], ids[4]]);
      assert.deepEqual(await ids_('/api/v1/articles?tag=floods'), [ids[1], ids[3]]);
      assert.deepEqual(await ids_('/api/v1/articles?type=video-report'), [ids[4]]);
      assert.deepEqual(await ids_('/api/v1/articles?type=22'), [ids[4]]);
      assert.deepEqual(await ids_('/api/v1/articles?lang=ar'), []);
      const one = (await get(`/api/v1/articles/${ids[2]}`)).json();
      assert.deepEqual(await ids_(`/api/v1/articles?published_after=${encodeURIComponent(one.publishedAt)}&section=world`), [ids[0], ids[1], ids[2]]);
      assert.deepEqual(await ids_(`/api/v1/articles?published_before=${encodeURIComponent(one.publishedAt)}`), [ids[3], ids[4]]);
    });

    test('one article by id and by slug, with body and tags', async () => {
      const res = await get(`/api/v1/articles/${ids[0]}`);
      assert.equal(res.statusCode, 200);
      const a = res.json();
      assert.equal(a.bodyHtml, '<p>First paragraph.</p><p>Second paragraph.</p>');
      assert.equal(a.tags[0].name, 'Elections');
      assert.equal(a.direction, 'ltr');
      const bySlug = await get(`/api/v1/articles/by-slug/${encodeURIComponent(a.slug)}`);
      assert.equal(bySlug.json().id, ids[0]);
    });

    test('sections, content types and tags', async () => {
      assert.deepEqual((await get('/api/v1/sections')).json().items.map((s: { slug: string }) => s.slug), ['world', 'sport']);
      assert.equal((await get('/api/v1/content-types')).json().items[0].id, 21);
      const tags = (await get('/api/v1/tags?kind=topic&limit=1')).json();
      assert.equal(tags.items[0].name, 'Elections');
      const next = (await get(`/api/v1/tags?kind=topic&limit=1&cursor=${tags.nextCursor}`)).json();
      assert.equal(next.items[0].name, 'Floods');
    });

    test('bad input gets a clear problem+json 4xx', async () => {
      const cases: [string, number, RegExp][] = [
        ['/api/v1/articles/abc', 400, /path parameter "id" must be integer/],
        ['/api/v1/articles/0', 400, /must be >= 1/],
        ['/api/v1/articles/99999999999', 400, /must be <= 2147483647/],
        ['/api/v1/articles/999999', 404, /No published article has the id 999999/],
        ['/api/v1/articles?limit=100000', 400, /query parameter "limit" must be <= 100/],
        ['/api/v1/articles?limit=-1', 400, /must be >= 1/],
        ['/api/v1/articles?colour=red', 400, /Unknown query parameter "colour"/],
        ['/api/v1/articles?section=nowhere', 400, /Unknown section "nowhere"/],
        ['/api/v1/articles?type=sonnet', 400, /Unknown content type "sonnet"/],
        ['/api/v1/articles?published_before=yesterday', 400, /published_before/],
        ['/api/v1/articles?cursor=garbage', 400, /cursor is not one this API issued/],
        ['/api/v1/tags?kind=animal', 400, /query parameter "kind"/],
        ['/api/v1/nothing-here', 404, /Nothing is published at \/api\/v1\/nothing-here/],
        [`/api/v1/articles/${'9'.repeat(3000)}`, 414, /longer than the limit of 1024/],
        [`/api/v1/articles?cursor=${'x'.repeat(3000)}`, 414, /the limit is 2048/],
      ];
      for (const [url, status, detail] of cases) {
        const res = await get(url);
        assert.equal(res.statusCode, status, `${url.slice(0, 60)} → ${res.statusCode} ${res.body}`);
        assert.match(res.headers['content-type'] as string, /^application\/problem\+json/);
        const p = res.json();
        assert.equal(p.status, status);
        assert.match(p.detail, detail, url.slice(0, 60));
        assert.ok(p.requestId && p.title && p.code);
      }
    });

    test('ETag and Cache-Control on every GET; If-None-Match gives 304; malformed gives 400', async () => {
      for (const url of ['/api/v1/articles', `/api/v1/articles/${ids[0]}`, '/api/v1/sections', `/api/legacy/related/${ids[0]}`, '/']) {
        const res = await get(url);
        assert.equal(res.statusCode, 200, url);
        assert.ok(res.headers['cache-control'], url);
        const etag = res.headers.etag as string;
        assert.match(etag, /^"[\w-]+"$/, url);
        const again = await get(url, { 'if-none-match': `"other", ${etag}` });
        assert.equal(again.statusCode, 304, url);
        assert.equal(again.body, '');
        assert.equal((await get(url, { 'if-none-match': 'W/' + etag })).statusCode, 304, url);
        assert.equal((await get(url, { 'if-none-match': '"stale"' })).statusCode, 200, url);
      }
      const bad = await get('/api/v1/articles', { 'if-none-match': 'no-quotes' });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.json().detail, /If-None-Match must be/);
      const missing = await get('/api/v1/articles/424242');
      assert.ok(missing.headers['cache-control']);
    });

    test('OpenAPI document describes the API', async () => {
      const res = await get('/api/docs/json');
      assert.equal(res.statusCode, 200);
      const doc = res.json();
      assert.equal(doc.openapi, '3.1.0');
      for (const path of ['/api/v1/articles', '/api/v1/articles/{id}', '/api/v1/articles/{id}/related', '/api/v1/sections', '/api/v1/tags', '/api/v1/content-types', '/api/legacy/related/{id}']) {
        assert.ok(doc.paths[path], `missing ${path}`);
      }
      assert.ok(!doc.paths['/news/{id}/{slug}'], 'site pages are not API');
      assert.equal((await get('/api/docs')).statusCode < 400, true);
    });
  });
}
