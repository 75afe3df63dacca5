import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import type { Article } from '../../src/domain/article.js';
import { articleToNinjs, canceledNinjs, toNinjs3 } from '../../src/services/distribution/ninjs.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/databases.js';
import { makeArticle, makeImage, makeSection } from '../helpers/factories.js';
import { actor, makeUser } from '../helpers/newsroom.js';
import { ninjsErrors } from '../helpers/ninjs-schema.js';

type Doc = Record<string, any>;

for (const engine of DIALECTS) {
  describe(`ninjs for partners on ${engine}`, () => {
    let t: TestApp;
    let world: number;
    let sport: number;
    let ids: number[];
    let img: number;
    let editor: ReturnType<typeof actor>;
    before(async () => {
      t = await createTestApp(engine);
      world = await makeSection(t, 'world', 'World');
      sport = await makeSection(t, 'sport', 'Sport');
      img = await makeImage(t);
      await t.services.repos.media.update(img, { state: 'ready' } as never);
      ids = [];
      for (let i = 0; i < 5; i++) {
        ids.push(
          await makeArticle(t, i < 3 ? world : sport, {
            leadMediaId: i === 0 ? img : null,
            language: i === 4 ? 'ar' : 'en',
            headline: i === 4 ? 'عنوان الخبر' : `Story ${i}`,
            tags: [
              { kind: 'topic', name: 'Floods' },
              { kind: 'person', name: 'Jane Doe' },
              { kind: 'organisation', name: 'Red Crescent' },
              { kind: 'place', name: 'Qusayr' },
            ],
          }),
        );
      }
      editor = actor(await makeUser(t, 'editor'));
    });
    after(() => t.cleanup());

    const get = (url: string) => t.app.inject({ method: 'GET', url });

    test('an item is valid ninjs 2.1 with every field partners need', async () => {
      const res = await get(`/api/ninjs/v2/items/${ids[0]}`);
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /application\/json/);
      assert.equal(res.headers['surrogate-key'], `article-${ids[0]}`);
      assert.ok(res.headers.etag);
      const doc: Doc = res.json();
      assert.equal(ninjsErrors('2.1', doc), '');
      assert.equal(doc.uri, `http://news.test/news/${ids[0]}`);
      assert.equal(doc.pubstatus, 'usable');
      assert.equal(doc.type, 'text');
      assert.equal(doc.language, 'en');
      assert.match(doc.versioncreated, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
      assert.match(doc.firstcreated, /^\d{4}-\d\d-\d\dT/);
      assert.deepEqual(doc.headlines, [{ role: 'main', value: 'Story 0' }]);
      assert.deepEqual(doc.descriptions, [{ role: 'summary', value: 'A dek' }]);
      const html = doc.bodies.find((b: Doc) => b.contenttype === 'text/html');
      assert.equal(html.value, '<p>First paragraph.</p><p>Second paragraph.</p>');
      assert.equal(doc.by, 'Test Reporter');
      assert.equal(doc.located, 'Testville');
      assert.deepEqual(doc.subjects.map((s: Doc) => s.name), ['Floods']);
      assert.deepEqual(doc.people.map((s: Doc) => s.name), ['Jane Doe']);
      assert.deepEqual(doc.organisations.map((s: Doc) => s.name), ['Red Crescent']);
      assert.deepEqual(doc.places.map((s: Doc) => s.name), ['Qusayr']);
      assert.equal(doc.places[0].uri, 'http://news.test/topic/qusayr');
      assert.equal(doc.associations.length, 1);
      const lead = doc.associations[0];
      assert.equal(lead.name, 'leadmedia');
      assert.equal(lead.type, 'picture');
      assert.equal(lead.by, 'Test/Credit');
      assert.equal(lead.renditions[0].href, 'http://news.test/media/2013/05/31/test_635056300967158844_25f_4x3.jpg');
      const crops = lead.renditions.filter((r: Doc) => r.name !== 'original');
      assert.ok(crops.length >= 9, 'crops in three ratios');
      assert.ok(crops.some((r: Doc) => r.contenttype === 'image/avif' && r.width === 640 && r.height === 480));
      assert.equal(doc.standard.version, '2.1');
    });

    test('the same item as ninjs 3.0 is valid against the 3.0 schema', async () => {
      const doc: Doc = (await get(`/api/ninjs/v3/items/${ids[0]}`)).json();
      assert.equal(ninjsErrors('3.0', doc), '');
      assert.equal(doc.pubStatus, 'usable');
      assert.ok(doc.versionCreated);
      assert.equal(doc.bodies[0].contentType, 'text/html');
      assert.equal(doc.standard.version, '3.0');
    });

    test('lists newest first with cursor paging and the content API filters; every item validates', async () => {
      const first = await get('/api/ninjs/v2/items?limit=2');
      assert.equal(first.statusCode, 200);
      const body = first.json();
      assert.deepEqual(body.items.map((d: Doc) => d.uri), [ids[0], ids[1]].map((id) => `http://news.test/news/${id}`));
      assert.equal(first.headers['surrogate-key'], `article-${ids[0]} article-${ids[1]} latest feed`);
      const rest = (await get(`/api/ninjs/v2/items?limit=10&cursor=${body.nextCursor}`)).json();
      assert.equal(rest.items.length, 3);
      assert.equal(rest.nextCursor, null);
      for (const doc of [...body.items, ...rest.items]) assert.equal(ninjsErrors('2.1', doc), '');
      const sportList = await get('/api/ninjs/v2/items?section=sport');
      assert.deepEqual(sportList.json().items.map((d: Doc) => d.uri), [ids[3], ids[4]].map((id) => `http://news.test/news/${id}`));
      assert.match(String(sportList.headers['surrogate-key']), new RegExp(`section-${sport}`));
      const arabic = await get('/api/ninjs/v3/items?lang=ar');
      const docs = arabic.json().items as Doc[];
      assert.equal(docs.length, 1);
      assert.equal(docs[0]!.language, 'ar');
      assert.equal(ninjsErrors('3.0', docs[0]), '');
      assert.match(String(arabic.headers['surrogate-key']), /lang-ar/);
      assert.equal((await get('/api/ninjs/v2/items?tag=floods&limit=1')).json().items.length, 1);
    });

    test('bad input is a clear 400/404 problem, never a 500', async () => {
      for (const [url, status] of [
        ['/api/ninjs/v2/items/abc', 400],
        ['/api/ninjs/v2/items?limit=0', 400],
        ['/api/ninjs/v2/items?section=nowhere', 400],
        ['/api/ninjs/v2/items?cursor=bogus', 400],
        ['/api/ninjs/v2/items?colour=red', 400],
        ['/api/ninjs/v2/items/999999', 404],
        ['/api/ninjs/v2/media/999999', 404],
      ] as const) {
        const res = await get(url);
        assert.equal(res.statusCode, status, url);
        assert.match(String(res.headers['content-type']), /application\/problem\+json/, url);
        assert.ok(res.json().detail, url);
      }
    });

    test('drafts are not there; unpublished answers pubstatus canceled; killed answers 410', async () => {
      const draft = await makeArticle(t, world, { status: 'draft', headline: 'Draft only' });
      assert.equal((await get(`/api/ninjs/v2/items/${draft}`)).statusCode, 404);

      await t.services.newsroom.workflow.transition(editor, ids[1]!, { action: 'unpublish' });
      const canceled = await get(`/api/ninjs/v2/items/${ids[1]}`);
      assert.equal(canceled.statusCode, 200);
      const doc: Doc = canceled.json();
      assert.equal(ninjsErrors('2.1', doc), '');
      assert.equal(doc.pubstatus, 'canceled');
      assert.equal(doc.uri, `http://news.test/news/${ids[1]}`);
      assert.equal(doc.bodies, undefined, 'no content for a withdrawn item');
      const v3: Doc = (await get(`/api/ninjs/v3/items/${ids[1]}`)).json();
      assert.equal(v3.pubStatus, 'canceled');
      assert.equal(ninjsErrors('3.0', v3), '');
      const list = (await get('/api/ninjs/v2/items?limit=50')).json();
      assert.ok(!list.items.some((d: Doc) => d.uri === `http://news.test/news/${ids[1]}`), 'gone from lists');

      await t.services.newsroom.workflow.transition(editor, ids[2]!, { action: 'kill' });
      const killed = await get(`/api/ninjs/v2/items/${ids[2]}`);
      assert.equal(killed.statusCode, 410);
      assert.match(String(killed.headers['content-type']), /application\/problem\+json/);
      assert.equal(killed.json().code, 'ARTICLE_GONE');
    });

    test('a media item is a valid picture document with renditions', async () => {
      const res = await get(`/api/ninjs/v2/media/${img}`);
      assert.equal(res.statusCode, 200);
      const doc: Doc = res.json();
      assert.equal(ninjsErrors('2.1', doc), '');
      assert.equal(doc.type, 'picture');
      assert.ok(doc.renditions.length > 1);
      assert.equal(ninjsErrors('3.0', (await get(`/api/ninjs/v3/media/${img}`)).json()), '');
    });
  });
}

describe('ninjs mapping (property-based)', () => {
  const ctx = { baseUrl: 'https://news.example.org', siteName: 'Dateline' };
  const text = fc.string({ unit: 'grapheme', maxLength: 80 });
  const article = fc.record({
    id: fc.integer({ min: 1, max: 2_147_483_647 }),
    headline: text.filter((s) => s.trim().length > 0),
    dek: text,
    bodyHtml: text.map((s) => `<p>${s}</p>`),
    bodyText: text,
    byline: text,
    source: text,
    place: text,
    language: fc.constantFrom('en', 'ar', 'fa', 'en-GB'),
    slug: fc.stringMatching(/^[a-z0-9-]{1,30}$/),
    revision: fc.integer({ min: 1, max: 1000 }),
    updatedAt: fc.integer({ min: 0, max: 4_102_444_800_000 }),
    firstPublishedAt: fc.option(fc.integer({ min: 0, max: 4_102_444_800_000 })),
    tags: fc.array(fc.record({ id: fc.nat(), slug: fc.stringMatching(/^[a-z0-9-]{1,20}$/), name: text, kind: fc.constantFrom('topic', 'person', 'organisation', 'place'), language: fc.constant('en') }), { maxLength: 6 }),
    corrections: fc.array(fc.record({ at: fc.integer({ min: 0, max: 4_102_444_800_000 }), note: text }), { maxLength: 3 }),
  });

  test('any article maps to documents valid against ninjs 2.1 and 3.0', () => {
    fc.assert(
      fc.property(article, (a) => {
        const full = {
          ...a,
          direction: 'ltr',
          contentTypeId: 21,
          sectionId: 1,
          status: 'published',
          publishedAt: a.updatedAt,
          leadMedia: null,
          translationGroup: null,
          createdAt: 0,
        } as unknown as Article;
        const doc = articleToNinjs(full, ctx, { id: 21, name: 'news', label: 'News' });
        assert.equal(ninjsErrors('2.1', doc), '');
        assert.equal(ninjsErrors('3.0', toNinjs3(doc)), '');
        const canceled = canceledNinjs(full, ctx);
        assert.equal(ninjsErrors('2.1', canceled), '');
        assert.equal(ninjsErrors('3.0', toNinjs3(canceled)), '');
      }),
      { numRuns: 200 },
    );
  });
});
