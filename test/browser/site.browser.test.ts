import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { SKIP, serveToBrowser } from '../helpers/browser.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

describe('public site in a real browser', { skip: SKIP }, () => {
  let t: TestApp;
  let browser: Browser;
  let origin: string;
  before(async () => {
    t = await createTestApp('sqlite', { timeZone: 'UTC' });
    t.clock.set(Date.now());
    await t.services.demo.load();
    ({ origin, browser } = await serveToBrowser(t.app));
  });
  after(async () => {
    await browser?.close();
    await t?.cleanup();
  });

  test('home → article: headline, dateline and related box are visible', async () => {
    const page = await browser.newPage({ javaScriptEnabled: false });
    const home = await page.goto(`${origin}/`);
    assert.equal(home?.status(), 200);
    const leadLink = page.locator('.lead-story .card-headline a');
    const headline = (await leadLink.innerText()).trim();
    assert.ok(headline.length > 10);
    await leadLink.click();
    await page.waitForURL(/\/news\/\d+\//);
    const h1 = page.locator('article.story h1');
    assert.equal((await h1.innerText()).trim(), headline);
    assert.ok(await h1.isVisible());
    const dateline = page.locator('article.story time.dateline');
    assert.ok(await dateline.isVisible());
    assert.match(await dateline.innerText(), /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{1,2}, \d{4} \d\d:\d\d:\d\d$/);
    assert.match((await dateline.getAttribute('datetime')) ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    const related = page.locator('aside.related li');
    assert.ok(await page.locator('aside.related h2').isVisible());
    assert.ok((await related.count()) >= 3, 'at least three related stories');
    assert.ok(await related.first().locator('img').isVisible(), 'related items show thumbnails');
    const lead = page.locator('.lead-media img, .lead-media video');
    assert.ok(await lead.first().isVisible(), 'lead photo or video');
    // The lead picture really loads from the media store.
    const naturalWidth = await page.locator('.lead-media img, .lead-media video').first().evaluate((el) =>
      el instanceof HTMLImageElement ? el.naturalWidth : (el as HTMLVideoElement).poster ? 1 : 0,
    );
    assert.ok(naturalWidth > 0);
    await page.close();
  });

  test('the masthead search box finds a story, its words highlighted', async () => {
    const page = await browser.newPage({ javaScriptEnabled: false });
    await page.goto(`${origin}/`);
    const headline = (await page.locator('.lead-story .card-headline a').innerText()).trim();
    const word = headline.split(/\s+/).filter((w) => /^\p{L}{5,}$/u.test(w))[0]!;
    const box = page.locator('header.masthead form[role="search"] input[name="q"]');
    assert.ok(await box.isVisible(), 'a search box in the masthead');
    await box.fill(word);
    await box.press('Enter');
    await page.waitForURL(/\/search\?q=/);
    const results = page.locator('ol.search-results li');
    assert.ok((await results.count()) >= 1);
    const headlines = await page.locator('ol.search-results .search-headline').allInnerTexts();
    assert.ok(headlines.some((h) => h.trim() === headline), `"${headline}" is among the results for "${word}"`);
    assert.ok(await page.locator('ol.search-results mark').first().isVisible(), 'matches are highlighted');
    await page.close();
  });

  test('an Arabic article is laid out right to left', async () => {
    const page = await browser.newPage({ javaScriptEnabled: false });
    const res = await page.goto(`${origin}/api/v1/articles?lang=ar&limit=1`);
    const url = (JSON.parse((await res?.text()) ?? '{}') as { items: { url: string }[] }).items[0]!.url;
    await page.goto(url.replace('http://news.test', origin));
    assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
    const direction = await page.locator('article.story h1').evaluate((el) => getComputedStyle(el).direction);
    assert.equal(direction, 'rtl');
    await page.close();
  });
});
