import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/databases.js';
import { makeSection } from '../helpers/factories.js';
import { actor, login, makeUser, type Client } from '../helpers/newsroom.js';

for (const engine of DIALECTS) {
  describe(`newsroom screens' API (tags merge, audit filters, key scopes) on ${engine}`, () => {
    let t: TestApp;
    let editor: Client;
    let owner: Client;
    let section: number;
    before(async () => {
      t = await createTestApp(engine);
      section = await makeSection(t, 'world', 'World');
      editor = await login(t.app, await makeUser(t, 'editor', { name: 'Edna Editor' }));
      owner = await login(t.app, await makeUser(t, 'owner', { name: 'Otto Owner' }));
    });
    after(() => t.cleanup());

    const article = async (c: Client, headline: string, tags: { kind: string; name: string }[]) => {
      const res = await c.post('/api/admin/articles', { headline, sectionId: section, bodyHtml: `<p>${headline}.</p>`, tags });
      assert.equal(res.statusCode, 201, res.body);
      return res.json().id as number;
    };
    const tagByName = async (name: string) => {
      const res = await editor.get(`/api/admin/tags?q=${encodeURIComponent(name)}`);
      return (res.json().items as { id: number; name: string; articleCount: number }[]).find((x) => x.name === name);
    };

    test('tags list with article counts; merging moves every article, keeps one tag per article, and deletes the source', async () => {
      const a = await article(editor, 'Summit opens in Geneva', [{ kind: 'organisation', name: 'UN' }]);
      const b = await article(editor, 'Aid convoy reaches the border', [{ kind: 'organisation', name: 'UN' }, { kind: 'organisation', name: 'United Nations' }]);
      const c = await article(editor, 'Envoy resigns', [{ kind: 'organisation', name: 'United Nations' }]);
      const un = (await tagByName('UN'))!;
      const united = (await tagByName('United Nations'))!;
      assert.equal(un.articleCount, 2);
      assert.equal(united.articleCount, 2);

      const res = await editor.post(`/api/admin/tags/${un.id}/merge`, { into: united.id });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().moved, 2);
      assert.equal(res.json().tag.id, united.id);
      assert.equal(res.json().tag.articleCount, 3);
      assert.equal(await tagByName('UN'), undefined, 'the merged tag is gone');
      for (const id of [a, b, c]) {
        const tags = (await editor.get(`/api/admin/articles/${id}`)).json().tags as { name: string }[];
        assert.deepEqual(tags.map((x) => x.name), ['United Nations'], `article ${id}`);
      }
      const audit = (await editor.get('/api/admin/audit?action=tag.merge')).json().items;
      assert.equal(audit.length, 1);
      assert.match(audit[0].detail, /"UN" .*merged into "United Nations"/);
    });

    test('merging refuses nonsense with messages an editor understands', async () => {
      await article(editor, 'Port strike ends', [{ kind: 'topic', name: 'Strikes' }]);
      const strikes = (await tagByName('Strikes'))!;
      const self = await editor.post(`/api/admin/tags/${strikes.id}/merge`, { into: strikes.id });
      assert.equal(self.statusCode, 422);
      assert.match(self.json().detail, /cannot be merged into itself/);
      const missing = await editor.post(`/api/admin/tags/${strikes.id}/merge`, { into: 999999 });
      assert.equal(missing.statusCode, 404);
      assert.match(missing.json().detail, /No tag has the id 999999/);
      const bad = await editor.post(`/api/admin/tags/${strikes.id}/merge`, { into: 'x' });
      assert.equal(bad.statusCode, 400);
      const author = await login(t.app, await makeUser(t, 'author'));
      assert.equal((await author.post(`/api/admin/tags/${strikes.id}/merge`, { into: strikes.id })).statusCode, 403);
    });

    test('the audit log filters by person, action (and family), and time; bad dates are 4xx', async () => {
      await article(owner, 'Owner writes a story', []);
      const ownerId = owner.user!.id;
      const byOwner = (await editor.get(`/api/admin/audit?userId=${ownerId}&limit=200`)).json().items as { userId: number; action: string }[];
      assert.ok(byOwner.length > 0);
      assert.ok(byOwner.every((e) => e.userId === ownerId));
      const creates = (await editor.get('/api/admin/audit?action=article.create&limit=200')).json().items as { action: string }[];
      assert.ok(creates.length >= 5);
      assert.ok(creates.every((e) => e.action === 'article.create'));
      const family = (await editor.get('/api/admin/audit?action=auth.*&limit=200')).json().items as { action: string }[];
      assert.ok(family.length >= 2);
      assert.ok(family.every((e) => e.action.startsWith('auth.')));

      const actions = (await editor.get('/api/admin/audit/actions')).json().items as string[];
      assert.ok(actions.includes('article.create') && actions.includes('tag.merge'));

      // Time range: entries are stamped with the test clock.
      const now = t.clock.now;
      t.clock.set(now + 3 * 86_400_000);
      try {
        await t.services.newsroom.audit.record(actor(editor.user!), 'article.create', 'article:0', 'Three days later');
      } finally {
        t.clock.set(now);
      }
      const later = new Date(now + 2 * 86_400_000).toISOString();
      const recent = (await editor.get(`/api/admin/audit?from=${later}`)).json().items as { detail: string; at: string }[];
      assert.deepEqual(recent.map((e) => e.detail), ['Three days later']);
      const older = (await editor.get(`/api/admin/audit?to=${later}&action=article.create&limit=200`)).json().items as { detail: string }[];
      assert.ok(!older.some((e) => e.detail === 'Three days later'));
      const day = new Date(now + 3 * 86_400_000).toISOString().slice(0, 10);
      const thatDay = (await editor.get(`/api/admin/audit?from=${day}&to=${day}`)).json().items as { detail: string }[];
      assert.deepEqual(thatDay.map((e) => e.detail), ['Three days later'], 'a date-only "to" includes that day');

      const bad = await editor.get('/api/admin/audit?from=yesterday');
      assert.equal(bad.statusCode, 422);
      assert.match(bad.json().detail, /"from" must be a date such as 2026-11-20/);
      const reversed = await editor.get(`/api/admin/audit?from=${later}&to=${new Date(now).toISOString()}`);
      assert.equal(reversed.statusCode, 422);
      assert.match(reversed.json().detail, /before the "to" date/);
      const unknown = await editor.get('/api/admin/audit?who=me');
      assert.equal(unknown.statusCode, 400);
      const author = await login(t.app, await makeUser(t, 'author'));
      assert.equal((await author.get('/api/admin/audit')).statusCode, 403);
    });

    test('API key scopes are listed for owners only; a key created with some scopes can do only that, and revoked, nothing', async () => {
      const scopes = (await owner.get('/api/admin/api-keys/scopes')).json().items as string[];
      assert.ok(scopes.includes('articles.read') && !scopes.includes('users.manage'));
      assert.equal((await editor.get('/api/admin/api-keys/scopes')).statusCode, 403);
      const created = await owner.post('/api/admin/api-keys', { name: 'Wire reader', scopes: ['articles.read'] });
      assert.equal(created.statusCode, 201);
      const secret = created.json().secret as string;
      const read = await t.app.inject({ method: 'GET', url: '/api/admin/articles', headers: { authorization: `Bearer ${secret}` } });
      assert.equal(read.statusCode, 200);
      const write = await t.app.inject({ method: 'POST', url: '/api/admin/articles', headers: { authorization: `Bearer ${secret}` }, payload: { headline: 'x', sectionId: section } });
      assert.equal(write.statusCode, 403);
      assert.equal((await owner.del(`/api/admin/api-keys/${created.json().apiKey.id}`)).statusCode, 204);
      const after = await t.app.inject({ method: 'GET', url: '/api/admin/articles', headers: { authorization: `Bearer ${secret}` } });
      assert.equal(after.statusCode, 401);
    });
  });
}
