import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import webpush from 'web-push';
import { isBrowserPushService, pushOrigin } from '../../src/domain/push.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/databases.js';
import { FakeBrowser } from '../helpers/push-receiver.js';

const RATE = 4;
const CAP = 3;

/** Issue 17: public Web Push subscriptions are rate-limited per address, bounded in size and capped per push service origin. */
for (const engine of DIALECTS) {
  describe(`Web Push subscription limits (${engine})`, () => {
    const vapid = webpush.generateVAPIDKeys();
    let t: TestApp;
    // Nothing is sent in these tests: the endpoints only need to pass the address check.
    const origin = 'http://127.0.0.1:9';
    const subscribe = (payload: unknown, remoteAddress: string) => t.app.inject({ method: 'POST', url: '/push/subscriptions', payload: payload as object, remoteAddress });

    before(async () => {
      t = await createTestApp(engine, {}, undefined, {
        push: { vapidPublicKey: vapid.publicKey, vapidPrivateKey: vapid.privateKey, vapidSubject: 'mailto:desk@news.test', pushAllowPrivate: ['127.0.0.1/32'], pushRatePerMinute: RATE, pushMaxPerOrigin: CAP },
      });
    });
    after(async () => t.cleanup());

    test('one address gets RATE subscribe/unsubscribe requests a minute, then 429 problem+json with Retry-After; another address is not affected', async () => {
      const address = '203.0.113.7';
      for (let i = 0; i < RATE; i++) {
        const res = await subscribe(new FakeBrowser(`${origin}/rate/${i % 2}`).subscription('en'), address);
        assert.equal(res.statusCode, 201, res.body);
      }
      const refused = await subscribe(new FakeBrowser(`${origin}/rate/0`).subscription('en'), address);
      assert.equal(refused.statusCode, 429);
      assert.match(refused.headers['content-type'] as string, /problem\+json/);
      assert.equal(refused.json().code, 'RATE_LIMITED');
      assert.match(refused.json().detail, /Too many requests from your address\. Try again in \d+ seconds?\./);
      const retryAfter = Number(refused.headers['retry-after']);
      assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After: ${refused.headers['retry-after']}`);
      const unsubscribe = await t.app.inject({ method: 'DELETE', url: '/push/subscriptions', payload: { endpoint: `${origin}/rate/0` }, remoteAddress: address });
      assert.equal(unsubscribe.statusCode, 429, 'unsubscribing counts against the same limit');
      const other = await subscribe(new FakeBrowser(`${origin}/rate/other`).subscription('en'), '203.0.113.8');
      assert.equal(other.statusCode, 201, other.body);
      assert.equal(await t.services.push.count(), 3, 'two endpoints (resubscribed) and the other address');
      await t.app.inject({ method: 'DELETE', url: '/push/subscriptions', payload: { endpoint: `${origin}/rate/other` }, remoteAddress: '203.0.113.8' });
      await t.app.inject({ method: 'DELETE', url: '/push/subscriptions', payload: { endpoint: `${origin}/rate/1` }, remoteAddress: '203.0.113.8' });
      await t.app.inject({ method: 'DELETE', url: '/push/subscriptions', payload: { endpoint: `${origin}/rate/0` }, remoteAddress: '203.0.113.8' });
      assert.equal(await t.services.push.count(), 0);
    });

    test('a body larger than a subscription is refused with 413 problem+json before it is parsed', async () => {
      const huge = { ...new FakeBrowser(`${origin}/huge`).subscription('en'), padding: 'x'.repeat(8000) };
      const res = await subscribe(huge, '203.0.113.20');
      assert.equal(res.statusCode, 413);
      assert.match(res.headers['content-type'] as string, /problem\+json/);
      assert.equal(await t.services.push.count(), 0);
    });

    test('a push service origin other than a browser vendor\'s holds at most PUSH_MAX_PER_ORIGIN subscriptions; the same endpoint again is an update, not a new one', async () => {
      const browsers = Array.from({ length: CAP }, (_, i) => new FakeBrowser(`${origin}/cap/${i}`));
      for (const [i, b] of browsers.entries()) assert.equal((await subscribe(b.subscription('en'), `198.51.100.${i + 1}`)).statusCode, 201);
      const full = await subscribe(new FakeBrowser(`${origin}/cap/extra`).subscription('en'), '198.51.100.50');
      assert.equal(full.statusCode, 429);
      assert.match(full.headers['content-type'] as string, /problem\+json/);
      assert.equal(full.json().code, 'PUSH_ORIGIN_FULL');
      assert.match(full.json().detail, /http:\/\/127\.0\.0\.1:9 already holds 3 subscriptions/);
      // A browser already subscribed may move to another language (dedupe by endpoint: still one row).
      const moved = await subscribe(browsers[0]!.subscription('ar'), '198.51.100.60');
      assert.equal(moved.statusCode, 201, moved.body);
      assert.equal(await t.services.push.count(), CAP);
      assert.equal(await t.services.push.count('ar'), 1);
      // Another origin has its own count.
      assert.equal((await subscribe(new FakeBrowser('http://127.0.0.1:10/cap/0').subscription('en'), '198.51.100.70')).statusCode, 201);
      // One leaves: a place frees up.
      await t.app.inject({ method: 'DELETE', url: '/push/subscriptions', payload: { endpoint: browsers[1]!.endpoint }, remoteAddress: '198.51.100.80' });
      assert.equal((await subscribe(new FakeBrowser(`${origin}/cap/extra`).subscription('en'), '198.51.100.90')).statusCode, 201);
    });

    test('browser vendors\' push services are recognised by host (not by look-alikes)', () => {
      assert.equal(pushOrigin('https://FCM.googleapis.com/fcm/send/abc'), 'https://fcm.googleapis.com');
      assert.equal(pushOrigin('not a url'), '');
      assert.ok(isBrowserPushService('https://fcm.googleapis.com'));
      assert.ok(isBrowserPushService('https://updates.push.services.mozilla.com'));
      assert.ok(isBrowserPushService('https://wns2-par02p.notify.windows.com'));
      assert.ok(isBrowserPushService('https://web.push.apple.com'));
      assert.ok(!isBrowserPushService('https://evil-fcm.googleapis.com.example'));
      assert.ok(!isBrowserPushService('https://notfcm.googleapis.com'));
      assert.ok(!isBrowserPushService('http://fcm.googleapis.com'), 'only https');
      assert.ok(!isBrowserPushService('http://127.0.0.1:9'));
    });
  });
}
