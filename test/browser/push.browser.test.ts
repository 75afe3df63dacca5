import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import webpush from 'web-push';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { SKIP, launchChromium } from '../helpers/browser.js';
import { login, makeUser, type Client } from '../helpers/newsroom.js';
import { FakeBrowser, PushReceiver } from '../helpers/push-receiver.js';

/**
 * Issue 17: a reader clicks "Get alerts" in a real browser: permission, the service worker,
 * the subscription with the site's VAPID key, the row on the server; a breaking alert then
 * goes out as Web Push and the service worker shows it.
 *
 * Chromium's own push service is on the internet, out of reach here (headless chromium's
 * real subscribe() never settles and takes the browser down with it). So the browser's PushManager.subscribe is the one
 * piece replaced: it checks the options the page passes (the VAPID key, userVisibleOnly)
 * and answers with a subscription on the local push receiver, whose keys the test holds,
 * as a push service would. What the receiver gets is decrypted with those keys and handed
 * to the real service worker over the DevTools protocol (ServiceWorker.deliverPushMessage).
 */
describe('"Get alerts" in a real browser', { skip: SKIP }, () => {
  const vapid = webpush.generateVAPIDKeys();
  let t: TestApp;
  let browser: Browser;
  let receiver: PushReceiver;
  let origin: string;
  let editor: Client;

  before(async () => {
    receiver = await new PushReceiver().start();
    t = await createTestApp('sqlite', { timeZone: 'UTC' }, undefined, {
      push: { vapidPublicKey: vapid.publicKey, vapidPrivateKey: vapid.privateKey, vapidSubject: 'mailto:desk@news.test', pushAllowPrivate: ['127.0.0.1/32'] },
    });
    t.clock.set(Date.now());
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    origin = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    editor = await login(t.app, await makeUser(t, 'editor'));
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await t?.cleanup();
    await receiver?.stop();
  });

  test('click → permission → service worker → subscription stored; a breaking alert reaches the push receiver and the service worker shows it', async () => {
    const context = await browser.newContext();
    await context.grantPermissions(['notifications'], { origin });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (/Content Security Policy|Refused/i.test(m.text())) errors.push(m.text());
    });
    assert.equal((await page.goto(`${origin}/`))?.status(), 200);
    const button = page.locator('button.get-alerts');
    await button.waitFor({ state: 'visible', timeout: 5000 });
    assert.equal((await button.innerText()).trim(), 'Get alerts');
    // The page registered the service worker on load.
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    assert.equal(scope, `${origin}/`, 'the worker covers every page (else `ready` never resolves and the click does nothing)');
    assert.equal(await page.evaluate(() => Notification.permission), 'granted');

    const keys = new FakeBrowser(`${receiver.url}/push/browser-1`);
    const sub = keys.subscription('en');
    // As a string: tsx's helpers (__name) do not exist in the page.
    await page.evaluate(`(() => {
      const s = ${JSON.stringify(sub)};
      PushManager.prototype.subscribe = async (options) => {
        const bytes = new Uint8Array(options.applicationServerKey);
        window.pushOptions = { key: btoa(String.fromCharCode(...bytes)).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, ''), userVisibleOnly: Boolean(options.userVisibleOnly) };
        return { endpoint: s.endpoint, expirationTime: null, toJSON: () => ({ endpoint: s.endpoint, expirationTime: null, keys: s.keys }) };
      };
    })()`);

    await button.click();
    await page.locator('button.get-alerts', { hasText: 'Alerts on' }).waitFor({ timeout: 5000 });
    assert.ok(await button.isDisabled());
    assert.deepEqual(await page.evaluate(() => (window as unknown as { pushOptions: unknown }).pushOptions), { key: vapid.publicKey, userVisibleOnly: true }, 'subscribed with the site\'s VAPID public key');
    const rows = await t.handle.db.selectFrom('push_subscriptions' as never).selectAll().execute() as { endpoint: string; language: string; p256dh: string; auth: string }[];
    assert.equal(rows.length, 1);
    assert.deepEqual({ endpoint: rows[0]!.endpoint, language: rows[0]!.language, p256dh: rows[0]!.p256dh, auth: rows[0]!.auth }, { endpoint: sub.endpoint, language: 'en', ...sub.keys });

    // A breaking alert: one push.send job, delivered encrypted to the receiver.
    assert.equal((await editor.put('/api/admin/breaking/en', { headline: 'Dam breach downstream', url: '/news/7/dam', alert: true })).statusCode, 200);
    await t.runJobs();
    const got = receiver.received.filter((r) => r.path === '/push/browser-1');
    assert.equal(got.length, 1);
    const message = keys.decrypt(got[0]!.body);
    assert.deepEqual(JSON.parse(message), { title: 'Dateline Test', body: 'Dam breach downstream', url: 'http://news.test/news/7/dam' });

    // The push service's last step: the message to the service worker, which shows it.
    const cdp = await context.newCDPSession(page);
    const registrationId = new Promise<string>((resolve) => {
      cdp.on('ServiceWorker.workerRegistrationUpdated', (e: { registrations: { registrationId: string; scopeURL: string; isDeleted: boolean }[] }) => {
        const reg = e.registrations.find((r) => r.scopeURL === scope && !r.isDeleted);
        if (reg) resolve(reg.registrationId);
      });
    });
    await cdp.send('ServiceWorker.enable');
    const registration = await registrationId;
    // Delivered until shown: a push that reaches a worker still activating (a loaded machine) can
    // be dropped. The worker tags each notification with its URL, so a repeat replaces, never adds.
    let shown: { title: string; body: string; url: string }[] = [];
    for (const end = Date.now() + 30_000; !shown.length && Date.now() < end; ) {
      await cdp.send('ServiceWorker.deliverPushMessage', { origin, registrationId: registration, data: message });
      shown = await page.evaluate(async () => {
        const reg = await navigator.serviceWorker.ready;
        for (let i = 0; i < 30; i++) {
          const list = await reg.getNotifications();
          if (list.length) return list.map((n) => ({ title: n.title, body: n.body, url: (n.data as { url: string }).url }));
          await new Promise((r) => setTimeout(r, 100));
        }
        return [];
      });
    }
    assert.deepEqual(shown, [{ title: 'Dateline Test', body: 'Dam breach downstream', url: 'http://news.test/news/7/dam' }]);
    assert.deepEqual(errors, []);
    await context.close();
  });
});
