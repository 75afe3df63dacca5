import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SYSTEM_PRINCIPAL } from '../../src/domain/roles.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/databases.js';
import { makeArticle, makeImage, makeSection } from '../helpers/factories.js';
import { login, makeUser, type Client } from '../helpers/newsroom.js';

const leadOfHome = (html: string) => /<section class="lead-story"[^>]*>[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';

for (const engine of DIALECTS) {
  describe(`fronts on ${engine}`, () => {
    let t: TestApp;
    let world: number;
    let pictured: number;
    let older: number;
    let wire: number[];
    let editor: Client;
    let author: Client;
    let contributor: Client;

    before(async () => {
      t = await createTestApp(engine);
      world = await makeSection(t, 'world', 'World');
      await makeSection(t, 'sport', 'Sport');
      older = await makeArticle(t, world, { headline: 'Older pictured story', publishedAt: t.clock.now - 7_200_000, leadMediaId: await makeImage(t, '2026/11/20/old_1_25f_4x3.jpg') });
      pictured = await makeArticle(t, world, { headline: 'Pictured lead story', publishedAt: t.clock.now - 3_600_000, leadMediaId: await makeImage(t, '2026/11/20/lead_1_25f_4x3.jpg') });
      // A burst of 20 short wire items without pictures, all newer than the pictured story.
      wire = [];
      for (let i = 0; i < 20; i++) {
        wire.push(await makeArticle(t, world, { headline: `Wire flash ${i + 1}`, source: 'Wire', bodyHtml: '<p>Flash.</p>', publishedAt: t.clock.now - 60_000 * (20 - i) }));
      }
      editor = await login(t.app, await makeUser(t, 'editor'));
      author = await login(t.app, await makeUser(t, 'author'));
      contributor = await login(t.app, await makeUser(t, 'contributor'));
    });
    after(() => t.cleanup());

    test('a burst of 20 picture-less wire items takes neither the automatic lead nor every top slot', async () => {
      const api = (await t.app.inject('/api/v1/fronts/home')).json();
      assert.equal(api.lead.id, pictured);
      assert.equal(api.leadPlaced, false);
      assert.equal(api.topPlaced, 0);
      assert.equal(api.top[0].id, older, 'pictured stories fill the top slots first');
      const home = await t.app.inject('/');
      assert.equal(home.statusCode, 200);
      assert.match(leadOfHome(home.body), /Pictured lead story/);
      assert.match(home.body, /Wire flash 20/, 'the wire items still show under Latest');
    });

    test('an editor arranges home; the next request shows it, with surrogate keys', async () => {
      const until = new Date(t.clock.now + 3_600_000).toISOString();
      const res = await editor.put('/api/admin/fronts/home', {
        revision: 0,
        lead: { articleId: wire[3]! },
        top: [{ articleId: wire[0]! }, { articleId: older, expiresAt: until }],
      });
      assert.equal(res.statusCode, 200, res.body);
      const saved = res.json();
      assert.equal(saved.revision, 1);
      assert.equal(saved.lead.article.headline, 'Wire flash 4');
      assert.equal(saved.top[1].expiresAt, until);

      const home = await t.app.inject('/');
      assert.match(leadOfHome(home.body), /Wire flash 4/);
      const keys = String(home.headers['surrogate-key']).split(' ');
      for (const k of ['front-home', `article-${wire[3]}`, `article-${wire[0]}`, `article-${older}`, 'latest']) assert.ok(keys.includes(k), `missing ${k} in ${keys.join(' ')}`);

      const api = await t.app.inject('/api/v1/fronts/home');
      assert.equal(api.statusCode, 200);
      const body = api.json();
      assert.equal(body.lead.id, wire[3]);
      assert.equal(body.leadPlaced, true);
      assert.deepEqual(body.top.slice(0, 2).map((a: { id: number }) => a.id), [wire[0], older]);
      assert.equal(body.topPlaced, 2);
      assert.match(String(api.headers['surrogate-key']), /front-home/);
    });

    test('a placement stops showing after its expiry and the slot fills again', async () => {
      const before = (await t.app.inject('/api/v1/fronts/home')).json();
      assert.equal(before.topPlaced, 2);
      t.clock.set(t.clock.now + 2 * 3_600_000);
      try {
        t.services.contentCache.clear();
        const after = (await t.app.inject('/api/v1/fronts/home')).json();
        assert.equal(after.topPlaced, 1);
        assert.equal(after.top[0].id, wire[0]);
        assert.equal(after.top.length, 6, 'the freed slot filled from the newest');
      } finally {
        t.clock.set(t.clock.now - 2 * 3_600_000);
      }
    });

    test('saving is revisioned, audited, and refuses a stale revision', async () => {
      const stale = await editor.put('/api/admin/fronts/home', { revision: 0, lead: null, top: [] });
      assert.equal(stale.statusCode, 409);
      assert.equal(stale.json().code, 'REVISION_CONFLICT');
      assert.match(stale.json().detail, /Someone saved the Home front since you opened it/);
      const revs = (await editor.get('/api/admin/fronts/home/revisions')).json();
      assert.equal(revs.items[0].revision, 1);
      assert.equal(revs.items[0].lead.articleId, wire[3]);
      const audit = await t.services.newsroom.audit.list(20);
      const entry = audit.items.find((e) => e.action === 'front.save');
      assert.ok(entry, 'an audit entry');
      assert.equal(entry.subject, 'front:home');
    });

    test('only editors and owners arrange fronts', async () => {
      const body = { revision: 1, lead: null, top: [] };
      assert.equal((await author.put('/api/admin/fronts/home', body)).statusCode, 403);
      assert.equal((await contributor.put('/api/admin/fronts/home', body)).statusCode, 403);
      assert.equal((await author.get('/api/admin/fronts/home')).statusCode, 200);
      assert.equal((await t.app.inject({ method: 'PUT', url: '/api/admin/fronts/home', payload: body })).statusCode, 401);
    });

    test('bad arrangements get messages an editor understands', async () => {
      const dup = await editor.put('/api/admin/fronts/home', { revision: 1, lead: { articleId: older }, top: [{ articleId: older }] });
      assert.equal(dup.statusCode, 422);
      assert.equal(dup.headers['content-type'], 'application/problem+json; charset=utf-8');
      assert.match(dup.json().detail, new RegExp(`Story ${older} is placed twice`));
      const missing = await editor.put('/api/admin/fronts/home', { revision: 1, lead: { articleId: 999999 }, top: [] });
      assert.equal(missing.statusCode, 422);
      assert.match(missing.json().detail, /Story 999999 does not exist/);
      const badTime = await editor.put('/api/admin/fronts/home', { revision: 1, lead: { articleId: older, expiresAt: 'next tuesday' }, top: [] });
      assert.equal(badTime.statusCode, 400);
      assert.match(badTime.json().detail, /expiry of the lead \("next tuesday"\) is not a date and time/);
      const past = await editor.put('/api/admin/fronts/home', { revision: 1, lead: { articleId: older, expiresAt: '2001-01-01T00:00:00Z' }, top: [] });
      assert.equal(past.statusCode, 422);
      assert.match(past.json().detail, /expires in the past/);
      const unknown = await editor.put('/api/admin/fronts/no-such-section', { revision: 0, lead: null, top: [] });
      assert.equal(unknown.statusCode, 404);
      assert.match(unknown.json().detail, /no front named "no-such-section"/);
      assert.equal((await t.app.inject('/api/v1/fronts/no-such-section')).statusCode, 404);
    });

    test('a section front: placed lead on /section/world page 1, filled from the section only', async () => {
      const res = await editor.put('/api/admin/fronts/world', { revision: 0, lead: { articleId: wire[10]! }, top: [{ articleId: pictured }] });
      assert.equal(res.statusCode, 200, res.body);
      const page = await t.app.inject('/section/world');
      assert.equal(page.statusCode, 200);
      assert.match(leadOfHome(page.body), /Wire flash 11/);
      assert.match(String(page.headers['surrogate-key']), new RegExp(`front-world .*article-${wire[10]}`));
      const api = (await t.app.inject('/api/v1/fronts/world')).json();
      assert.equal(api.section.slug, 'world');
      assert.equal(api.lead.id, wire[10]);
      assert.equal(api.top[0].id, pictured);
      const sport = (await t.app.inject('/api/v1/fronts/sport')).json();
      assert.equal(sport.lead, null, 'an empty section front stays empty');
    });

    test('a placed story that is unpublished leaves the front at once', async () => {
      await t.services.newsroom.workflow.transition(SYSTEM_PRINCIPAL, wire[10]!, { action: 'unpublish' });
      const api = (await t.app.inject('/api/v1/fronts/world')).json();
      assert.notEqual(api.lead.id, wire[10]);
      assert.equal(api.leadPlaced, false);
      assert.equal(api.lead.id, older, "the automatic lead is the newest pictured story not already placed");
    });
  });
}
