import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ROLE_GRANTS, type Capability, type Role } from '../../src/domain/roles.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/databases.js';
import { makeSection } from '../helpers/factories.js';
import { login, makeUser, type Client } from '../helpers/newsroom.js';

/**
 * Issue 10 item 3, role × route for every newsroom route, including ones added later:
 * each state-changing /api/admin route (read from the route table) declares the
 * capability its guard demands, or is listed here as open with its reason; and no role
 * lacking every demanded capability gets a 2xx (or a 5xx) from it.
 */
const OPEN: Record<string, string> = {
  'POST /api/admin/session': 'signing in: no one is signed in yet',
  'DELETE /api/admin/session': 'signing out ends whatever session the cookie names',
  'POST /api/admin/setup': 'the first owner account, allowed only while there is none (a one-time token)',
  'POST /api/admin/invitations/accept': 'an invitee sets a password with the token from the email',
  'POST /api/admin/password-resets': 'anyone may ask; the answer never says whether the address exists',
  'POST /api/admin/password-resets/complete': 'the token from the email is the credential',
};
const ROLES: Role[] = ['owner', 'editor', 'author', 'contributor'];
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

for (const engine of DIALECTS) {
  describe(`route guards (${engine})`, () => {
    let t: TestApp;
    const clients = new Map<Role, Client>();
    let sectionId = 0;
    before(async () => {
      t = await createTestApp(engine);
      sectionId = await makeSection(t);
      for (const role of ROLES) clients.set(role, await login(t.app, await makeUser(t, role)));
    });
    after(async () => t?.cleanup());

    const adminWrites = () => t.app.routeTable.filter((r) => STATE_CHANGING.has(r.method) && r.url.startsWith('/api/admin/'));

    it('every state-changing newsroom route declares the capability it needs, or is listed as open with a reason', () => {
      const routes = adminWrites();
      assert.ok(routes.length >= 30, `the route table lists ${routes.length} newsroom writes`);
      const unguarded = routes.filter((r) => r.guard === null && !OPEN[`${r.method} ${r.url}`]).map((r) => `${r.method} ${r.url}`);
      assert.deepEqual(unguarded, [], 'add requireCapability(…) to these routes, or list them in OPEN with the reason');
      for (const key of Object.keys(OPEN)) {
        const [method, url] = key.split(' ');
        assert.ok(routes.some((r) => r.method === method && r.url === url), `${key} is listed as open but is not a route (remove it)`);
      }
    });

    it('refuses every role that lacks the demanded capability: never a 2xx, never a 5xx', async () => {
      const failures: string[] = [];
      let checked = 0;
      for (const route of adminWrites()) {
        if (!route.guard || route.guard.length === 0) continue;
        const url = route.url.replace(/:(\w+)/g, (_, name: string) => (name === 'name' ? 'home' : String(name === 'id' ? sectionId : 1)));
        for (const role of ROLES) {
          const allowed = route.guard.some((c) => ROLE_GRANTS[role][c as Capability] !== undefined);
          if (allowed) continue;
          checked++;
          const res = await clients.get(role)!.request(route.method as 'POST', url, {});
          if (res.statusCode < 300 || res.statusCode >= 500) failures.push(`${role}: ${route.method} ${url} → ${res.statusCode} ${res.body.slice(0, 160)}`);
        }
      }
      assert.ok(checked >= 20, `only ${checked} role × route refusals were checked`);
      assert.deepEqual(failures, []);
    });
  });
}
