import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { buildApp } from '../../src/http/app.js';
import { buildAdminIfStale, SKIP, launchChromium, openAppPage } from '../helpers/browser.js';
import { createTestDb, type TestDb } from '../helpers/databases.js';
import { makeSection } from '../helpers/factories.js';
import { FeedServer, rss } from '../helpers/feed-server.js';
import { makeUser, type TestUser } from '../helpers/newsroom.js';

const SHOTS = process.env.SCREENSHOT_DIR ?? '';

describe('Incoming screen in a real browser', { skip: SKIP }, () => {
  let t: TestDb;
  let app: FastifyInstance;
  let browser: Browser;
  let page: Page;
  let origin: string;
  let feeds: FeedServer;
  let editor: TestUser;

  before(async () => {
    buildAdminIfStale();
    feeds = await new FeedServer().start();
    t = await createTestDb('sqlite', { wire: { wireAllowPrivate: ['127.0.0.1/32'], wireTimeoutMs: 3000 } });
    t.clock.set(Date.now());
    app = await buildApp(
      { siteName: 'Dateline Test', baseUrl: 'http://news.test', timeZone: 'UTC', datelineFormat: 'ddd MMM D, YYYY HH:mm:ss', languages: ['en', 'ar'], logLevel: 'silent', requestLog: false, dataDir: t.dataDir },
      t.services,
    );
    await app.listen({ port: 0, host: '127.0.0.1' });
    origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    editor = await makeUser(t, 'editor');
    await makeSection(t, 'world', 'World');
    await makeSection(t, 'business', 'Business');
    browser = await launchChromium();
    page = await openAppPage(browser);
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await t?.cleanup();
    await feeds?.stop();
  });

  test('an editor adds a source, filters the queue, previews an item and makes it a draft', async () => {
    feeds.set('/wire.rss', {
      etag: '"1"',
      body: rss([
        { guid: 'w-1', title: 'Oil prices climb after supply cut', html: '<p>Brent rose 3%.</p><script>document.title="pwned"</script><p>Analysts expect more.</p>', author: 'Markets desk' },
        { guid: 'w-2', title: 'أسعار النفط ترتفع', html: '<p>ارتفع خام برنت.</p>', language: 'ar' },
      ]),
    });
    await page.goto(`${origin}/admin/login`);
    await page.getByLabel('Email').fill(editor.email);
    await page.getByLabel('Password').fill(editor.password);
    await page.getByRole('button', { name: /sign in/i }).click();
    await page.getByRole('link', { name: 'Incoming' }).click();
    await page.getByRole('heading', { name: 'Incoming' }).waitFor();
    await page.getByRole('link', { name: 'Manage sources' }).click();
    await page.getByRole('heading', { name: 'Wire sources' }).waitFor();
    await page.getByLabel('Name').fill('Agency Markets');
    await page.getByLabel('Address').fill(`${feeds.url}/wire.rss`);
    await page.getByLabel('Agency').fill('Agency Press');
    await page.getByRole('button', { name: 'Add source' }).click();
    await page.getByRole('status').getByText('is polled now').waitFor();
    assert.equal(await t.runJobs(), 1);
    await page.reload();
    const row = page.locator('tbody tr').filter({ hasText: 'Agency Markets' });
    await row.getByText('OK').waitFor();
    assert.match(await row.innerText(), /2/);

    await page.getByRole('link', { name: 'Incoming' }).first().click();
    await page.getByText('Oil prices climb after supply cut').waitFor();
    await page.locator('main').getByLabel('Language').selectOption('ar');
    // The Arabic row was listed before the filter too: wait for the English one to leave.
    await page.locator('tbody tr').filter({ hasText: 'Oil prices climb after supply cut' }).waitFor({ state: 'detached' });
    await page.locator('tbody tr').filter({ hasText: 'أسعار النفط ترتفع' }).waitFor();
    assert.equal(await page.locator('tbody tr').count(), 1, 'the language filter leaves the Arabic item');
    await page.locator('main').getByLabel('Language').selectOption('');
    await page.getByRole('button', { name: 'Preview Oil prices climb after supply cut' }).click();
    const preview = page.getByRole('complementary', { name: 'Preview' });
    await preview.getByText('Brent rose 3%.').waitFor();
    assert.match(await preview.innerText(), /Agency Press · Agency Markets · en/);
    assert.equal(await preview.locator('script').count(), 0, 'the preview shows the sanitized body');
    assert.notEqual(await page.title(), 'pwned');
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'incoming-preview.png'), fullPage: true });
    await preview.getByLabel('Section').selectOption({ label: 'Business' });
    await preview.getByRole('button', { name: 'Make draft' }).click();
    await page.waitForURL(/\/admin\/articles\/\d+$/);
    const articleId = Number(/\/articles\/(\d+)$/.exec(page.url())![1]);
    await page.getByLabel('Headline').waitFor();
    assert.equal(await page.getByLabel('Headline').inputValue(), 'Oil prices climb after supply cut');
    const article = await t.handle.db.selectFrom('articles').selectAll().where('id', '=', articleId).executeTakeFirstOrThrow();
    assert.equal(article.status, 'draft');
    assert.equal(article.source, 'Agency Press');
    assert.equal(article.byline, 'Markets desk');
    const business = await t.handle.db.selectFrom('sections').select('id').where('slug', '=', 'business').executeTakeFirstOrThrow();
    assert.equal(article.section_id, business.id);
    assert.doesNotMatch(article.body_html, /script|pwned/);

    await page.getByRole('link', { name: 'Incoming' }).first().click();
    await page.getByText('أسعار النفط ترتفع').waitFor();
    assert.equal(await page.getByText('Oil prices climb after supply cut').count(), 0, 'a drafted item leaves the queue');
  });
});
