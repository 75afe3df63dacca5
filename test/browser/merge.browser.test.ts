import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildAdminIfStale, SKIP, serveToBrowser } from '../helpers/browser.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeSection } from '../helpers/factories.js';
import { actor, makeUser, type TestUser } from '../helpers/newsroom.js';


const saveState = (page: Page, state: string) => page.locator(`.save-status[data-state="${state}"]`).waitFor({ timeout: 45_000 });

describe('merge, history and publish checks in a real browser', { skip: SKIP }, () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let origin: string;
  let writer: TestUser;
  let desk: TestUser;
  let articleId = 0;

  before(async () => {
    buildAdminIfStale();
    t = await createTestApp('sqlite', { timeZone: 'UTC' });
    t.clock.set(Date.now());
    await makeSection(t, 'world', 'World');
    writer = await makeUser(t, 'editor', { name: 'Wafa Writer' });
    desk = await makeUser(t, 'editor', { name: 'Desk Editor' });
    ({ origin, browser } = await serveToBrowser(t.app));
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(60_000);
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error('page error:', err.message));
    await page.goto(`${origin}/admin/`);
    await page.getByLabel('Email').fill(writer.email);
    await page.getByLabel('Password').fill(writer.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Articles', exact: true }).waitFor();
    await page.close();
  });
  after(async () => {
    await browser?.close();
    await t?.cleanup();
  });

  test('a new article: the byline is the writer, a "." after a link stays outside it, no empty trailing paragraph, live headline counter', async () => {
    const page = await context.newPage();
    await page.goto(`${origin}/admin/articles/new`);
    await page.getByLabel('Headline', { exact: true }).waitFor();
    assert.equal(await page.getByLabel('Byline').inputValue(), 'Wafa Writer');
    const headline = page.getByLabel('Headline', { exact: true });
    await headline.fill('x'.repeat(341));
    assert.equal((await page.locator('#headline-count').innerText()).trim(), 'The headline can be at most 300 characters; it has 341.');
    await headline.fill('Harbour bridge reopens');
    assert.equal((await page.locator('#headline-count').innerText()).trim(), '22 / 300 characters');
    await page.getByLabel('Dek (standfirst)').fill('Base dek.');

    const body = page.getByRole('textbox', { name: 'Body', exact: true });
    await body.click();
    await page.keyboard.type('First paragraph, see ');
    await page.getByRole('button', { name: 'Link', exact: true }).click();
    await page.getByLabel('Link address').fill('https://harbour.example.org/');
    await page.getByRole('button', { name: 'Apply link' }).click();
    await body.locator('a[href="https://harbour.example.org/"]').waitFor();
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    await body.press('End');
    await page.keyboard.type('.');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Second paragraph.');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Third paragraph.');
    await page.keyboard.press('Enter');
    await saveState(page, 'saved');
    await page.waitForURL(/\/admin\/articles\/\d+$/);
    articleId = Number(/\/articles\/(\d+)$/.exec(page.url())![1]);
    const stored = await t.services.newsroom.workflow.get(articleId);
    assert.equal(stored.byline, 'Wafa Writer');
    assert.match(stored.bodyHtml, /<a [^>]*>https:\/\/harbour\.example\.org\/<\/a>\.<\/p>/, 'the full stop follows the link');
    assert.match(stored.bodyHtml, /<p>Third paragraph\.<\/p>$/, 'no empty paragraph at the end');
    await page.close();
  });

  test('two tabs: A changes the dek and saves, B the headline; "Save merged version" keeps both', async () => {
    const tabA = await context.newPage();
    const tabB = await context.newPage();
    for (const tab of [tabA, tabB]) {
      await tab.goto(`${origin}/admin/articles/${articleId}`);
      await tab.getByLabel('Headline', { exact: true }).waitFor();
      assert.equal(await tab.getByLabel('Headline', { exact: true }).inputValue(), 'Harbour bridge reopens');
    }
    await tabA.getByLabel('Dek (standfirst)').fill('Dek from tab A.');
    await tabA.getByRole('button', { name: 'Save', exact: true }).click();
    await saveState(tabA, 'saved');
    assert.equal((await t.services.newsroom.workflow.get(articleId)).dek, 'Dek from tab A.');

    await tabB.getByLabel('Headline', { exact: true }).fill('Headline from tab B');
    await tabB.getByRole('button', { name: 'Save', exact: true }).click();
    await saveState(tabB, 'conflict');
    const merge = tabB.locator('section.conflict');
    assert.match(await merge.locator('[data-merge="theirs"]').innerText(), /Dek/);
    assert.match(await merge.locator('[data-merge="mine"]').innerText(), /Headline/);
    await tabB.screenshot({ path: join(tmpdir(), 'dateline-merge-two-tabs.png'), fullPage: true }).catch(() => undefined);
    await merge.getByRole('button', { name: 'Save merged version' }).click();
    await saveState(tabB, 'saved');

    const stored = await t.services.newsroom.workflow.get(articleId);
    assert.equal(stored.dek, 'Dek from tab A.', "tab A's dek is not reverted");
    assert.equal(stored.headline, 'Headline from tab B');
    assert.equal(await tabB.getByLabel('Dek (standfirst)').inputValue(), 'Dek from tab A.');
    await tabA.close();

    // Both edits go live.
    await tabB.getByRole('button', { name: 'Publish…', exact: true }).click();
    await tabB.locator('.publish-checklist [data-check="NO_TAGS"]').waitFor();
    assert.equal(await tabB.locator('.publish-checklist .checklist-blocking').count(), 0);
    await tabB.screenshot({ path: join(tmpdir(), 'dateline-publish-checklist.png'), fullPage: true }).catch(() => undefined);
    await tabB.getByRole('button', { name: 'Yes, publish now' }).click();
    await tabB.getByText('Published: the article is live.').waitFor();
    assert.equal((await tabB.locator('.editor-side .status').innerText()).trim(), 'Published');
    const live = await t.services.newsroom.workflow.get(articleId);
    const html = await (await fetch(`${origin}/news/${live.id}/${live.slug}`)).text();
    assert.match(html, /Headline from tab B/);
    assert.match(html, /Dek from tab A\./);
    await tabB.close();
  });

  test('the same paragraph changed in both tabs is a conflict to resolve, never dropped', async () => {
    const current = await t.services.newsroom.workflow.get(articleId);
    const page = await context.newPage();
    await page.goto(`${origin}/admin/articles/${articleId}`);
    await page.getByLabel('Headline', { exact: true }).waitFor();
    // Someone else rewrites the second paragraph meanwhile.
    await t.services.newsroom.workflow.save(actor(desk), articleId, current.revision, { bodyHtml: current.bodyHtml.replace('Second paragraph.', 'Second paragraph, desk version.') });
    const body = page.getByRole('textbox', { name: 'Body', exact: true });
    await body.getByText('Second paragraph.').click();
    await page.keyboard.press('End');
    await page.keyboard.type(' Reporter addition.');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await saveState(page, 'conflict');
    const block = page.locator('.merge-block[data-conflict="0"]');
    assert.match(await block.innerText(), /desk version/);
    assert.match(await block.innerText(), /Reporter addition/);
    const save = page.getByRole('button', { name: 'Save merged version' });
    assert.equal(await save.isDisabled(), true, 'a choice is needed first');
    await block.getByLabel('Keep both (theirs first)').check();
    await save.click();
    await saveState(page, 'saved');
    const stored = await t.services.newsroom.workflow.get(articleId);
    assert.match(stored.bodyHtml, /Second paragraph, desk version\.<\/p><p>Second paragraph\. Reporter addition\.<\/p>/);
    await page.close();
  });

  test('history compares older to newer: text added later shows as inserted; restore works', async () => {
    const page = await context.newPage();
    await page.goto(`${origin}/admin/articles/${articleId}/history`);
    const diff = page.locator('.diff');
    await diff.waitFor();
    const from = Number(await diff.getAttribute('data-from'));
    const to = Number(await diff.getAttribute('data-to'));
    assert.ok(from < to, `compares ${from} → ${to}`);
    assert.match(await diff.locator('h2').innerText(), new RegExp(`Revision ${from} → ${to}`));
    assert.match(await diff.locator('[data-field="bodyHtml"] ins').allInnerTexts().then((x) => x.join(' ')), /Reporter/);
    await page.screenshot({ path: join(tmpdir(), 'dateline-history.png'), fullPage: true }).catch(() => undefined);

    // Pick revision 1 and restore it.
    await page.getByLabel('Compare revision 1', { exact: true }).check();
    await page.getByRole('button', { name: 'Restore revision 1' }).click();
    await page.waitForURL(new RegExp(`/admin/articles/${articleId}$`));
    await page.getByLabel('Headline', { exact: true }).waitFor();
    assert.equal((await t.services.newsroom.workflow.get(articleId)).headline, 'Harbour bridge reopens');
    await page.close();
  });
});
