import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { buildAdminIfStale, SKIP, launchChromium, openAppPage } from '../helpers/browser.js';
import { Webhook } from 'standardwebhooks';
import { buildApp } from '../../src/http/app.js';
import { createTestDb, type TestDb } from '../helpers/databases.js';
import { makeSection } from '../helpers/factories.js';
import { actor, makeUser, type TestUser } from '../helpers/newsroom.js';
import { WebhookReceiver } from '../helpers/webhook-receiver.js';

const SHOTS = process.env.SCREENSHOT_DIR ?? '';

describe('webhooks screen in a real browser', { skip: SKIP }, () => {
  let t: TestDb;
  let app: FastifyInstance;
  let browser: Browser;
  let page: Page;
  let origin: string;
  let receiver: WebhookReceiver;
  let owner: TestUser;
  let section: number;

  before(async () => {
    buildAdminIfStale();
    receiver = await new WebhookReceiver().start();
    t = await createTestDb('sqlite', { webhooks: { webhookAllowPrivate: ['127.0.0.1/32'], webhookTimeoutMs: 5000, webhookMaxAttempts: 3, webhookDisableAfter: 2 } });
    t.clock.set(Date.now());
    app = await buildApp(
      { siteName: 'Dateline Test', baseUrl: 'http://news.test', timeZone: 'UTC', datelineFormat: 'ddd MMM D, YYYY HH:mm:ss', languages: ['en'], logLevel: 'silent', requestLog: false, dataDir: t.dataDir },
      t.services,
    );
    await app.listen({ port: 0, host: '127.0.0.1' });
    origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    owner = await makeUser(t, 'owner');
    section = await makeSection(t);
    browser = await launchChromium();
    page = await openAppPage(browser);
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await t?.cleanup();
    await receiver?.stop();
  });

  const publish = async (headline: string) => {
    const a = await t.services.newsroom.workflow.create(actor(owner), { headline, sectionId: section, bodyHtml: '<p>Text.</p>' });
    await t.services.newsroom.workflow.transition(actor(owner), a.id, { action: 'publish' });
  };

  test('an owner registers an endpoint, sees its secret once, and reads the delivery log', async () => {
    await page.goto(`${origin}/admin/login`);
    await page.getByLabel('Email').fill(owner.email);
    await page.getByLabel('Password').fill(owner.password);
    await page.getByRole('button', { name: /sign in/i }).click();
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('heading', { name: 'Webhooks', exact: true }).waitFor();
    await page.getByLabel('URL').fill(`${receiver.url}/partner`);
    await page.getByLabel('Description').fill('Partner wire desk');
    await page.getByRole('checkbox', { name: 'Media ready' }).check();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const secret = await page.getByLabel('Signing secret').inputValue();
    assert.match(secret, /^whsec_/);
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'webhooks-created.png'), fullPage: true });
    await page.getByRole('button', { name: 'Done' }).click();

    await publish('Harbour bridge reopens');
    await t.runJobs();
    const [got] = receiver.at('/partner');
    assert.ok(got, 'the receiver got the webhook');
    new Webhook(secret).verify(got.body, got.headers as Record<string, string>);

    await page.getByRole('button', { name: 'Refresh' }).click();
    const row = page.locator('.delivery-log tbody tr').first();
    await row.getByText('article.published').waitFor();
    assert.match(await row.innerText(), /succeeded[\s\S]*200[\s\S]*ms[\s\S]*1/);
  });

  test('a failing endpoint shows retries, can be retried now, and is switched off with a notice', async () => {
    receiver.on('/broken', () => ({ status: 500, body: 'down for maintenance' }));
    await page.getByLabel('URL').fill(`${receiver.url}/broken`);
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await page.getByRole('button', { name: 'Done' }).click();
    await publish('Storm closes the port');
    await t.runJobs();
    const card = page.locator('article.webhook').filter({ hasText: '/broken' });
    // A new endpoint opens its log at once.
    await card.getByRole('button', { name: 'Refresh' }).click();
    const row = card.locator('.delivery-log tbody tr').first();
    await row.getByText('retrying').waitFor();
    assert.match(await row.innerText(), /HTTP 500/);
    await row.getByRole('button', { name: 'Retry now' }).click();
    await t.runJobs();
    await page.reload();
    const notice = page.locator('article.webhook').filter({ hasText: '/broken' }).getByRole('alert');
    await notice.waitFor();
    assert.match(await notice.innerText(), /Switched off automatically .* after 2 failed attempts in a row/);
    await page.locator('article.webhook').filter({ hasText: '/broken' }).getByRole('button', { name: 'Delivery log' }).click();
    await page.locator('article.webhook').filter({ hasText: '/broken' }).locator('.delivery-log tbody tr').first().waitFor();
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'webhooks-switched-off.png'), fullPage: true });
    assert.equal(receiver.at('/broken').length, 2);
  });
});
