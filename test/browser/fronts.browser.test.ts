import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { buildAdminIfStale, SKIP, openAppPage, serveToBrowser } from '../helpers/browser.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeArticle, makeSection } from '../helpers/factories.js';
import { tempFile, twoToneJpeg } from '../helpers/media-files.js';
import { makeUser, type TestUser } from '../helpers/newsroom.js';

const SHOTS = process.env.SCREENSHOT_DIR;

/** The rendition width in a picture URL (`…_1024w_4x3.avif`). */
const widthOf = (url: string) => Number(/_(\d+)w(?:v\d+)?_/.exec(url)?.[1] ?? NaN);

describe('fronts and lead pictures in a real browser', { skip: SKIP }, () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let origin: string;
  let editor: TestUser;
  const ids: Record<string, number> = {};

  before(async () => {
    buildAdminIfStale();
    t = await createTestApp('sqlite', { timeZone: 'UTC' });
    t.clock.set(Date.now());
    const world = await makeSection(t, 'world', 'World');
    ids.worldSection = world;
    const sport = await makeSection(t, 'sport', 'Sport');
    // A large photo: renditions up to 1600 wide, enough for a phone at DPR 3.
    const photo = await t.services.media.ingest({ path: tempFile('big.jpg', await twoToneJpeg(2400, 1800)), filename: 'big.jpg', alt: 'Harbour at dawn' });
    await t.runJobs();
    ids.pictured = await makeArticle(t, world, { headline: 'Harbour pictured story', leadMediaId: photo.id, publishedAt: t.clock.now - 3_600_000 });
    for (const name of ['Alpha', 'Bravo', 'Charlie', 'Delta']) {
      ids[name] = await makeArticle(t, world, { headline: `Harbour wire ${name}`, publishedAt: t.clock.now - 60_000 * Object.keys(ids).length });
    }
    for (const name of ['One', 'Two']) ids[`quay${name}`] = await makeArticle(t, world, { headline: `Quay story ${name}`, publishedAt: t.clock.now - 7_200_000 });
    for (const [i, name] of ['High', 'Low', 'Spring', 'Neap'].entries()) {
      ids[`tide${name}`] = await makeArticle(t, sport, { headline: `Tide table ${name}`, publishedAt: t.clock.now - 9_000_000 - i * 60_000, tags: [{ kind: 'topic', name: 'Tides' }] });
    }
    // Older world stories, left for the World block once the lead, top and other blocks took theirs.
    for (let i = 1; i <= 6; i++) ids[`dock${i}`] = await makeArticle(t, world, { headline: `Dock notes ${i}`, publishedAt: t.clock.now - 14_400_000 - i * 60_000 });
    editor = await makeUser(t, 'editor');
    ({ origin, browser } = await serveToBrowser(t.app));
    page = await openAppPage(browser);
  });
  after(async () => {
    await browser?.close();
    await t?.cleanup();
  });

  type ApiFront = { lead: { id: number } | null; top: { id: number }[]; topPlaced: number; blocks: { title: string; articles: { id: number }[] }[] };
  const publicFront = async (name: string) => (await (await fetch(`${origin}/api/v1/fronts/${name}`)).json()) as ApiFront;
  /** Block headings a reader sees (JavaScript off), in page order. */
  const readerBlocks = async (path: string) => {
    const reader = await browser.newPage({ javaScriptEnabled: false });
    await reader.goto(`${origin}${path}`);
    const headings = (await reader.locator('section.front-block h2').allInnerTexts()).map((s) => s.trim());
    const lead = (await reader.locator('.lead-story .card-headline').innerText()).trim();
    await reader.close();
    return { headings, lead };
  };

  test('an editor arranges the home page with keyboard and pointer, and readers see it on the next request', async () => {
    await page.goto(`${origin}/admin/login`);
    await page.getByLabel('Email').fill(editor.email);
    await page.getByLabel('Password').fill(editor.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Fronts' }).click();
    await page.getByRole('heading', { name: 'Front pages' }).waitFor();
    assert.match(await page.getByTestId('front-lead').innerText(), /Automatic/);

    await page.getByLabel('Find published stories').fill('Harbour');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('button', { name: 'Make Harbour wire Bravo the lead' }).click();
    await page.getByRole('button', { name: 'Add Harbour wire Alpha to top stories' }).click();
    await page.getByRole('button', { name: 'Add Harbour wire Charlie to top stories' }).click();
    await page.getByRole('button', { name: 'Add Harbour wire Delta to top stories' }).click();
    const rows = page.locator('ol.front-top > li');
    const order = async () => (await rows.allInnerTexts()).map((s) => /Harbour wire (\w+)/.exec(s)?.[1]);
    assert.deepEqual(await order(), ['Alpha', 'Charlie', 'Delta']);

    // Keyboard: Alt+Up on the focused row moves Delta above Charlie, focus stays on it.
    await page.locator(`#front-row-${ids.Delta}`).focus();
    await page.keyboard.press('Alt+ArrowUp');
    assert.deepEqual(await order(), ['Alpha', 'Delta', 'Charlie']);
    // Buttons: Alpha down one.
    await page.getByRole('button', { name: 'Move Harbour wire Alpha down' }).click();
    assert.deepEqual(await order(), ['Delta', 'Alpha', 'Charlie']);
    // Pointer: drag Charlie onto the first row.
    await page.locator(`#front-row-${ids.Charlie}`).dragTo(page.locator(`#front-row-${ids.Delta}`));
    assert.deepEqual(await order(), ['Charlie', 'Delta', 'Alpha']);
    // Alpha shows only until tomorrow.
    await page.getByLabel('Harbour wire Alpha: show until').fill('2099-01-01T10:00');

    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'fronts-admin.png'), fullPage: true });
    await page.getByRole('button', { name: 'Save front' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved. Readers see it now.' }).waitFor();

    const home = await publicFront('home');
    assert.equal(home.lead?.id, ids.Bravo);
    assert.deepEqual(home.top.slice(0, 3).map((a) => a.id), [ids.Charlie, ids.Delta, ids.Alpha]);
    assert.equal(home.topPlaced, 3);
    const reader = await browser.newPage({ javaScriptEnabled: false });
    await reader.goto(`${origin}/`);
    assert.equal((await reader.locator('.lead-story .card-headline').innerText()).trim(), 'Harbour wire Bravo');
    await reader.close();
  });

  test('an editor arranges the home blocks (add, rename, reorder by keyboard and pointer, remove) and readers see them on the next request', async () => {
    await page.goto(`${origin}/admin/fronts/home`);
    await page.getByRole('heading', { name: 'Front pages' }).waitFor();
    await page.getByTestId('front-blocks-mode').filter({ hasText: 'Automatic' }).waitFor();
    const blockRows = page.locator('ol.front-blocks > li');
    const blockOrder = async () => (await blockRows.evaluateAll((lis) => lis.map((li) => li.getAttribute('aria-label')?.replace(/^\d+\. block /, ''))));
    assert.deepEqual(await blockOrder(), ['World', 'Sport'], 'the automatic blocks: a block per section');

    // A hand-picked block with two stories, the second moved up with the keyboard.
    await page.getByLabel('Kind of new block').selectOption('curated');
    await page.getByLabel('Title of new block').fill('Harbour picks');
    await page.getByRole('button', { name: 'Add block' }).click();
    await page.getByTestId('front-blocks-mode').filter({ hasText: 'Arranged by hand' }).waitFor();
    await page.getByLabel('Find published stories').fill('Quay');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('button', { name: 'Add Quay story One to Harbour picks' }).click();
    await page.getByRole('button', { name: 'Add Quay story Two to Harbour picks' }).click();
    const picks = blockRows.nth(2).locator('ol.front-list > li');
    await picks.nth(1).focus();
    await page.keyboard.press('Alt+ArrowUp');
    assert.deepEqual((await picks.allInnerTexts()).map((s) => /Quay story (\w+)/.exec(s)?.[1]), ['Two', 'One']);
    await page.getByLabel('Quay story One: show until').fill('2099-01-01T10:00');

    // A topic block.
    await page.getByLabel('Kind of new block').selectOption('tag');
    await page.getByLabel('Find a topic').fill('Tides');
    await page.getByRole('button', { name: 'Find topics' }).click();
    await page.getByLabel('Topic of new block').waitFor();
    await page.getByRole('button', { name: 'Add block' }).click();
    assert.deepEqual(await blockOrder(), ['World', 'Sport', 'Harbour picks', 'Tides']);

    // Remove Sport, rename World, reorder: Tides to the top with the keyboard, Harbour picks dragged above it.
    await page.getByRole('button', { name: 'Remove block Sport' }).click();
    await page.getByLabel('Title of block 1').fill('Around the world');
    await blockRows.nth(2).focus();
    await page.keyboard.press('Alt+ArrowUp');
    assert.deepEqual(await blockOrder(), ['Around the world', 'Tides', 'Harbour picks']);
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === '2. block Tides');
    await page.keyboard.press('Alt+ArrowUp');
    assert.deepEqual(await blockOrder(), ['Tides', 'Around the world', 'Harbour picks']);
    await blockRows.nth(2).locator('.drag-handle').first().dragTo(blockRows.nth(0).locator('.drag-handle').first());
    assert.deepEqual(await blockOrder(), ['Harbour picks', 'Tides', 'Around the world']);
    await page.getByRole('button', { name: 'Move block Tides down' }).click();
    assert.deepEqual(await blockOrder(), ['Harbour picks', 'Around the world', 'Tides']);

    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'fronts-admin-blocks.png'), fullPage: true });
    await page.getByRole('button', { name: 'Save front' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved. Readers see it now.' }).waitFor();

    const home = await publicFront('home');
    assert.deepEqual(home.blocks.map((b) => b.title), ['Harbour picks', 'Around the world', 'Tides']);
    assert.deepEqual(home.blocks[0]!.articles.map((a) => a.id), [ids.quayTwo, ids.quayOne]);
    const seen = await readerBlocks('/');
    assert.deepEqual(seen.headings, ['Harbour picks', 'Around the world', 'Tides']);
    assert.equal(seen.lead, 'Harbour wire Bravo');
    if (SHOTS) {
      const reader = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await reader.goto(`${origin}/`);
      await reader.screenshot({ path: join(SHOTS, 'home-blocks.png'), fullPage: true });
      await reader.close();
    }
  });

  test('the history says what each save changed, and restoring a revision shows it to readers', async () => {
    await page.getByRole('button', { name: /^History/ }).click();
    const latest = page.getByTestId('front-revision-2');
    await latest.waitFor();
    const words = await latest.innerText();
    assert.match(words, /Added the hand-picked block "Harbour picks"\./);
    assert.match(words, /Removed the Sport section block\./);
    assert.match(words, /Added the topic Tides block\./);
    assert.match(await page.getByTestId('front-revision-1').innerText(), /Made "Harbour wire Bravo" the lead\./);
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'fronts-admin-history.png'), fullPage: true });
    await page.getByRole('button', { name: 'Restore revision 1' }).click();
    await page.getByRole('status').filter({ hasText: 'Restored revision 1 as revision 3.' }).waitFor();
    await page.getByTestId('front-blocks-mode').filter({ hasText: 'Automatic' }).waitFor();
    const seen = await readerBlocks('/');
    assert.deepEqual(seen.headings, ['World', 'Sport'], 'automatic blocks again');
    assert.equal(seen.lead, 'Harbour wire Bravo');
    await page.getByTestId('front-revision-3').filter({ hasText: 'Went back to automatic blocks.' }).waitFor();
  });

  test('an editor arranges a section front', async () => {
    await page.getByLabel('Front').selectOption('world');
    await page.getByTestId('front-lead').filter({ hasText: 'Automatic' }).waitFor();
    await page.getByLabel('Find published stories').fill('Harbour pictured');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('button', { name: 'Make Harbour pictured story the lead' }).click();
    await page.getByLabel('Kind of new block').selectOption('tag');
    await page.getByLabel('Find a topic').fill('Tides');
    await page.getByRole('button', { name: 'Find topics' }).click();
    await page.getByLabel('Topic of new block').waitFor();
    await page.getByLabel('Title of new block').fill('Tide watch');
    await page.getByRole('button', { name: 'Add block' }).click();
    await page.getByRole('button', { name: 'Save front' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved. Readers see it now.' }).waitFor();
    assert.equal((await publicFront('world')).lead?.id, ids.pictured);
    const seen = await readerBlocks('/section/world');
    assert.equal(seen.lead, 'Harbour pictured story');
    assert.deepEqual(seen.headings, ['Tide watch']);
  });

  test('a burst of 20 picture-less wire items displaces neither lead', async () => {
    for (let i = 1; i <= 20; i++) await makeArticle(t, ids.worldSection!, { headline: `Wire burst ${i}`, bodyHtml: '<p>Flash.</p>', publishedAt: Date.now() - 1000 * (21 - i) });
    assert.equal((await readerBlocks('/section/world')).lead, 'Harbour pictured story');
    assert.equal((await readerBlocks('/')).lead, 'Harbour wire Bravo');
    const home = await publicFront('home');
    assert.equal(home.lead?.id, ids.Bravo);
    assert.ok(home.top.slice(0, 3).every((a) => [ids.Charlie, ids.Delta, ids.Alpha].includes(a.id)), 'the placed top stories keep their places');
  });

  for (const device of [
    { name: 'desktop', viewport: { width: 1366, height: 900 }, deviceScaleFactor: 1 },
    { name: 'phone', viewport: { width: 390, height: 844 }, deviceScaleFactor: 3 },
  ]) {
    test(`lead pictures are sharp and load first on ${device.name} (${device.viewport.width}px, DPR ${device.deviceScaleFactor})`, async () => {
      const context = await browser.newContext({ viewport: device.viewport, deviceScaleFactor: device.deviceScaleFactor, javaScriptEnabled: true });
      const reader = await context.newPage();
      for (const path of ['/section/world', `/news/${ids.pictured}/x`]) {
        await reader.goto(`${origin}${path}`);
        const img = reader.locator('.lead-story img, .lead-media img').first();
        await img.waitFor();
        await reader.waitForFunction((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).currentSrc !== '', await img.elementHandle());
        const info = await img.evaluate((el: HTMLImageElement) => ({
          currentSrc: el.currentSrc,
          width: el.getBoundingClientRect().width,
          loading: el.getAttribute('loading'),
          priority: el.getAttribute('fetchpriority'),
          firstImg: document.querySelector('main img') === el,
        }));
        const need = info.width * device.deviceScaleFactor;
        assert.ok(widthOf(info.currentSrc) >= need, `${path}: ${info.currentSrc} (${widthOf(info.currentSrc)}w) is narrower than ${info.width}px × ${device.deviceScaleFactor}`);
        assert.notEqual(info.loading, 'lazy', `${path}: the lead picture is not lazy`);
        assert.equal(info.priority, 'high', `${path}: fetchpriority=high on the lead`);
        assert.ok(info.firstImg, `${path}: the lead is the first picture of the page`);
        if (SHOTS) await reader.screenshot({ path: join(SHOTS, `lead-${device.name}-${path.split('/')[1]}.png`) });
      }
      await context.close();
    });
  }
});
