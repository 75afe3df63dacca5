import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/databases.js';
import { makeArticle, makeImage, makeSection } from '../helpers/factories.js';
import { actor, makeUser } from '../helpers/newsroom.js';

/** The page cache over a real socket (hits are answered before Fastify, so `inject` would not see them). */
for (const engine of DIALECTS) {
  describe(`page cache on ${engine}`, () => {
    let t: TestApp;
    let base: string;
    let editor: ReturnType<typeof actor>;
    const ids: Record<string, number> = {};
    let newsRenders = 0;

    const get = (path: string, headers: Record<string, string> = {}) => fetch(base + path, { headers, redirect: 'manual' });
    const cached = (path: string) => t.services.pageCaching.cache!.has(path);
    const pathOf = async (id: number) => {
      const a = await t.services.newsroom.workflow.get(id);
      return `/news/${id}/${a.slug}`;
    };

    before(async () => {
      t = await createTestApp(engine, {}, (app) => {
        app.addHook('onResponse', async (request) => {
          if (request.url.startsWith('/news/')) newsRenders++;
        });
      });
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      const address = t.app.server.address();
      base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      editor = actor(await makeUser(t, 'editor'));
      const world = await makeSection(t, 'world', 'World');
      const sport = await makeSection(t, 'sport', 'Sport');
      ids.world = world;
      ids.sport = sport;
      ids.a = await makeArticle(t, world, { headline: 'Ceasefire talks open in Geneva', bodyHtml: '<p>Diplomats gathered by the lake.</p>', tags: [{ kind: 'topic', name: 'Diplomacy' }], leadMediaId: await makeImage(t, '2026/11/20/a_1_25f_4x3.jpg') });
      ids.b = await makeArticle(t, world, { headline: 'Envoys arrive for the talks', bodyHtml: '<p>Delegations landed overnight.</p>' });
      ids.c = await makeArticle(t, sport, { headline: 'Cup final goes to extra time', bodyHtml: '<p>Stadium roared past midnight.</p>', tags: [{ kind: 'topic', name: 'Football' }] });
      ids.d = await makeArticle(t, sport, { headline: 'Keeper saves three penalties', bodyHtml: '<p>Goalkeeper heroics decided it.</p>' });
      await t.services.publishing.setRelated(ids.a!, [ids.b!]);
      await t.services.publishing.setRelated(ids.c!, [ids.d!]);
      const draft = await t.services.newsroom.workflow.create(editor, { headline: 'Breaking: agreement signed', sectionId: world, bodyHtml: '<p>Signed at noon.</p>' });
      ids.draft = draft.id;
    });
    after(async () => t.cleanup());

    const warm = async (paths: string[]) => {
      for (const p of paths) {
        const first = await get(p);
        assert.equal(first.status, 200, p);
        await first.arrayBuffer();
        const second = await get(p);
        await second.arrayBuffer();
        assert.equal(second.headers.get('x-cache'), 'HIT', `${p} is served from the cache the second time`);
      }
    };

    test('a hit carries the caching headers and answers conditional and compressed requests', async () => {
      const path = await pathOf(ids.c!);
      await warm([path]);
      const res = await get(path);
      const body = await res.text();
      assert.match(res.headers.get('cache-control')!, /public, max-age=60, s-maxage=300, stale-while-revalidate=30, stale-if-error=86400/);
      assert.equal(res.headers.get('vary'), 'Accept-Encoding');
      const keys = res.headers.get('surrogate-key')!.split(' ');
      assert.ok(keys.includes(`article-${ids.c}`) && keys.includes(`related-${ids.c}`) && keys.includes(`article-${ids.d}`), keys.join(' '));
      assert.equal(res.headers.get('cache-tag'), keys.join(','));
      assert.ok(res.headers.get('content-security-policy'), 'security headers are kept with the entry');
      const notModified = await get(path, { 'if-none-match': res.headers.get('etag')! });
      assert.equal(notModified.status, 304);
      // Compressed copies are made off the request path; give them a moment.
      for (let i = 0; i < 50 && !t.services.pageCaching.cache!.lookup(path)?.entry.br; i++) await new Promise((r) => setTimeout(r, 20));
      const br = await fetch(base + path, { headers: { 'accept-encoding': 'br' } });
      assert.equal(br.headers.get('content-encoding'), 'br');
      assert.equal(br.headers.get('x-cache'), 'HIT');
      const raw = await new Promise<Buffer>((resolve, reject) => {
        import('node:http').then(({ get: httpGet }) => {
          httpGet(base + path, { headers: { 'accept-encoding': 'gzip;q=1, br;q=0' } }, (r) => {
            assert.equal(r.headers['content-encoding'], 'gzip');
            const chunks: Buffer[] = [];
            r.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks))).on('error', reject);
          });
        }, reject);
      });
      assert.equal(gunzipSync(raw).toString(), body);
      const rawBr = await new Promise<Buffer>((resolve, reject) => {
        import('node:http').then(({ get: httpGet }) => {
          httpGet(base + path, { headers: { 'accept-encoding': 'br' } }, (r) => {
            const chunks: Buffer[] = [];
            r.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks))).on('error', reject);
          });
        }, reject);
      });
      assert.equal(brotliDecompressSync(rawBr).toString(), body);
    });

    test('an edit shows at once on every page showing the article; every other page keeps its entry', async () => {
      const pathB = await pathOf(ids.b!);
      const pages = [
        await pathOf(ids.a!), await pathOf(ids.c!), await pathOf(ids.d!), '/', '/section/world', '/section/sport', '/topic/football', '/topic/diplomacy',
        `/api/v1/articles/${ids.a}`, `/api/v1/articles/${ids.b}`, `/api/v1/articles/${ids.c}`, `/api/legacy/related/${ids.a}`, `/api/legacy/related/${ids.c}`,
        `/api/v1/articles/${ids.a}/related`, '/api/v1/articles?section=sport',
      ];
      await warm([pathB, ...pages]);
      // The oracle is the content, not the keys: a page is affected iff it shows B's headline.
      const showsB = new Map<string, boolean>();
      for (const p of pages) {
        const r = await get(p);
        const body = await r.text();
        showsB.set(p, body.includes('Envoys arrive for the talks'));
      }
      assert.ok([...showsB.values()].filter(Boolean).length >= 4 && [...showsB.values()].filter((v) => !v).length >= 3, JSON.stringify([...showsB]));
      const b = await t.services.newsroom.workflow.get(ids.b!);
      await t.services.newsroom.workflow.save(editor, ids.b!, b.revision, { headline: 'Envoys land in Geneva' });
      for (const [p, affected] of showsB) {
        if (affected) {
          const res = await get(p);
          assert.equal(res.headers.get('x-cache'), 'MISS', `${p} was purged`);
          assert.match(await res.text(), /Envoys land in Geneva/, `${p} shows the new headline`);
        } else {
          assert.ok(cached(p), `${p} kept its entry`);
          assert.equal((await get(p)).headers.get('x-cache'), 'HIT', p);
        }
      }
      assert.equal((await get(pathB)).status, 301, 'the old slug now moves to the new one');
    });

    test('a publish enters home, its section and the site-wide lists; other sections stay cached', async () => {
      const unaffected = [await pathOf(ids.d!), '/section/sport', '/topic/football', `/api/v1/articles/${ids.c}`, '/api/v1/articles?section=sport'];
      const affected = ['/', '/section/world', '/api/v1/articles', '/api/v1/articles?lang=en'];
      await warm([...affected, ...unaffected]);
      await t.services.newsroom.workflow.transition(editor, ids.draft!, { action: 'publish' });
      for (const p of affected) {
        const res = await get(p);
        assert.match(await res.text(), /Breaking: agreement signed/, `${p} lists the new story`);
      }
      for (const p of unaffected) assert.ok(cached(p), `${p} kept its entry`);
    });

    test('an unpublish or correction purges the article and the lists it leaves', async () => {
      const pathA = await pathOf(ids.a!);
      const unaffected = ['/section/sport', '/topic/football', `/api/v1/articles/${ids.c}`];
      await warm([pathA, '/topic/diplomacy', '/section/world', ...unaffected]);
      await t.services.newsroom.workflow.transition(editor, ids.a!, { action: 'correct', note: 'An earlier version misspelt Geneva.' });
      const corrected = await get(pathA);
      assert.match(await corrected.text(), /misspelt Geneva/);
      await warm([pathA]);
      await t.services.newsroom.workflow.transition(editor, ids.a!, { action: 'unpublish' });
      assert.equal((await get(pathA)).status, 410);
      assert.doesNotMatch(await (await get('/topic/diplomacy')).text(), /Ceasefire talks/);
      assert.doesNotMatch(await (await get('/section/world')).text(), /Ceasefire talks/);
      for (const p of unaffected) assert.ok(cached(p), `${p} kept its entry`);
    });

    test('a media change purges the pages showing it', async () => {
      const pathC = await pathOf(ids.c!);
      const pathD = await pathOf(ids.d!);
      const image = await makeImage(t, '2026/11/21/d_2_25f_4x3.jpg');
      const d = await t.services.newsroom.workflow.get(ids.d!);
      await t.services.newsroom.workflow.save(editor, ids.d!, d.revision, { leadMediaId: image });
      await warm([pathC, pathD, '/section/world']);
      await t.services.media.update(image, { alt: 'Keeper dives to his left' });
      assert.match(await (await get(pathD)).text(), /Keeper dives to his left/);
      assert.ok(cached('/section/world'), 'a page not showing the picture keeps its entry');
    });

    test('concurrent requests for a missing page render it once', async () => {
      const path = await pathOf(ids.c!);
      t.services.pageCaching.cache!.clear();
      const before = newsRenders;
      const responses = await Promise.all(Array.from({ length: 25 }, () => get(path)));
      const bodies = await Promise.all(responses.map((r) => r.text()));
      assert.ok(responses.every((r) => r.status === 200));
      assert.equal(new Set(bodies).size, 1);
      assert.equal(newsRenders - before, 1, 'one render served all 25');
    });

    test('the newsroom, media and malformed preconditions bypass the cache', async () => {
      const res = await get('/api/admin/articles');
      assert.equal(res.headers.get('x-cache'), null);
      const bad = await get('/', { 'if-none-match': 'not-a-tag' });
      assert.equal(bad.status, 400);
    });
  });
}

describe('CONTENT_CACHE_SECONDS=0 turns the page cache off', () => {
  test('every request renders', async () => {
    const { createTestDb } = await import('../helpers/databases.js');
    const db = await createTestDb('sqlite', { contentCacheSeconds: 0 });
    assert.equal(db.services.pageCaching.cache, null);
    await db.cleanup();
  });
});
