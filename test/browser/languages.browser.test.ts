import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { SKIP, serveToBrowser } from '../helpers/browser.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeArticle, makeSection } from '../helpers/factories.js';

describe('site languages in a real browser', { skip: SKIP }, () => {
  let t: TestApp;
  let browser: Browser;
  let origin: string;
  let arabic: number;
  let english: number;
  before(async () => {
    t = await createTestApp('sqlite', { timeZone: 'UTC' });
    ({ origin, browser } = await serveToBrowser(t.app));
    const world = await makeSection(t, 'world', 'World');
    arabic = await makeArticle(t, world, { language: 'ar', headline: 'الجيش يدخل مدينة القصير', bodyHtml: '<p>دخل الجيش المدينة.</p>', publishedAt: t.clock.now - 60_000 });
    english = await makeArticle(t, world, { headline: 'Army enters the town of Qusayr', bodyHtml: '<p>The army entered the town.</p>', publishedAt: t.clock.now - 30_000 });
    await t.services.repos.translations.setGroup(arabic, String(arabic));
    await t.services.repos.translations.markTranslation(english, String(arabic), arabic);
    await makeArticle(t, world, { language: 'fa', headline: 'ارتش وارد شهر قصیر شد', bodyHtml: '<p>ارتش وارد شهر شد.</p>' });
  });
  after(async () => {
    await browser?.close();
    await t?.cleanup();
  });

  /** Links point at BASE_URL (news.test in tests): follow them on this server. */
  const local = (href: string) => href.replace('http://news.test', origin);

  test('/ar/ and /fa/ are right to left, with hreflang and a working switcher', async () => {
    const page = await browser.newPage({ javaScriptEnabled: false });
    for (const [language, headline] of [['ar', 'الجيش يدخل مدينة القصير'], ['fa', 'ارتش وارد شهر قصیر شد']] as const) {
      const res = await page.goto(`${origin}/${language}/`);
      assert.equal(res?.status(), 200);
      assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
      assert.equal(await page.evaluate(() => getComputedStyle(document.body).direction), 'rtl');
      const hreflangs = await page.locator('head link[rel="alternate"][hreflang]').evaluateAll((ls) => ls.map((l) => l.getAttribute('hreflang')));
      assert.deepEqual(hreflangs, ['en', 'ar', 'fa', 'x-default']);
      assert.equal((await page.locator('.lead-story .card-headline a, article.card-lead .card-headline a').first().innerText()).trim(), headline);
      // The switcher: the current language is marked, the others are links to their homes.
      assert.equal((await page.locator('.language-switcher [aria-current="true"]').getAttribute('lang')), language);
    }
    const toEnglish = page.locator('.language-switcher a[hreflang="en"]');
    await page.goto(local((await toEnglish.getAttribute('href'))!));
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    assert.equal(await page.evaluate(() => document.documentElement.dir), 'ltr');
    await page.close();
  });

  test('an article with a translation links to the other version, and the switcher follows it', async () => {
    const page = await browser.newPage({ javaScriptEnabled: false });
    const a = await t.services.repos.articles.findById(arabic);
    await page.goto(`${origin}/news/${arabic}/${encodeURIComponent(a!.slug)}`);
    assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
    const other = page.locator('nav.translations a[hreflang="en"]');
    assert.ok(await other.isVisible());
    assert.equal(await other.innerText(), 'English');
    assert.equal(await page.locator('.language-switcher a[hreflang="en"]').getAttribute('data-translation'), 'yes');
    await page.goto(local((await other.getAttribute('href'))!));
    assert.equal((await page.locator('article.story h1').innerText()).trim(), 'Army enters the town of Qusayr');
    assert.equal(await page.evaluate(() => document.documentElement.dir), 'ltr');
    const back = page.locator('nav.translations a[hreflang="ar"]');
    assert.equal(await back.innerText(), 'العربية');
    assert.equal(await page.locator('head link[hreflang="x-default"]').getAttribute('href'), `http://news.test/news/${english}/army-enters-the-town-of-qusayr`);
    await page.close();
  });
});
