import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/databases.js';
import { makeSection } from '../helpers/factories.js';
import { bearer, clientFor, login, makeUser, sessionCookieOf } from '../helpers/newsroom.js';

const HOUR = 3_600_000;

for (const engine of DIALECTS) {
  describe(`newsroom accounts and sessions on ${engine}`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(engine);
    });
    after(() => t.cleanup());

    test('first run: one-time setup link creates the owner, then setup is closed', async () => {
      assert.deepEqual((await t.app.inject({ method: 'GET', url: '/api/admin/setup' })).json(), { needed: true });
      const token = await t.services.newsroom.auth.createSetupToken();
      assert.ok(token);
      const body = { token, email: 'Owner@News.test', name: 'Olga Owner', password: 'a long enough secret' };
      const wrong = await t.app.inject({ method: 'POST', url: '/api/admin/setup', payload: { ...body, token: 'nope' } });
      assert.equal(wrong.statusCode, 400);
      assert.equal(wrong.json().code, 'INVALID_TOKEN');
      const short = await t.app.inject({ method: 'POST', url: '/api/admin/setup', payload: { ...body, password: 'short' } });
      assert.equal(short.statusCode, 422);
      const res = await t.app.inject({ method: 'POST', url: '/api/admin/setup', payload: body });
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(res.json().user.role, 'owner');
      assert.equal(res.json().user.email, 'owner@news.test');
      const cookie = res.cookies.find((c) => c.name === 'dateline_session')!;
      assert.equal(cookie.httpOnly, true);
      assert.equal(cookie.sameSite, 'Lax');
      assert.equal(cookie.path, '/');
      assert.equal(cookie.secure, undefined, 'plain http: no Secure flag');
      assert.equal(res.headers['cache-control'], 'no-store');
      const again = await t.app.inject({ method: 'POST', url: '/api/admin/setup', payload: { ...body, email: 'x@news.test' } });
      assert.equal(again.statusCode, 409);
      assert.deepEqual((await t.app.inject({ method: 'GET', url: '/api/admin/setup' })).json(), { needed: false });
      assert.equal(await t.services.newsroom.auth.createSetupToken(), null);
      const me = await clientFor(t.app, sessionCookieOf(res), res.json().csrfToken).get('/api/admin/session');
      assert.equal(me.json().user.name, 'Olga Owner');
    });

    test('passwords are scrypt-hashed, and never logged', async () => {
      const u = await makeUser(t, 'author');
      const row = await t.services.newsroom.repos.users.findById(u.id);
      assert.match(row!.password_hash!, /^scrypt\$32768\$8\$1\$/);
      assert.ok(!row!.password_hash!.includes(u.password));
      // A logger that records everything, with request logging on.
      const lines: string[] = [];
      const stream = new Writable({ write(chunk, _e, done) { lines.push(String(chunk)); done(); } });
      const logged = await createTestApp(engine, { requestLog: true, logLevel: 'trace' });
      try {
        const app = logged.app;
        const { buildApp } = await import('../../src/http/app.js');
        const { LOG_REDACT_PATHS } = await import('../../src/http/plugins/auth.js');
        const app2 = await buildApp({ siteName: 'x', baseUrl: 'http://news.test', timeZone: 'UTC', datelineFormat: 'YYYY', languages: ['en'], logLevel: 'trace', requestLog: true, dataDir: logged.dataDir }, logged.services, {
          logger: { level: 'trace', stream, redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' } },
        });
        const user = await makeUser(logged, 'editor', { password: 'super secret password 1' });
        const res = await app2.inject({ method: 'POST', url: '/api/admin/session', payload: { email: user.email, password: user.password } });
        const cookie = sessionCookieOf(res);
        await app2.inject({ method: 'POST', url: '/api/admin/articles', headers: { cookie, 'x-csrf-token': 'wrong' }, payload: { headline: 'x', sectionId: 1 } });
        app2.log.info({ body: { password: 'super secret password 1' }, headers: { authorization: 'Bearer dl_secret', cookie } }, 'an over-eager log line');
        await app2.close();
        await app.close();
        const all = lines.join('');
        assert.ok(lines.length > 0);
        assert.ok(!all.includes('super secret password 1'), 'password not in logs');
        assert.ok(!all.includes(cookie.split('=')[1]!), 'session token not in logs');
        assert.ok(!all.includes('dl_secret'), 'API key not in logs');
      } finally {
        await logged.cleanup();
      }
    });

    test('wrong passwords lock the account after 5 tries (429 with when to retry); a good login resets', async () => {
      const u = await makeUser(t, 'author');
      const attempt = (password: string, ip = '10.0.0.1') =>
        t.app.inject({ method: 'POST', url: '/api/admin/session', payload: { email: u.email, password }, remoteAddress: ip });
      for (let i = 0; i < 4; i++) assert.equal((await attempt('wrong password!')).statusCode, 401);
      const fifth = await attempt('wrong password!');
      assert.equal(fifth.statusCode, 429);
      assert.equal(fifth.json().code, 'LOGIN_LOCKED');
      assert.match(fifth.json().detail, /Try again in 15 minutes/);
      // Said once; the exact time goes out as data for the app to show in the reader's time zone.
      assert.doesNotMatch(fifth.json().detail, /\d{4}-\d{2}-\d{2}T/);
      assert.equal(Date.parse(fifth.json().retryAt) - t.clock.now, 15 * 60_000);
      assert.equal(fifth.headers['retry-after'], '900');
      // Even the right password (from another address) is refused while locked.
      const locked = await attempt(u.password, '10.0.0.2');
      assert.equal(locked.statusCode, 429);
      t.clock.set(t.clock.now + 16 * 60_000);
      assert.equal((await attempt(u.password)).statusCode, 200);
      assert.equal((await attempt('wrong again!!')).statusCode, 401, 'the count started over');
    });

    test('one address guessing many accounts is locked too', async () => {
      let last = 0;
      for (let i = 0; i < 20; i++) {
        last = (await t.app.inject({ method: 'POST', url: '/api/admin/session', payload: { email: `nobody${i}@news.test`, password: 'guess guess' }, remoteAddress: '10.9.9.9' })).statusCode;
      }
      assert.equal(last, 429);
      const u = await makeUser(t, 'author');
      assert.equal((await t.app.inject({ method: 'POST', url: '/api/admin/session', payload: { email: u.email, password: u.password }, remoteAddress: '10.9.9.9' })).statusCode, 429);
      assert.equal((await t.app.inject({ method: 'POST', url: '/api/admin/session', payload: { email: u.email, password: u.password }, remoteAddress: '10.9.9.8' })).statusCode, 200);
      t.clock.set(t.clock.now + 16 * 60_000);
    });

    test('CSRF: a cookie request that changes data needs the session’s x-csrf-token', async () => {
      const section = await makeSection(t, 'csrf', 'CSRF');
      const c = await login(t.app, await makeUser(t, 'editor'));
      const body = { headline: 'Forged?', sectionId: section };
      const none = await c.request('POST', '/api/admin/articles', body, { csrf: false });
      assert.equal(none.statusCode, 403);
      assert.equal(none.json().code, 'CSRF_FAILED');
      const other = await login(t.app, await makeUser(t, 'editor'));
      assert.equal((await c.request('POST', '/api/admin/articles', body, { csrf: other.csrfToken })).statusCode, 403, "another session's token");
      assert.equal((await c.request('DELETE', '/api/admin/session', undefined, { csrf: false })).statusCode, 403, 'logout too');
      assert.equal((await c.post('/api/admin/articles', body)).statusCode, 201);
      assert.equal((await c.get('/api/admin/articles')).statusCode, 200, 'reads need no token');
    });

    test('sessions end: idle, absolute, logout, and disabling the user', async () => {
      const u = await makeUser(t, 'editor');
      const c = await login(t.app, u);
      t.clock.set(t.clock.now + 11 * HOUR);
      assert.equal((await c.get('/api/admin/session')).statusCode, 200, 'active within the idle limit');
      t.clock.set(t.clock.now + 13 * HOUR);
      const idle = await c.get('/api/admin/session');
      assert.equal(idle.statusCode, 401);
      assert.equal(idle.json().code, 'UNAUTHENTICATED');

      const c2 = await login(t.app, u);
      for (let i = 0; i < 15; i++) {
        t.clock.set(t.clock.now + 11 * HOUR);
        assert.equal((await c2.get('/api/admin/articles')).statusCode, 200, `hour ${(i + 1) * 11}`);
      }
      t.clock.set(t.clock.now + 11 * HOUR);
      assert.equal((await c2.get('/api/admin/articles')).statusCode, 401, 'past the absolute limit of 7 days');

      const c3 = await login(t.app, u);
      assert.equal((await c3.del('/api/admin/session')).statusCode, 204);
      assert.equal((await c3.get('/api/admin/session')).statusCode, 401);

      const owner = await login(t.app, await makeUser(t, 'owner'));
      const c4 = await login(t.app, u);
      assert.equal((await owner.patch(`/api/admin/users/${u.id}`, { disabled: true })).json().disabled, true);
      assert.equal((await c4.get('/api/admin/articles')).statusCode, 401, 'disabling revokes');
      const denied = await t.app.inject({ method: 'POST', url: '/api/admin/session', payload: { email: u.email, password: u.password } });
      assert.equal(denied.statusCode, 403);
      await owner.patch(`/api/admin/users/${u.id}`, { disabled: false });
      assert.equal((await c4.get('/api/admin/articles')).statusCode, 401, 'revoked sessions stay revoked');
    });

    test('invitations: owner invites, the link sets a password once; the last owner cannot be demoted', async () => {
      const ownerUser = await makeUser(t, 'owner');
      const owner = await login(t.app, ownerUser);
      const res = await owner.post('/api/admin/users', { email: 'new@news.test', name: 'New Person', role: 'contributor' });
      assert.equal(res.statusCode, 201);
      const { user, inviteUrl } = res.json();
      assert.match(inviteUrl, /^http:\/\/news\.test\/admin\/invite\?token=/);
      assert.equal((await owner.post('/api/admin/users', { email: 'NEW@news.test', name: 'Dup', role: 'author' })).statusCode, 409);
      const token = new URL(inviteUrl).searchParams.get('token');
      const accepted = await t.app.inject({ method: 'POST', url: '/api/admin/invitations/accept', payload: { token, password: 'my own password' } });
      assert.equal(accepted.statusCode, 200);
      assert.equal(accepted.json().user.id, user.id);
      assert.equal((await t.app.inject({ method: 'POST', url: '/api/admin/invitations/accept', payload: { token, password: 'again again again' } })).statusCode, 400);
      assert.equal((await t.app.inject({ method: 'POST', url: '/api/admin/session', payload: { email: 'new@news.test', password: 'my own password' } })).statusCode, 200);

      const owners = (await owner.get('/api/admin/users')).json().items.filter((u: { role: string; disabled: boolean }) => u.role === 'owner' && !u.disabled);
      for (const o of owners.filter((o: { id: number }) => o.id !== ownerUser.id)) await owner.patch(`/api/admin/users/${o.id}`, { role: 'editor' });
      const last = await owner.patch(`/api/admin/users/${ownerUser.id}`, { role: 'editor' });
      assert.equal(last.statusCode, 409);
      assert.equal(last.json().code, 'LAST_OWNER');
    });

    test('API keys: scoped, hashed at rest, revocable; no CSRF for Bearer', async () => {
      const section = await makeSection(t, 'keys', 'Keys');
      const owner = await login(t.app, await makeUser(t, 'owner'));
      assert.equal((await owner.post('/api/admin/api-keys', { name: 'bad', scopes: ['users.manage'] })).statusCode, 422);
      const created = await owner.post('/api/admin/api-keys', { name: 'Wire importer', scopes: ['articles.read', 'articles.create'] });
      assert.equal(created.statusCode, 201);
      const { apiKey, secret } = created.json();
      assert.match(secret, /^dl_/);
      assert.equal(apiKey.prefix, secret.slice(0, 10));
      const listed = JSON.stringify((await owner.get('/api/admin/api-keys')).json());
      assert.ok(!listed.includes(secret), 'the secret is shown once');
      const stored = JSON.stringify(await t.services.newsroom.repos.apiKeys.findById(apiKey.id));
      assert.ok(!stored.includes(secret), 'hashed at rest');

      const key = bearer(t.app, secret);
      const made = await key.post('/api/admin/articles', { headline: 'From the wire', sectionId: section });
      assert.equal(made.statusCode, 201, made.body);
      assert.equal((await key.get('/api/admin/articles')).statusCode, 200);
      assert.equal((await key.post(`/api/admin/articles/${made.json().id}/transitions`, { action: 'publish' })).statusCode, 403, 'no publish scope');
      assert.equal((await key.get('/api/admin/users')).statusCode, 403);
      const audit = (await owner.get('/api/admin/audit')).json().items;
      assert.ok(audit.some((e: { userName: string; action: string }) => e.userName === 'API key "Wire importer"' && e.action === 'article.create'));

      assert.equal((await owner.del(`/api/admin/api-keys/${apiKey.id}`)).statusCode, 204);
      const revoked = await key.get('/api/admin/articles');
      assert.equal(revoked.statusCode, 401);
      assert.equal((await bearer(t.app, 'dl_made_up').get('/api/admin/articles')).statusCode, 401);
    });

    test('Secure cookies behind HTTPS only when the proxy is trusted', async () => {
      const u = await makeUser(t, 'author');
      const viaProxy = (app: TestApp['app']) =>
        app.inject({ method: 'POST', url: '/api/admin/session', payload: { email: u.email, password: u.password }, headers: { 'x-forwarded-proto': 'https' } });
      const untrusted = await viaProxy(t.app);
      assert.equal(untrusted.cookies.find((c) => c.name === 'dateline_session')!.secure, undefined);
      const trusted = await createTestApp(engine, { trustProxy: true });
      try {
        const u2 = await makeUser(trusted, 'author', { email: u.email, password: u.password });
        assert.ok(u2.id);
        const res = await viaProxy(trusted.app);
        assert.equal(res.cookies.find((c) => c.name === 'dateline_session')!.secure, true);
      } finally {
        await trusted.cleanup();
      }
    });
  });
}
