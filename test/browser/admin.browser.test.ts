import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { buildAdminIfStale, SKIP, openAppPage, serveToBrowser } from '../helpers/browser.js';
import sharp from 'sharp';
import { createTestApp, type TestApp } from '../helpers/app.js';


const OWNER = { name: 'Olive Owner', email: 'owner@news.test', password: 'correct horse battery' };

/** A second, API-only session: the "someone else" of the conflict. */
async function apiSession(origin: string) {
  const res = await fetch(`${origin}/api/admin/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: OWNER.email, password: OWNER.password }),
  });
  assert.equal(res.status, 200, `API sign-in: ${await res.clone().text()}`);
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return async <T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const r = await fetch(`${origin}${path}`, {
      method,
      headers: { cookie, 'x-csrf-token': csrfToken, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
}

async function saveState(page: Page, state: string): Promise<void> {
  await page.locator(`.save-status[data-state="${state}"]`).waitFor({ timeout: 45_000 });
}

describe('newsroom web app in a real browser', { skip: SKIP }, () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let origin: string;
  let articleId = 0;
  const headline = `Harbour bridge reopens after storm repairs ${Date.now().toString(36)}`;

  before(async () => {
    buildAdminIfStale();
    t = await createTestApp('sqlite', { timeZone: 'UTC' });
    t.clock.set(Date.now());
    await t.services.demo.load();
    ({ origin, browser } = await serveToBrowser(t.app));
    page = await openAppPage(browser);
  });
  after(async () => {
    await browser?.close();
    await t?.cleanup();
  });

  test('the app shell is served with a strict CSP and deep links fall back to it', async () => {
    const res = await fetch(`${origin}/admin/articles/123`);
    assert.equal(res.status, 200);
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.match(await res.text(), /<div id="app">/);
    assert.equal((await fetch(`${origin}/admin/assets/missing.js`)).status, 404);
  });

  test('first-run setup creates the owner and signs in', async () => {
    const token = await t.services.newsroom.auth.createSetupToken();
    assert.ok(token, 'a setup token while no user exists');
    await page.goto(`${origin}/admin/setup?token=${encodeURIComponent(token)}`);
    await page.getByLabel('Your name').fill(OWNER.name);
    await page.getByLabel('Email').fill(OWNER.email);
    await page.locator('input[name="password"]').fill(OWNER.password);
    await page.locator('input[name="password-confirm"]').fill(OWNER.password);
    await page.getByRole('button', { name: 'Create owner account' }).click();
    await page.getByRole('heading', { name: 'Articles', exact: true }).waitFor();
    assert.ok(await page.getByRole('link', { name: 'Users' }).isVisible(), 'owners see user management');
  });

  test('write an article with a link and a bullet list, then publish it', async () => {
    await page.getByRole('link', { name: 'New article' }).first().click();
    await page.getByLabel('Headline', { exact: true }).fill(headline);
    await page.getByLabel('Dek (standfirst)').fill('Traffic flows again across the estuary.');
    const body = page.getByRole('textbox', { name: 'Body', exact: true });
    await body.click();
    await page.keyboard.type('The city reopened the bridge, says ');
    await page.keyboard.type('the harbour office');
    for (let i = 0; i < 'the harbour office'.length; i++) await page.keyboard.press('Shift+ArrowLeft');
    await page.getByRole('button', { name: 'Link', exact: true }).click();
    await page.getByLabel('Link address').fill('https://harbour.example.org/notice');
    await page.getByRole('button', { name: 'Apply link' }).click();
    // Toolbar commands give the editor its focus back in an animation frame: keys pressed
    // before it lands go to the button (or move a selection about to be restored).
    const focusSettled = () => page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    await body.locator('a[href="https://harbour.example.org/notice"]').waitFor();
    await focusSettled();
    await body.press('End');
    await body.press('Enter');
    await page.getByRole('button', { name: 'Bullet list' }).click();
    await body.locator('ul li').waitFor();
    await focusSettled();
    await page.keyboard.type('Two lanes open each way');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Cyclists use the east path');

    await saveState(page, 'saved'); // autosave created the draft
    await page.waitForURL(/\/admin\/articles\/\d+$/);
    articleId = Number(/\/articles\/(\d+)$/.exec(page.url())![1]);

    // Publishing shows the checklist first (a short body is a warning, not a block) and asks.
    await page.getByRole('button', { name: 'Publish…', exact: true }).click();
    await page.locator('.publish-checklist [data-check="SHORT_BODY"]').waitFor();
    await page.getByRole('button', { name: 'Yes, publish now' }).click();
    await page.locator('.editor-side .status-published').waitFor();
    await page.getByText('Published: the article is live.').waitFor();

    const stored = await t.services.newsroom.workflow.get(articleId);
    assert.equal(stored.status, 'published');
    assert.match(stored.bodyHtml, /<a [^>]*href="https:\/\/harbour\.example\.org\/notice"[^>]*>the harbour office<\/a>/);
    assert.match(stored.bodyHtml, /<ul>.*Two lanes open each way.*Cyclists use the east path.*<\/ul>/s);
  });

  test('the published article is on the public site: home page and its own page', async () => {
    const site = await browser.newPage({ javaScriptEnabled: false });
    await site.goto(`${origin}/`);
    const onHome = site.locator('a', { hasText: headline }).first();
    assert.ok(await onHome.isVisible(), 'the new article is listed on the home page');
    await onHome.click();
    await site.waitForURL(/\/news\/\d+\//);
    assert.equal((await site.locator('article.story h1').innerText()).trim(), headline);
    const link = site.locator('article.story a[href="https://harbour.example.org/notice"]');
    assert.equal((await link.innerText()).trim(), 'the harbour office');
    const items = site.locator('article.story ul li');
    assert.deepEqual((await items.allInnerTexts()).map((s) => s.trim()).filter((s) => /lanes|Cyclists/.test(s)), ['Two lanes open each way', 'Cyclists use the east path']);
    await site.close();
  });

  test('a concurrent save gives a 409 that is merged in the editor', async () => {
    const other = await apiSession(origin);
    const current = await other<{ revision: number; dek: string }>('GET', `/api/admin/articles/${articleId}`);
    assert.equal(current.status, 200);

    // The user edits the headline in the browser...
    const headlineInput = page.getByLabel('Headline', { exact: true });
    await headlineInput.fill(`${headline} (updated)`);
    const body = page.getByRole('textbox', { name: 'Body', exact: true });
    await body.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Added by the reporter.');

    // ...while someone else saves a new dek through the API.
    const theirs = await other<{ revision: number }>('PUT', `/api/admin/articles/${articleId}`, { baseRevision: current.body.revision, dek: 'Desk edit: tolls are waived this week.' });
    assert.equal(theirs.status, 200, JSON.stringify(theirs.body));

    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await saveState(page, 'conflict');
    const merge = page.locator('section.conflict');
    assert.ok(await merge.isVisible());
    // Three-way: their dek, my headline and my new paragraph combine without a question.
    assert.match(await merge.locator('[data-merge="theirs"]').innerText(), /Dek/);
    assert.match(await merge.locator('[data-merge="mine"]').innerText(), /Headline, Body/);
    assert.equal(await merge.locator('input[type="radio"]').count(), 0, 'nothing to choose: no field was changed on both sides');
    await merge.getByRole('button', { name: 'Save merged version' }).click();
    await saveState(page, 'saved');

    const stored = await t.services.newsroom.workflow.get(articleId);
    assert.equal(stored.headline, `${headline} (updated)`);
    assert.equal(stored.dek, 'Desk edit: tolls are waived this week.');
    assert.match(stored.bodyHtml, /Added by the reporter\./);
    assert.ok(stored.revision > theirs.body.revision);
    assert.equal(await page.getByLabel('Dek (standfirst)').inputValue(), 'Desk edit: tolls are waived this week.');
  });

  test('unpublishing takes the article off the public site', async () => {
    const publicUrl = (await t.services.newsroom.workflow.get(articleId)).publishedAt ? await page.getByRole('link', { name: 'View on site' }).getAttribute('href') : null;
    assert.ok(publicUrl, 'a public URL while published');
    const path = new URL(publicUrl).pathname;
    assert.equal((await fetch(`${origin}${path}`, { redirect: 'manual' })).status, 200);

    await page.getByRole('button', { name: 'Unpublish' }).click();
    await page.locator('.editor-side .status-unpublished').waitFor();
    const status = (await fetch(`${origin}${path}`, { redirect: 'manual' })).status;
    assert.ok(status === 410 || status === 404, `public page answers ${status}`);
  });

  test('media library: upload with progress, then describe the item', async () => {
    await page.getByRole('link', { name: 'Media', exact: true }).click();
    await page.getByRole('heading', { name: 'Media library' }).waitFor();
    const png = await sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 20, g: 90, b: 160 } } }).png().toBuffer();
    await page.locator('input[type="file"]').setInputFiles({ name: 'harbour.png', mimeType: 'image/png', buffer: png });
    await page.locator('.uploads li[data-state="done"]').waitFor({ timeout: 60_000 });
    assert.equal(await page.locator('.uploads progress').first().getAttribute('value'), '1');

    const detail = page.getByRole('complementary', { name: 'Media item' });
    await detail.getByLabel(/Alt text/).fill('The harbour bridge at dawn');
    await detail.locator('img.focal-image').click({ position: { x: 10, y: 10 } });
    await detail.getByRole('button', { name: 'Save details' }).click();
    await detail.getByText('Saved.').waitFor();
    const list = await t.services.media.list({ limit: 5 });
    const item = list.find((m) => m.alt === 'The harbour bridge at dawn');
    assert.ok(item, 'alt text stored');
    assert.ok(item.focalX < 0.2 && item.focalY < 0.2, 'focal point near the top-left corner');
  });
});
