import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/databases.js';
import { makeSection } from '../helpers/factories.js';
import { clientFor, login, makeUser, sessionCookieOf } from '../helpers/newsroom.js';
import { linkIn, startSmtpServer } from '../helpers/smtp.js';

const MINUTE = 60_000;

/** Follows a link from an email into the app: its path and query, as the browser would send them. */
const tokenOf = (url: URL) => url.searchParams.get('token') ?? '';

for (const engine of DIALECTS) {
  describe(`newsroom email over a real SMTP server on ${engine}`, () => {
    let t: TestApp;
    let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
    before(async () => {
      smtp = await startSmtpServer();
      t = await createTestApp(engine, { baseUrl: 'http://news.test' }, undefined, { smtpUrl: smtp.url });
    });
    after(async () => {
      await t.cleanup();
      await smtp.close();
    });

    test('the app says email is on', async () => {
      assert.deepEqual((await t.app.inject({ method: 'GET', url: '/api/admin/mail' })).json(), { enabled: true });
    });

    test('an invitation is emailed; its link sets the password and signs the person in', async () => {
      const owner = await login(t.app, await makeUser(t, 'owner'));
      const res = await owner.post('/api/admin/users', { email: 'new.reporter@news.test', name: 'Nadia Reporter', role: 'author' });
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(res.json().emailed, true);
      assert.equal(res.json().emailError, null);
      const mail = await smtp.waitFor('new.reporter@news.test', /invited you/);
      assert.match(mail.text, /Hello Nadia Reporter/);
      assert.match(mail.text, /as an author/);
      const link = linkIn(mail);
      assert.equal(link.origin, 'http://news.test');
      assert.equal(link.pathname, '/admin/invite');
      const accept = await t.app.inject({ method: 'POST', url: '/api/admin/invitations/accept', payload: { token: tokenOf(link), password: 'a brand new password' } });
      assert.equal(accept.statusCode, 200, accept.body);
      assert.equal(accept.json().user.email, 'new.reporter@news.test');
      const again = await t.app.inject({ method: 'POST', url: '/api/admin/invitations/accept', payload: { token: tokenOf(link), password: 'another password!' } });
      assert.equal(again.statusCode, 400, 'the link works once');
    });

    test('forgot password: the emailed one-time link sets a new password, ends old sessions, and expires', async () => {
      const user = await makeUser(t, 'editor', { email: 'forgetful@news.test' });
      const oldSession = await login(t.app, user);
      const ask = await t.app.inject({ method: 'POST', url: '/api/admin/password-resets', payload: { email: 'Forgetful@News.test ' } });
      assert.equal(ask.statusCode, 202, ask.body);
      assert.match(ask.json().message, /on its way/);
      const mail = await smtp.waitFor('forgetful@news.test', /Reset your/);
      assert.match(mail.text, /expires in 60 minutes/);
      const link = linkIn(mail);
      assert.equal(link.pathname, '/admin/reset-password');

      const short = await t.app.inject({ method: 'POST', url: '/api/admin/password-resets/complete', payload: { token: tokenOf(link), password: 'short' } });
      assert.equal(short.statusCode, 422);
      assert.match(short.json().detail, /at least 10 characters/);

      const done = await t.app.inject({ method: 'POST', url: '/api/admin/password-resets/complete', payload: { token: tokenOf(link), password: 'my fresh new password' } });
      assert.equal(done.statusCode, 200, done.body);
      assert.deepEqual(done.json(), { email: 'forgetful@news.test' });
      assert.equal((await oldSession.get('/api/admin/session')).statusCode, 401, 'sessions from before the reset end');
      const oldPassword = await t.app.inject({ method: 'POST', url: '/api/admin/session', payload: { email: user.email, password: user.password } });
      assert.equal(oldPassword.statusCode, 401);
      const signIn = await t.app.inject({ method: 'POST', url: '/api/admin/session', payload: { email: user.email, password: 'my fresh new password' } });
      assert.equal(signIn.statusCode, 200);

      const reuse = await t.app.inject({ method: 'POST', url: '/api/admin/password-resets/complete', payload: { token: tokenOf(link), password: 'yet another password' } });
      assert.equal(reuse.statusCode, 400, 'one-time');
      assert.equal(reuse.json().code, 'INVALID_TOKEN');
      assert.match(reuse.json().detail, /invalid, used or expired/);

      // A second link, used after its hour is up.
      await t.app.inject({ method: 'POST', url: '/api/admin/password-resets', payload: { email: user.email } });
      await new Promise((r) => setTimeout(r, 50));
      const second = smtp.messages.filter((m) => m.to.includes('forgetful@news.test') && /Reset your/.test(m.subject));
      const late = second.length >= 2 ? linkIn(second.at(-1)!) : linkIn(await smtp.waitFor('forgetful@news.test', /Reset your/));
      assert.notEqual(tokenOf(late), tokenOf(link));
      const now = t.clock.now;
      t.clock.set(now + 61 * MINUTE);
      try {
        const expired = await t.app.inject({ method: 'POST', url: '/api/admin/password-resets/complete', payload: { token: tokenOf(late), password: 'too late a password' } });
        assert.equal(expired.statusCode, 400);
        assert.equal(expired.json().code, 'INVALID_TOKEN');
      } finally {
        t.clock.set(now);
      }
    });

    test('an unknown address gets the same answer and no mail; a flood of requests sends at most three', async () => {
      const before = smtp.messages.length;
      const unknown = await t.app.inject({ method: 'POST', url: '/api/admin/password-resets', payload: { email: 'nobody@news.test' } });
      assert.equal(unknown.statusCode, 202);
      const user = await makeUser(t, 'author', { email: 'flooded@news.test' });
      for (let i = 0; i < 6; i++) {
        const r = await t.app.inject({ method: 'POST', url: '/api/admin/password-resets', payload: { email: user.email } });
        assert.equal(r.statusCode, 202);
      }
      await smtp.waitFor('flooded@news.test');
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(smtp.messages.filter((m) => m.to.includes('nobody@news.test')).length, 0);
      assert.equal(smtp.messages.filter((m) => m.to.includes('flooded@news.test')).length, 3);
      assert.ok(smtp.messages.length - before >= 3);
      const missing = await t.app.inject({ method: 'POST', url: '/api/admin/password-resets', payload: {} });
      assert.equal(missing.statusCode, 400);
    });

    test('a reset lifts a sign-in lockout', async () => {
      const user = await makeUser(t, 'author', { email: 'locked.out@news.test' });
      for (let i = 0; i < 5; i++) await t.app.inject({ method: 'POST', url: '/api/admin/session', payload: { email: user.email, password: 'wrong wrong wrong' } });
      const locked = await t.app.inject({ method: 'POST', url: '/api/admin/session', payload: { email: user.email, password: user.password } });
      assert.equal(locked.statusCode, 429);
      await t.app.inject({ method: 'POST', url: '/api/admin/password-resets', payload: { email: user.email } });
      const link = linkIn(await smtp.waitFor('locked.out@news.test', /Reset your/));
      const done = await t.app.inject({ method: 'POST', url: '/api/admin/password-resets/complete', payload: { token: tokenOf(link), password: 'unlocked at last!' } });
      assert.equal(done.statusCode, 200);
      const signIn = await t.app.inject({ method: 'POST', url: '/api/admin/session', payload: { email: user.email, password: 'unlocked at last!' } });
      assert.equal(signIn.statusCode, 200, signIn.body);
    });

    test('an owner resets a colleague: the link is emailed to them, not shown', async () => {
      const owner = await login(t.app, await makeUser(t, 'owner'));
      const colleague = await makeUser(t, 'contributor', { email: 'colleague@news.test' });
      const res = await owner.post(`/api/admin/users/${colleague.id}/password-reset`);
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json(), { emailed: true, error: null, resetUrl: null });
      const link = linkIn(await smtp.waitFor('colleague@news.test', /Reset your/));
      const done = await t.app.inject({ method: 'POST', url: '/api/admin/password-resets/complete', payload: { token: tokenOf(link), password: 'chosen by me now' } });
      assert.equal(done.statusCode, 200);
      const editor = await login(t.app, await makeUser(t, 'editor'));
      assert.equal((await editor.post(`/api/admin/users/${colleague.id}/password-reset`)).statusCode, 403, 'owners only');
      assert.equal((await owner.post('/api/admin/users/999999/password-reset')).statusCode, 404);
    });

    test('"submitted for review" reaches every editor and owner but the submitter, with a link to the article', async () => {
      const section = await makeSection(t, 'review-desk', 'Review desk');
      const writer = await makeUser(t, 'contributor', { name: 'Cora Contributor' });
      const editorA = await makeUser(t, 'editor', { email: 'desk.a@news.test' });
      const editorB = await makeUser(t, 'editor', { email: 'desk.b@news.test' });
      const author = await makeUser(t, 'author', { email: 'just.author@news.test' });
      const disabled = await makeUser(t, 'editor', { email: 'gone@news.test' });
      const ownerClient = await login(t.app, await makeUser(t, 'owner', { email: 'chief@news.test' }));
      assert.equal((await ownerClient.patch(`/api/admin/users/${disabled.id}`, { disabled: true })).statusCode, 200);

      const c = await login(t.app, writer);
      const created = await c.post('/api/admin/articles', { headline: 'Ferry timetable changes from Monday', sectionId: section, bodyHtml: '<p>New times.</p>' });
      assert.equal(created.statusCode, 201, created.body);
      const id = created.json().id as number;
      const submitted = await c.post(`/api/admin/articles/${id}/transitions`, { action: 'submit' });
      assert.equal(submitted.statusCode, 200, submitted.body);

      for (const to of ['desk.a@news.test', 'desk.b@news.test', 'chief@news.test']) {
        const mail = await smtp.waitFor(to, /^For review: Ferry timetable/);
        assert.match(mail.text, /Cora Contributor submitted an article for review/);
        const link = linkIn(mail);
        assert.equal(link.pathname, `/admin/articles/${id}`);
        // Following it as that editor opens the article.
        const who = to === 'desk.a@news.test' ? editorA : to === 'desk.b@news.test' ? editorB : null;
        if (who) {
          const e = await login(t.app, who);
          const opened = await e.get(link.pathname.replace(/^\/admin\//, '/api/admin/'));
          assert.equal(opened.statusCode, 200);
          assert.equal(opened.json().status, 'submitted');
        }
      }
      await new Promise((r) => setTimeout(r, 300));
      const forReview = smtp.messages.filter((m) => /Ferry timetable/.test(m.subject));
      assert.ok(!forReview.some((m) => m.to.includes(author.email)), 'authors are not reviewers');
      assert.ok(!forReview.some((m) => m.to.includes('gone@news.test')), 'disabled accounts get nothing');
      assert.ok(!forReview.some((m) => m.to.includes(writer.email)));

      // An editor submitting is not told about their own submit.
      const e = await login(t.app, editorA);
      const own = await e.post('/api/admin/articles', { headline: 'Harbour dues rise', sectionId: section, bodyHtml: '<p>By a tenth.</p>' });
      await e.post(`/api/admin/articles/${own.json().id}/transitions`, { action: 'submit' });
      await smtp.waitFor('desk.b@news.test', /Harbour dues rise/);
      await new Promise((r) => setTimeout(r, 300));
      assert.ok(!smtp.messages.some((m) => /Harbour dues rise/.test(m.subject) && m.to.includes('desk.a@news.test')));
    });
  });

  describe(`newsroom without email on ${engine}`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(engine);
    });
    after(() => t.cleanup());

    test('invitations and owner resets give the owner the link; "forgot password" explains what to do', async () => {
      assert.deepEqual((await t.app.inject({ method: 'GET', url: '/api/admin/mail' })).json(), { enabled: false });
      const owner = await login(t.app, await makeUser(t, 'owner'));
      const invited = await owner.post('/api/admin/users', { email: 'offline@news.test', name: 'Off Line', role: 'editor' });
      assert.equal(invited.statusCode, 201);
      assert.equal(invited.json().emailed, false);
      assert.match(invited.json().inviteUrl, /^http:\/\/news\.test\/admin\/invite\?token=/);

      const forgot = await t.app.inject({ method: 'POST', url: '/api/admin/password-resets', payload: { email: 'offline@news.test' } });
      assert.equal(forgot.statusCode, 409);
      assert.equal(forgot.json().code, 'MAIL_NOT_CONFIGURED');
      assert.match(forgot.json().detail, /Ask an owner for a password reset link/);

      const user = await makeUser(t, 'author');
      const res = await owner.post(`/api/admin/users/${user.id}/password-reset`);
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().emailed, false);
      const url = new URL(res.json().resetUrl as string);
      assert.equal(url.pathname, '/admin/reset-password');
      const done = await t.app.inject({ method: 'POST', url: '/api/admin/password-resets/complete', payload: { token: tokenOf(url), password: 'handed over by the owner' } });
      assert.equal(done.statusCode, 200);
      const signIn = await t.app.inject({ method: 'POST', url: '/api/admin/session', payload: { email: user.email, password: 'handed over by the owner' } });
      assert.equal(signIn.statusCode, 200);
      assert.ok(sessionCookieOf(signIn));
      void clientFor;
    });
  });
}
