import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Role } from '../../src/domain/roles.js';
import { SYSTEM_PRINCIPAL } from '../../src/domain/roles.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/databases.js';
import { makeSection } from '../helpers/factories.js';
import { actor, login, makeUser, type Client, type TestUser } from '../helpers/newsroom.js';

const ROLES: Role[] = ['owner', 'editor', 'author', 'contributor'];
type Expect = [owner: number, editor: number, author: number, contributor: number];
const ALL = (s: number): Expect => [s, s, s, s];

interface Ctx {
  t: TestApp;
  me: TestUser;
  other: TestUser;
  section: number;
  n: number;
}
interface Row {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Builds fresh objects for this call and returns the URL (and body). */
  prepare: (c: Ctx) => Promise<{ url: string; body?: Record<string, unknown> }>;
  expect: Expect;
  /** Anonymous answer (default 401). */
  anonymous?: number;
  freshSession?: boolean;
}

async function article(c: Ctx, owner: TestUser, state: 'draft' | 'submitted' | 'published' = 'draft'): Promise<{ id: number; revision: number }> {
  const wf = c.t.services.newsroom.workflow;
  let a = await wf.create(actor(owner), { headline: `Matrix ${c.n}`, sectionId: c.section, bodyHtml: '<p>x</p>' });
  if (state !== 'draft') a = await wf.transition(SYSTEM_PRINCIPAL, a.id, { action: state === 'submitted' ? 'submit' : 'publish' });
  return { id: a.id, revision: a.revision };
}
const future = (c: Ctx) => new Date(c.t.clock.now + 3_600_000).toISOString();

const ROWS: Row[] = [
  { name: 'GET /setup', method: 'GET', prepare: async () => ({ url: '/api/admin/setup' }), expect: ALL(200), anonymous: 200 },
  { name: 'GET /session', method: 'GET', prepare: async () => ({ url: '/api/admin/session' }), expect: ALL(200) },
  { name: 'DELETE /session', method: 'DELETE', prepare: async () => ({ url: '/api/admin/session' }), expect: ALL(204), anonymous: 204, freshSession: true },
  { name: 'GET /users', method: 'GET', prepare: async () => ({ url: '/api/admin/users' }), expect: [200, 200, 403, 403] },
  { name: 'POST /users', method: 'POST', prepare: async (c) => ({ url: '/api/admin/users', body: { email: `inv${c.n}@news.test`, name: 'Invitee', role: 'author' } }), expect: [201, 403, 403, 403] },
  { name: 'PATCH /users/:id', method: 'PATCH', prepare: async (c) => ({ url: `/api/admin/users/${(await makeUser(c.t, 'contributor')).id}`, body: { role: 'author' } }), expect: [200, 403, 403, 403] },
  { name: 'GET /api-keys', method: 'GET', prepare: async () => ({ url: '/api/admin/api-keys' }), expect: [200, 403, 403, 403] },
  { name: 'POST /api-keys', method: 'POST', prepare: async () => ({ url: '/api/admin/api-keys', body: { name: 'k', scopes: ['articles.read'] } }), expect: [201, 403, 403, 403] },
  {
    name: 'DELETE /api-keys/:id',
    method: 'DELETE',
    prepare: async (c) => {
      const { apiKey } = await c.t.services.newsroom.users.createApiKey(SYSTEM_PRINCIPAL, { name: 'k', scopes: ['articles.read'] });
      return { url: `/api/admin/api-keys/${apiKey.id}` };
    },
    expect: [204, 403, 403, 403],
  },
  { name: 'GET /audit', method: 'GET', prepare: async () => ({ url: '/api/admin/audit' }), expect: [200, 200, 403, 403] },
  { name: 'GET /articles', method: 'GET', prepare: async () => ({ url: '/api/admin/articles' }), expect: ALL(200) },
  { name: 'POST /articles', method: 'POST', prepare: async (c) => ({ url: '/api/admin/articles', body: { headline: 'New', sectionId: c.section } }), expect: ALL(201) },
  { name: 'GET /articles/:id', method: 'GET', prepare: async (c) => ({ url: `/api/admin/articles/${(await article(c, c.other)).id}` }), expect: ALL(200) },
  { name: 'PUT own draft', method: 'PUT', prepare: async (c) => ({ url: `/api/admin/articles/${(await article(c, c.me)).id}`, body: { baseRevision: 1, dek: 'd' } }), expect: ALL(200) },
  { name: "PUT someone else's draft", method: 'PUT', prepare: async (c) => ({ url: `/api/admin/articles/${(await article(c, c.other)).id}`, body: { baseRevision: 1, dek: 'd' } }), expect: [200, 200, 403, 403] },
  {
    name: 'PUT own published',
    method: 'PUT',
    prepare: async (c) => {
      const a = await article(c, c.me, 'published');
      return { url: `/api/admin/articles/${a.id}`, body: { baseRevision: a.revision, dek: 'd' } };
    },
    expect: [200, 200, 200, 403],
  },
  { name: 'POST autosave own draft', method: 'POST', prepare: async (c) => ({ url: `/api/admin/articles/${(await article(c, c.me)).id}/autosave`, body: { baseRevision: 1, dek: 'd' } }), expect: ALL(200) },
  { name: "POST autosave someone else's", method: 'POST', prepare: async (c) => ({ url: `/api/admin/articles/${(await article(c, c.other)).id}/autosave`, body: { baseRevision: 1, dek: 'd' } }), expect: [200, 200, 403, 403] },
  { name: 'submit own', method: 'POST', prepare: async (c) => ({ url: `/api/admin/articles/${(await article(c, c.me)).id}/transitions`, body: { action: 'submit' } }), expect: ALL(200) },
  { name: "submit someone else's", method: 'POST', prepare: async (c) => ({ url: `/api/admin/articles/${(await article(c, c.other)).id}/transitions`, body: { action: 'submit' } }), expect: [200, 200, 403, 403] },
  { name: 'return own submitted', method: 'POST', prepare: async (c) => ({ url: `/api/admin/articles/${(await article(c, c.me, 'submitted')).id}/transitions`, body: { action: 'return' } }), expect: ALL(200) },
  { name: 'publish own', method: 'POST', prepare: async (c) => ({ url: `/api/admin/articles/${(await article(c, c.me)).id}/transitions`, body: { action: 'publish' } }), expect: [200, 200, 200, 403] },
  { name: "publish someone else's", method: 'POST', prepare: async (c) => ({ url: `/api/admin/articles/${(await article(c, c.other, 'submitted')).id}/transitions`, body: { action: 'publish' } }), expect: [200, 200, 403, 403] },
  { name: 'schedule own', method: 'POST', prepare: async (c) => ({ url: `/api/admin/articles/${(await article(c, c.me)).id}/transitions`, body: { action: 'schedule', at: future(c) } }), expect: [200, 200, 200, 403] },
  { name: 'embargo own', method: 'POST', prepare: async (c) => ({ url: `/api/admin/articles/${(await article(c, c.me)).id}/transitions`, body: { action: 'embargo', at: future(c) } }), expect: [200, 200, 200, 403] },
  { name: 'unpublish own', method: 'POST', prepare: async (c) => ({ url: `/api/admin/articles/${(await article(c, c.me, 'published')).id}/transitions`, body: { action: 'unpublish' } }), expect: [200, 200, 200, 403] },
  { name: "unpublish someone else's", method: 'POST', prepare: async (c) => ({ url: `/api/admin/articles/${(await article(c, c.other, 'published')).id}/transitions`, body: { action: 'unpublish' } }), expect: [200, 200, 403, 403] },
  { name: 'correct own', method: 'POST', prepare: async (c) => ({ url: `/api/admin/articles/${(await article(c, c.me, 'published')).id}/transitions`, body: { action: 'correct', note: 'Fixed a name.' } }), expect: [200, 200, 200, 403] },
  { name: 'kill own', method: 'POST', prepare: async (c) => ({ url: `/api/admin/articles/${(await article(c, c.me, 'published')).id}/transitions`, body: { action: 'kill' } }), expect: [200, 200, 403, 403] },
  { name: 'DELETE own draft', method: 'DELETE', prepare: async (c) => ({ url: `/api/admin/articles/${(await article(c, c.me)).id}` }), expect: ALL(204) },
  { name: "DELETE someone else's draft", method: 'DELETE', prepare: async (c) => ({ url: `/api/admin/articles/${(await article(c, c.other)).id}` }), expect: [204, 204, 403, 403] },
  { name: 'GET revisions', method: 'GET', prepare: async (c) => ({ url: `/api/admin/articles/${(await article(c, c.other)).id}/revisions` }), expect: ALL(200) },
  { name: 'GET revision', method: 'GET', prepare: async (c) => ({ url: `/api/admin/articles/${(await article(c, c.other)).id}/revisions/1` }), expect: ALL(200) },
  { name: 'GET diff', method: 'GET', prepare: async (c) => ({ url: `/api/admin/articles/${(await article(c, c.other, 'submitted')).id}/revisions/2/diff` }), expect: ALL(200) },
  { name: 'restore own', method: 'POST', prepare: async (c) => ({ url: `/api/admin/articles/${(await article(c, c.me, 'submitted')).id}/revisions/1/restore`, body: { baseRevision: 2 } }), expect: ALL(200) },
  { name: "restore someone else's", method: 'POST', prepare: async (c) => ({ url: `/api/admin/articles/${(await article(c, c.other, 'submitted')).id}/revisions/1/restore`, body: { baseRevision: 2 } }), expect: [200, 200, 403, 403] },
  { name: 'GET /admin/preview/:id', method: 'GET', prepare: async (c) => ({ url: `/admin/preview/${(await article(c, c.other)).id}` }), expect: ALL(200) },
  { name: 'GET /sections', method: 'GET', prepare: async () => ({ url: '/api/admin/sections' }), expect: ALL(200) },
  { name: 'POST /sections', method: 'POST', prepare: async (c) => ({ url: '/api/admin/sections', body: { slug: `s-${c.n}`, name: 'S' } }), expect: [201, 201, 403, 403] },
  { name: 'PATCH /sections/:id', method: 'PATCH', prepare: async (c) => ({ url: `/api/admin/sections/${c.section}`, body: { position: c.n } }), expect: [200, 200, 403, 403] },
  { name: 'DELETE /sections/:id', method: 'DELETE', prepare: async (c) => ({ url: `/api/admin/sections/${await makeSection(c.t, `del-${c.n}`, 'Del')}` }), expect: [204, 204, 403, 403] },
  { name: 'GET /tags', method: 'GET', prepare: async () => ({ url: '/api/admin/tags' }), expect: ALL(200) },
  { name: 'POST /tags', method: 'POST', prepare: async (c) => ({ url: '/api/admin/tags', body: { name: `Tag ${c.n}`, kind: 'topic' } }), expect: [201, 201, 403, 403] },
  {
    name: 'PATCH /tags/:id',
    method: 'PATCH',
    prepare: async (c) => ({ url: `/api/admin/tags/${(await c.t.services.newsroom.taxonomy.createTag(SYSTEM_PRINCIPAL, { name: `P ${c.n}`, kind: 'topic' })).id}`, body: { kind: 'person' } }),
    expect: [200, 200, 403, 403],
  },
  {
    name: 'DELETE /tags/:id',
    method: 'DELETE',
    prepare: async (c) => ({ url: `/api/admin/tags/${(await c.t.services.newsroom.taxonomy.createTag(SYSTEM_PRINCIPAL, { name: `D ${c.n}`, kind: 'topic' })).id}` }),
    expect: [204, 204, 403, 403],
  },
  { name: 'GET /content-types', method: 'GET', prepare: async () => ({ url: '/api/admin/content-types' }), expect: ALL(200) },
  { name: 'POST /content-types', method: 'POST', prepare: async (c) => ({ url: '/api/admin/content-types', body: { name: `type-${c.n}`, label: 'T' } }), expect: [201, 201, 403, 403] },
  { name: 'PATCH /content-types/:id', method: 'PATCH', prepare: async (c) => ({ url: '/api/admin/content-types/24', body: { label: `Opinion ${c.n}` } }), expect: [200, 200, 403, 403] },
];

for (const engine of DIALECTS) {
  describe(`role matrix on ${engine}: every admin route × every role`, () => {
    let t: TestApp;
    let section: number;
    let other: TestUser;
    const users = new Map<Role, TestUser>();
    const clients = new Map<Role, Client>();
    let n = 0;
    before(async () => {
      t = await createTestApp(engine);
      section = await makeSection(t, 'world', 'World');
      other = await makeUser(t, 'contributor');
      for (const role of ROLES) {
        const u = await makeUser(t, role);
        users.set(role, u);
        clients.set(role, await login(t.app, u));
      }
    });
    after(() => t.cleanup());

    for (const row of ROWS) {
      test(row.name, async () => {
        const got: number[] = [];
        for (const [i, role] of ROLES.entries()) {
          const me = users.get(role)!;
          const req = await row.prepare({ t, me, other, section, n: ++n });
          const client = row.freshSession ? await login(t.app, me) : clients.get(role)!;
          const res = await client.request(row.method, req.url, req.body);
          got.push(res.statusCode);
          if (res.statusCode !== row.expect[i]) assert.fail(`${role}: ${row.method} ${req.url} → ${res.statusCode} ${res.body.slice(0, 300)}`);
        }
        assert.deepEqual(got, row.expect);
        const req = await row.prepare({ t, me: users.get('owner')!, other, section, n: ++n });
        const anon = await t.app.inject({ method: row.method, url: req.url, ...(req.body ? { payload: req.body } : {}) });
        assert.equal(anon.statusCode, row.anonymous ?? 401, `anonymous ${row.method} ${req.url}: ${anon.body.slice(0, 200)}`);
      });
    }
  });
}
