import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { AUDIT_EXEMPTIONS } from '../../src/http/audit-exemptions.js';
import { AUTOSAVE_AUDIT_WINDOW_MS } from '../../src/services/workflow.service.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/databases.js';
import { makeSection } from '../helpers/factories.js';
import { pngOf } from '../helpers/media-files.js';
import { bearer, clientFor, makeUser, sessionCookieOf, type Client } from '../helpers/newsroom.js';
import { linkIn, startSmtpServer } from '../helpers/smtp.js';

/**
 * Issue 10 items 5 and 6. Every state-changing route of the route table (so also routes
 * added later) must be shown here to write an audit entry naming actor and target, or
 * be exempted with a reason in src/http/audit-exemptions.ts. A route with neither fails.
 */
type Step = (c: Ctx) => Promise<LightMyRequestResponse>;
interface Ctx {
  t: TestApp;
  owner: Client;
  sectionId: number;
  ids: Record<string, number>;
  strings: Record<string, string>;
  smtp: Awaited<ReturnType<typeof startSmtpServer>>;
}

const multipart = (png: Buffer) => {
  const b = 'auditboundary';
  return {
    payload: Buffer.concat([Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="alt"\r\n\r\nSquare\r\n--${b}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`), png, Buffer.from(`\r\n--${b}--\r\n`)]),
    type: `multipart/form-data; boundary=${b}`,
  };
};

/** In order: later steps use what earlier ones made. Key: "METHOD /route/pattern". */
const RECIPES: [string, string, Step][] = [
  ['POST /api/admin/sections', 'section.create', async (c) => {
    const r = await c.owner.post('/api/admin/sections', { slug: 'audit', name: 'Audit' });
    c.ids.section = r.json().id;
    return r;
  }],
  ['PATCH /api/admin/sections/:id', 'section.update', (c) => c.owner.patch(`/api/admin/sections/${c.ids.section}`, { name: 'Audited' })],
  ['DELETE /api/admin/sections/:id', 'section.delete', (c) => c.owner.del(`/api/admin/sections/${c.ids.section}`)],
  ['POST /api/admin/tags', 'tag.create', async (c) => {
    const r = await c.owner.post('/api/admin/tags', { name: 'Audit tag', kind: 'topic' });
    c.ids.tag = r.json().id;
    return r;
  }],
  ['PATCH /api/admin/tags/:id', 'tag.update', (c) => c.owner.patch(`/api/admin/tags/${c.ids.tag}`, { name: 'Audit tag 2' })],
  ['DELETE /api/admin/tags/:id', 'tag.delete', (c) => c.owner.del(`/api/admin/tags/${c.ids.tag}`)],
  ['POST /api/admin/content-types', 'content-type.create', async (c) => {
    const r = await c.owner.post('/api/admin/content-types', { id: 77, name: 'explainer', label: 'Explainer' });
    c.ids.contentType = r.json().id;
    return r;
  }],
  ['PATCH /api/admin/content-types/:id', 'content-type.update', (c) => c.owner.patch(`/api/admin/content-types/${c.ids.contentType}`, { label: 'Explainers' })],
  ['POST /api/admin/media', 'media.upload', async (c) => {
    const body = multipart(await pngOf(40, 30));
    const r = await c.t.app.inject({ method: 'POST', url: '/api/admin/media', headers: { cookie: c.owner.cookie, 'x-csrf-token': c.owner.csrfToken, 'content-type': body.type }, payload: body.payload });
    c.ids.media = r.json().id;
    return r;
  }],
  ['PATCH /api/admin/media/:id', 'media.update', (c) => c.owner.patch(`/api/admin/media/${c.ids.media}`, { caption: 'A caption' })],
  ['DELETE /api/admin/media/:id', 'media.delete', (c) => c.owner.del(`/api/admin/media/${c.ids.media}`)],
  ['POST /api/admin/articles', 'article.create', async (c) => {
    const r = await c.owner.post('/api/admin/articles', { headline: 'Audited story', sectionId: c.sectionId, bodyHtml: '<p>A story with text, so the publish checks let it out.</p>' });
    c.ids.article = r.json().id;
    c.ids.revision = r.json().revision;
    return r;
  }],
  ['POST /api/admin/articles/:id/autosave', 'article.autosave', async (c) => {
    const r = await c.owner.post(`/api/admin/articles/${c.ids.article}/autosave`, { baseRevision: c.ids.revision, dek: 'Autosaved' });
    c.ids.revision = r.json().revision;
    return r;
  }],
  ['PUT /api/admin/articles/:id', 'article.save', async (c) => {
    const r = await c.owner.put(`/api/admin/articles/${c.ids.article}`, { baseRevision: c.ids.revision, dek: 'Saved' });
    c.ids.revision = r.json().revision;
    return r;
  }],
  ['POST /api/admin/articles/:id/revisions/:n/restore', 'article.restore', async (c) => {
    const r = await c.owner.post(`/api/admin/articles/${c.ids.article}/revisions/1/restore`, { baseRevision: c.ids.revision });
    c.ids.revision = r.json().revision;
    return r;
  }],
  ['POST /api/admin/articles/:id/transitions', 'article.publish', (c) => c.owner.post(`/api/admin/articles/${c.ids.article}/transitions`, { action: 'publish' })],
  ['POST /api/admin/articles/:id/translations', 'article.translate', (c) => c.owner.post(`/api/admin/articles/${c.ids.article}/translations`, { language: 'ar' })],
  ['PUT /api/admin/fronts/:name', 'front.save', (c) => c.owner.put('/api/admin/fronts/home', { revision: 0, lead: { articleId: c.ids.article }, top: [] })],
  ['POST /api/admin/fronts/:name/revisions/:revision/restore', 'front.restore', (c) => c.owner.post('/api/admin/fronts/home/revisions/1/restore', { revision: 1 })],
  ['POST /api/admin/tags/:id/merge', 'tag.merge', async (c) => {
    const from = (await c.owner.post('/api/admin/tags', { name: 'Merged away', kind: 'topic' })).json().id;
    const into = (await c.owner.post('/api/admin/tags', { name: 'Kept', kind: 'topic' })).json().id;
    return c.owner.post(`/api/admin/tags/${from}/merge`, { into });
  }],
  ['POST /api/admin/webhooks', 'webhook.create', async (c) => {
    const r = await c.owner.post('/api/admin/webhooks', { url: 'http://127.0.0.1:9/hook', events: ['article.published'] });
    c.ids.webhook = r.json().endpoint?.id;
    return r;
  }],
  ['PATCH /api/admin/webhooks/:id', 'webhook.update', (c) => c.owner.patch(`/api/admin/webhooks/${c.ids.webhook}`, { description: 'Partner desk' })],
  ['POST /api/admin/webhooks/:id/rotate-secret', 'webhook.rotate-secret', (c) => c.owner.post(`/api/admin/webhooks/${c.ids.webhook}/rotate-secret`, {})],
  ['DELETE /api/admin/webhooks/:id', 'webhook.delete', (c) => c.owner.del(`/api/admin/webhooks/${c.ids.webhook}`)],
  ['POST /api/admin/wire-sources', 'wire-source.create', async (c) => {
    c.strings.wireFolder = (await import('node:fs')).mkdtempSync(`${c.t.dataDir}/wire-`);
    (await import('node:fs')).writeFileSync(`${c.strings.wireFolder}/item.json`, JSON.stringify({ uri: 'urn:audit:1', headline: 'Wire story', body_text: 'Wire text.' }));
    const r = await c.owner.post('/api/admin/wire-sources', { name: 'Audit wire', kind: 'folder', location: c.strings.wireFolder });
    c.ids.wireSource = r.json().id;
    await c.t.runJobs();
    return r;
  }],
  ['PATCH /api/admin/wire-sources/:id', 'wire-source.update', (c) => c.owner.patch(`/api/admin/wire-sources/${c.ids.wireSource}`, { agency: 'Audit Press' })],
  ['POST /api/admin/wire-sources/:id/poll', 'wire-source.poll', (c) => c.owner.post(`/api/admin/wire-sources/${c.ids.wireSource}/poll`, {})],
  ['POST /api/admin/incoming/:id/draft', 'wire-item.draft', async (c) => {
    const item = (await c.owner.get('/api/admin/incoming')).json().items[0];
    return c.owner.post(`/api/admin/incoming/${item.id}/draft`, { sectionId: c.sectionId });
  }],
  ['DELETE /api/admin/wire-sources/:id', 'wire-source.delete', (c) => c.owner.del(`/api/admin/wire-sources/${c.ids.wireSource}`)],
  ['PUT /api/admin/breaking/:language', 'breaking.set', (c) => c.owner.put('/api/admin/breaking/en', { articleId: c.ids.article, expiresInMinutes: 10 })],
  ['DELETE /api/admin/breaking/:language', 'breaking.clear', (c) => c.owner.del('/api/admin/breaking/en')],
  ['POST /api/admin/live-blogs', 'live.start', (c) => c.owner.post('/api/admin/live-blogs', { articleId: c.ids.article })],
  ['POST /api/admin/live-blogs/:id/entries', 'live.entry.create', async (c) => {
    const r = await c.owner.post(`/api/admin/live-blogs/${c.ids.article}/entries`, { kind: 'text', bodyHtml: '<p>Audited entry</p>' });
    c.ids.liveEntry = r.json().id;
    return r;
  }],
  ['PATCH /api/admin/live-entries/:id', 'live.entry.correct', (c) => c.owner.patch(`/api/admin/live-entries/${c.ids.liveEntry}`, { correction: 'A name was misspelt.' })],
  ['DELETE /api/admin/live-entries/:id', 'live.entry.delete', (c) => c.owner.del(`/api/admin/live-entries/${c.ids.liveEntry}`)],
  ['PUT /api/admin/live-blogs/:id/state', 'live.end', (c) => c.owner.put(`/api/admin/live-blogs/${c.ids.article}/state`, { ended: true })],
  ['DELETE /api/admin/articles/:id', 'article.delete', async (c) => {
    const r = await c.owner.post('/api/admin/articles', { headline: 'Draft to delete', sectionId: c.sectionId });
    return c.owner.del(`/api/admin/articles/${r.json().id}`);
  }],
  ['POST /api/admin/users', 'user.invite', async (c) => {
    const r = await c.owner.post('/api/admin/users', { email: 'invitee@news.test', name: 'Invitee', role: 'author' });
    c.ids.invitee = r.json().user.id;
    c.strings.invite = new URL(r.json().inviteUrl).searchParams.get('token')!;
    return r;
  }],
  ['POST /api/admin/invitations/accept', 'user.invitation-accepted', (c) => c.t.app.inject({ method: 'POST', url: '/api/admin/invitations/accept', payload: { token: c.strings.invite, password: 'a long enough password' } })],
  ['PATCH /api/admin/users/:id', 'user.update', (c) => c.owner.patch(`/api/admin/users/${c.ids.invitee}`, { role: 'editor' })],
  ['POST /api/admin/api-keys', 'api-key.create', async (c) => {
    const r = await c.owner.post('/api/admin/api-keys', { name: 'Audit key', scopes: ['articles.read'] });
    c.ids.apiKey = r.json().apiKey.id;
    return r;
  }],
  ['DELETE /api/admin/api-keys/:id', 'api-key.revoke', (c) => c.owner.del(`/api/admin/api-keys/${c.ids.apiKey}`)],
  ['POST /api/admin/session', 'auth.login', (c) => c.t.app.inject({ method: 'POST', url: '/api/admin/session', payload: { email: 'invitee@news.test', password: 'a long enough password' } })],
  ['DELETE /api/admin/session', 'auth.logout', async (c) => {
    const r = await c.t.app.inject({ method: 'POST', url: '/api/admin/session', payload: { email: 'invitee@news.test', password: 'a long enough password' } });
    return clientFor(c.t.app, sessionCookieOf(r), r.json().csrfToken).del('/api/admin/session');
  }],
  ['POST /api/admin/users/:id/password-reset', 'user.password-reset', (c) => c.owner.post(`/api/admin/users/${c.ids.invitee}/password-reset`, {})],
  ['POST /api/admin/password-resets', 'user.password-reset-requested', (c) => c.t.app.inject({ method: 'POST', url: '/api/admin/password-resets', payload: { email: 'invitee@news.test' } })],
  ['POST /api/admin/password-resets/complete', 'user.password-changed', async (c) => {
    const mail = await c.smtp.waitFor('invitee@news.test', /password/i);
    const token = linkIn(mail).searchParams.get('token')!;
    return c.t.app.inject({ method: 'POST', url: '/api/admin/password-resets/complete', payload: { token, password: 'another long enough password' } });
  }],
];

async function auditRows(t: TestApp) {
  return t.handle.db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').execute();
}

for (const engine of DIALECTS) {
  describe(`every change audited (${engine})`, () => {
    let c: Ctx;
    before(async () => {
      // Email on (a real SMTP server) and webhooks allowed to loopback, so every route can be exercised.
      const smtp = await startSmtpServer();
      const t = await createTestApp(engine, {}, undefined, { smtpUrl: smtp.url, webhooks: { webhookAllowPrivate: ['127.0.0.1/32'] }, wire: { wireFolderRoot: tmpdir() } });
      // First-run setup is a state-changing route too: it runs on the empty database.
      const token = (await t.services.newsroom.auth.createSetupToken())!;
      const setup = await t.app.inject({ method: 'POST', url: '/api/admin/setup', payload: { token, email: 'owner@news.test', name: 'Owner', password: 'owner password 123' } });
      assert.equal(setup.statusCode, 201, setup.body);
      assert.equal((await auditRows(t))[0]!.action, 'user.setup');
      const owner = clientFor(t.app, sessionCookieOf(setup), setup.json().csrfToken);
      c = { t, owner, sectionId: await makeSection(t), ids: {}, strings: {}, smtp };
    });
    after(async () => {
      await c?.t.cleanup();
      await c?.smtp.close();
    });

    it('has a recipe or a justified exemption for every state-changing route', () => {
      const covered = new Set([...RECIPES.map(([key]) => key), 'POST /api/admin/setup', ...Object.keys(AUDIT_EXEMPTIONS)]);
      const routes = c.t.app.routeTable.filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method)).map((r) => `${r.method} ${r.url}`);
      const missing = routes.filter((r) => !covered.has(r));
      assert.deepEqual(missing, [], 'state-changing routes with no audit check: add a recipe here or an exemption with its reason to src/http/audit-exemptions.ts');
      for (const [key, reason] of Object.entries(AUDIT_EXEMPTIONS)) assert.ok(reason.length > 20, `${key}: give a real reason`);
    });

    it('writes an entry with actor, action and target for each change', async () => {
      for (const [key, action, step] of RECIPES) {
        const before = (await auditRows(c.t)).length;
        const res = await step(c);
        assert.ok(res.statusCode >= 200 && res.statusCode < 300, `${key}: ${res.statusCode} ${res.body}`);
        const rows = await auditRows(c.t);
        assert.ok(rows.length > before, `${key} wrote no audit entry`);
        const entry = rows.find((r) => r.action === action);
        assert.ok(entry, `${key}: no "${action}" entry among ${rows.slice(0, 3).map((r) => r.action).join(', ')}`);
        assert.ok(entry.actor_name && entry.subject, `${key}: ${JSON.stringify(entry)}`);
      }
      const update = (await auditRows(c.t)).find((r) => r.action === 'media.update')!;
      assert.match(update.detail, /caption: "" → "A caption"/);
    });

    it('coalesces a run of autosaves into one entry per window', async () => {
      const a = (await c.owner.post('/api/admin/articles', { headline: 'Typing', sectionId: c.sectionId })).json();
      let revision = a.revision;
      for (let i = 0; i < 5; i++) {
        const r = await c.owner.post(`/api/admin/articles/${a.id}/autosave`, { baseRevision: revision, dek: `draft ${i}` });
        assert.equal(r.statusCode, 200, r.body);
        revision = r.json().revision;
      }
      const count = async () => (await auditRows(c.t)).filter((r) => r.subject === `article:${a.id}` && r.action === 'article.autosave').length;
      assert.equal(await count(), 1);
      c.t.clock.set(c.t.clock.now + AUTOSAVE_AUDIT_WINDOW_MS + 1);
      await c.owner.post(`/api/admin/articles/${a.id}/autosave`, { baseRevision: revision, dek: 'later' });
      assert.equal(await count(), 2);
    });

    it('records writes made with an API key under the key, and keys die with their owner (item 6)', async () => {
      const keyOwner = await makeUser(c.t, 'owner');
      const ownerClient = await (async () => {
        const r = await c.t.app.inject({ method: 'POST', url: '/api/admin/session', payload: { email: keyOwner.email, password: keyOwner.password } });
        return clientFor(c.t.app, sessionCookieOf(r), r.json().csrfToken);
      })();
      const made = (await ownerClient.post('/api/admin/api-keys', { name: 'Wire desk', scopes: ['articles.read', 'articles.create'] })).json();
      const key = bearer(c.t.app, made.secret);
      const created = await key.post('/api/admin/articles', { headline: 'From the wire', sectionId: c.sectionId });
      assert.equal(created.statusCode, 201, created.body);
      const entry = (await auditRows(c.t)).find((r) => r.action === 'article.create' && r.subject === `article:${created.json().id}`)!;
      assert.equal(entry.actor_name, 'API key "Wire desk"');
      assert.equal(entry.api_key_id, made.apiKey.id);

      // Disabling the owner stops the key and the session at once.
      assert.equal((await c.owner.patch(`/api/admin/users/${keyOwner.id}`, { disabled: true })).statusCode, 200);
      assert.equal((await key.get('/api/admin/articles')).statusCode, 401);
      assert.equal((await ownerClient.get('/api/admin/session')).statusCode, 401);
      assert.match((await auditRows(c.t)).find((r) => r.action === 'user.update')!.detail, /1 API key\(s\) revoked/);
      // Enabling them again does not bring the key back.
      await c.owner.patch(`/api/admin/users/${keyOwner.id}`, { disabled: false });
      assert.equal((await key.get('/api/admin/articles')).statusCode, 401);

      // A key whose owner's row is gone (deleted) stops too.
      const other = await makeUser(c.t, 'owner');
      const r = await c.t.app.inject({ method: 'POST', url: '/api/admin/session', payload: { email: other.email, password: other.password } });
      const otherClient = clientFor(c.t.app, sessionCookieOf(r), r.json().csrfToken);
      const second = (await otherClient.post('/api/admin/api-keys', { name: 'Orphan', scopes: ['articles.read'] })).json();
      assert.equal((await bearer(c.t.app, second.secret).get('/api/admin/articles')).statusCode, 200);
      await c.t.handle.db.updateTable('api_keys').set({ created_by: null }).where('id', '=', second.apiKey.id).execute();
      assert.equal((await bearer(c.t.app, second.secret).get('/api/admin/articles')).statusCode, 401);
    });
  });
}
