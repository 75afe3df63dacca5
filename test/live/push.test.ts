import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import webpush from 'web-push';
import { SITE_CSP } from '../../src/http/plugins/security-headers.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/databases.js';
import { makeArticle, makeSection } from '../helpers/factories.js';
import { login, makeUser, type Client } from '../helpers/newsroom.js';
import { FakeBrowser, PushReceiver, verifyVapid } from '../helpers/push-receiver.js';

/** Issue 17 item 4: Web Push alerts (VAPID) against a local push service. */
for (const engine of DIALECTS) {
  describe(`Web Push alerts (${engine})`, () => {
    const vapid = webpush.generateVAPIDKeys();
    let t: TestApp;
    let off: TestApp;
    let receiver: PushReceiver;
    let editor: Client;
    let sectionId: number;
    const subscribe = (payload: unknown) => t.app.inject({ method: 'POST', url: '/push/subscriptions', payload: payload as object });

    before(async () => {
      receiver = await new PushReceiver().start();
      t = await createTestApp(engine, {}, undefined, {
        push: { vapidPublicKey: vapid.publicKey, vapidPrivateKey: vapid.privateKey, vapidSubject: 'mailto:desk@news.test', pushAllowPrivate: ['127.0.0.1/32'], pushRatePerMinute: 0 },
      });
      off = await createTestApp(engine);
      editor = await login(t.app, await makeUser(t, 'editor'));
      sectionId = await makeSection(t);
    });
    after(async () => {
      await t.cleanup();
      await off.cleanup();
      await receiver.stop();
    });

    test('without VAPID keys the routes answer 404 problem+json and alerts queue nothing', async () => {
      const key = await off.app.inject({ method: 'GET', url: '/push/key' });
      assert.equal(key.statusCode, 404);
      assert.match(key.headers['content-type'] as string, /problem\+json/);
      assert.match(key.json().detail, /VAPID_PUBLIC_KEY/);
      const browser = new FakeBrowser(`${receiver.url}/off`);
      assert.equal((await off.app.inject({ method: 'POST', url: '/push/subscriptions', payload: browser.subscription('en') })).statusCode, 404);
      assert.equal(await off.services.push.alert('en', { title: 't', body: 'b', url: '/' }), 0);
    });

    test('the public key is served; bad subscriptions get 400 or 422 problem+json naming the problem', async () => {
      const key = await t.app.inject({ method: 'GET', url: '/push/key' });
      assert.equal(key.statusCode, 200);
      assert.equal(key.json().publicKey, vapid.publicKey);
      const good = new FakeBrowser(`${receiver.url}/bad`).subscription('en');
      // 400: the request's shape (bounded schema); 422: a well-formed request the site refuses.
      const cases: [unknown, number, RegExp][] = [
        [{ ...good, endpoint: 'http://10.1.2.3/push/x' }, 422, /public addresses/],
        [{ ...good, endpoint: 'http://192.168.0.1/push/x' }, 422, /public addresses/],
        [{ ...good, endpoint: 'ftp://127.0.0.1/x' }, 422, /https/],
        [{ ...good, language: 'de' }, 422, /no language \\"de\\"/],
        [{ ...good, keys: { ...good.keys, p256dh: 'A'.repeat(87) } }, 422, /p256dh/],
        [{ ...good, keys: { ...good.keys, auth: 'A'.repeat(30) } }, 422, /auth/],
        [{ ...good, endpoint: 'x'.repeat(1001) }, 400, /endpoint/],
        [{ ...good, keys: undefined }, 400, /keys/],
      ];
      for (const [payload, status, message] of cases) {
        const res = await subscribe(payload);
        assert.equal(res.statusCode, status, `${JSON.stringify(payload).slice(0, 120)}: ${res.body}`);
        assert.match(res.headers['content-type'] as string, /problem\+json/);
        assert.match(JSON.stringify(res.json()), message);
      }
      assert.equal(await t.services.push.count(), 0);
    });

    test('a breaking alert and a live alert reach the subscriber of that language as valid, decryptable Web Push; other languages get nothing', async () => {
      const en = new FakeBrowser(`${receiver.url}/push/en-1`);
      const ar = new FakeBrowser(`${receiver.url}/push/ar-1`);
      assert.equal((await subscribe(en.subscription('en'))).statusCode, 201);
      assert.equal((await subscribe(ar.subscription('ar'))).statusCode, 201);
      assert.equal((await subscribe(en.subscription('en'))).statusCode, 201, 'subscribing again is idempotent');
      assert.equal(await t.services.push.count('en'), 1);

      const res = await editor.put('/api/admin/breaking/en', { headline: 'Ceasefire announced', url: '/news/1/ceasefire', alert: true });
      assert.equal(res.statusCode, 200, res.body);
      const notAlert = await editor.put('/api/admin/breaking/en', { headline: 'Quiet banner', url: '/news/1/quiet' });
      assert.equal(notAlert.statusCode, 200, notAlert.body);
      await t.runJobs();
      const got = receiver.received.filter((r) => r.path.startsWith('/push/'));
      assert.deepEqual(got.map((r) => r.path), ['/push/en-1'], 'only the English subscriber, only for the alert');
      const msg = got[0]!;
      assert.equal(msg.headers['content-encoding'], 'aes128gcm');
      assert.ok(Number(msg.headers.ttl) > 0, `TTL header: ${msg.headers.ttl}`);
      const claims = verifyVapid(msg.headers.authorization, vapid.publicKey);
      assert.equal(claims.aud, receiver.url);
      assert.equal(claims.sub, 'mailto:desk@news.test');
      assert.ok(claims.exp * 1000 > Date.now());
      const payload = JSON.parse(en.decrypt(msg.body));
      assert.deepEqual(payload, { title: 'Dateline Test', body: 'Ceasefire announced', url: 'http://news.test/news/1/ceasefire' });
      assert.throws(() => ar.decrypt(msg.body), 'another browser cannot read it');

      const blogId = await makeArticle(t, sectionId, { headline: 'Push blog' });
      assert.equal((await editor.post('/api/admin/live-blogs', { articleId: blogId })).statusCode, 201);
      const entry = await editor.post(`/api/admin/live-blogs/${blogId}/entries`, { kind: 'text', bodyHtml: '<p>Troops <b>withdraw</b> from the bridge</p>', alert: true });
      assert.equal(entry.statusCode, 201, entry.body);
      await t.runJobs();
      const second = receiver.received.filter((r) => r.path === '/push/en-1');
      assert.equal(second.length, 2);
      const live = JSON.parse(en.decrypt(second[1]!.body));
      assert.equal(live.body, 'Troops withdraw from the bridge');
      assert.equal(live.url, `http://news.test/news/${blogId}`);
    });

    test('pages offer "Get alerts" (hidden until the script sees push support) only with VAPID; the service worker is a static file; CSP stays strict', async () => {
      const page = await t.app.inject({ method: 'GET', url: '/' });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, new RegExp(`<button type="button" class="get-alerts" hidden data-push-key="${vapid.publicKey}" data-push-on="Alerts on">Get alerts</button>`));
      assert.equal(page.headers['content-security-policy'], SITE_CSP);
      assert.doesNotMatch(page.body, /<script>(?!<)/, 'no inline script');
      const sw = await t.app.inject({ method: 'GET', url: '/push/sw.js' });
      assert.equal(sw.statusCode, 200);
      assert.match(sw.headers['content-type'] as string, /javascript/);
      assert.match(sw.body, /showNotification/);
      const script = await t.app.inject({ method: 'GET', url: /<script src="([^"]+live[^"]+)"/.exec(page.body)![1]! });
      assert.match(script.body, /pushManager\.subscribe/);
      const plain = await off.app.inject({ method: 'GET', url: '/' });
      assert.equal(plain.statusCode, 200);
      assert.doesNotMatch(plain.body, /get-alerts/);
      assert.equal((await off.app.inject({ method: 'GET', url: '/push/sw.js' })).statusCode, 404);
    });

    test('a failing push service is retried; 410 Gone removes the subscription; DELETE unsubscribes', async () => {
      const browser = new FakeBrowser(`${receiver.url}/push/flaky`);
      assert.equal((await subscribe(browser.subscription('fa'))).statusCode, 201);
      receiver.status.set('/push/flaky', 503);
      assert.equal(await t.services.push.alert('fa', { title: 'T', body: 'First', url: 'http://news.test/' }), 1);
      await t.runJobs();
      assert.equal(receiver.received.filter((r) => r.path === '/push/flaky').length, 1);
      assert.equal(await t.services.push.count('fa'), 1, 'a 503 keeps the subscription');
      receiver.status.set('/push/flaky', 410);
      t.clock.set(t.clock.now + 60_000);
      await t.runJobs();
      assert.equal(receiver.received.filter((r) => r.path === '/push/flaky').length, 2, 'retried after the backoff');
      assert.equal(await t.services.push.count('fa'), 0, '410 removed it');

      const leaving = new FakeBrowser(`${receiver.url}/push/leaving`);
      assert.equal((await subscribe(leaving.subscription('fa'))).statusCode, 201);
      const del = await t.app.inject({ method: 'DELETE', url: '/push/subscriptions', payload: { endpoint: leaving.endpoint } });
      assert.equal(del.statusCode, 204);
      assert.equal(await t.services.push.count('fa'), 0);
      await t.services.push.alert('fa', { title: 'T', body: 'Nobody', url: 'http://news.test/' });
      await t.runJobs();
      assert.equal(receiver.received.filter((r) => r.path === '/push/leaving').length, 0);
    });
  });
}
