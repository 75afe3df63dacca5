import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { buildAdminIfStale, SKIP, serveToBrowser } from '../helpers/browser.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeArticle, makeSection } from '../helpers/factories.js';
import { actor, makeUser, type TestUser } from '../helpers/newsroom.js';

const SHOTS = process.env.SCREENSHOT_DIR;

/** An Arabic site: the home page's blocks and the Fronts screen read right to left and fit the screen. */
describe('front blocks right to left in a real browser', { skip: SKIP }, () => {
  let t: TestApp;
  let browser: Browser;
  let origin: string;
  let editor: TestUser;

  before(async () => {
    buildAdminIfStale();
    t = await createTestApp('sqlite', { languages: ['ar', 'en', 'fa'], timeZone: 'Asia/Riyadh' });
    t.clock.set(Date.now());
    const world = await makeSection(t, 'world', 'World');
    const ids: number[] = [];
    const headlines = ['محادثات السلام تبدأ في جنيف', 'الأمطار تغمر شوارع المدينة', 'افتتاح معرض الكتاب السنوي', 'ارتفاع أسعار النفط', 'فوز المنتخب في المباراة النهائية', 'إطلاق قمر صناعي جديد', 'انتخابات بلدية في الشمال', 'مهرجان الموسيقى يعود', 'تقرير عن المناخ', 'افتتاح جسر جديد فوق النهر'];
    for (const [i, headline] of headlines.entries()) {
      ids.push(await makeArticle(t, world, { language: 'ar', headline, dek: 'ملخص قصير للخبر', byline: 'مراسلنا', place: 'جنيف', publishedAt: t.clock.now - (i + 1) * 600_000 }));
    }
    editor = await makeUser(t, 'editor');
    await t.services.fronts.save(actor(editor), 'home', {
      revision: 0,
      lead: { articleId: ids[0]!, expiresAt: null },
      top: [],
      blocks: [
        { kind: 'curated', title: 'اختيارات المحرر', items: [{ articleId: ids[9]!, expiresAt: null }, { articleId: ids[8]!, expiresAt: null }] },
        { kind: 'section', sectionId: world, title: null, count: 3 },
      ],
    });
    ({ origin, browser } = await serveToBrowser(t.app));
  });
  after(async () => {
    await browser?.close();
    await t?.cleanup();
  });

  for (const device of [
    { name: 'desktop', viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 },
    { name: 'phone', viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 },
  ]) {
    test(`the Arabic home page shows the arranged blocks right to left on ${device.name}`, async () => {
      const context = await browser.newContext({ viewport: device.viewport, deviceScaleFactor: device.deviceScaleFactor });
      const reader = await context.newPage();
      await reader.goto(`${origin}/`);
      assert.equal(await reader.locator('html').getAttribute('dir'), 'rtl');
      const headings = (await reader.locator('section.front-block h2').allInnerTexts()).map((s) => s.trim());
      assert.deepEqual(headings, ['اختيارات المحرر', 'العالم'], 'the hand-picked title, then the section in Arabic');
      const layout = await reader.evaluate(() => {
        const h2 = document.querySelector('section.front-block h2')!.getBoundingClientRect();
        const main = document.querySelector('main')!.getBoundingClientRect();
        return { overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth, headingRight: h2.right, mainRight: main.right };
      });
      assert.ok(layout.overflow <= 0, `no sideways scrolling (${layout.overflow}px too wide)`);
      assert.ok(layout.mainRight - layout.headingRight < 40, 'block headings start at the right edge');
      if (SHOTS) await reader.screenshot({ path: join(SHOTS, `home-blocks-ar-${device.name}.png`), fullPage: true });
      await context.close();
    });
  }

  test('the Fronts screen shows Arabic headlines and titles right to left', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${origin}/admin/login`);
    await page.getByLabel('Email').fill(editor.email);
    await page.getByLabel('Password').fill(editor.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Fronts' }).click();
    await page.getByTestId('front-blocks-mode').filter({ hasText: 'Arranged by hand' }).waitFor();
    const title = page.getByLabel('Title of block 1');
    assert.equal(await title.inputValue(), 'اختيارات المحرر');
    const story = page.locator('ol.front-blocks li li span.grow').first();
    assert.equal(await story.innerText(), 'افتتاح جسر جديد فوق النهر');
    assert.equal(await story.evaluate((el) => getComputedStyle(el).direction), 'rtl', 'an Arabic headline reads right to left');
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'fronts-admin-ar.png'), fullPage: true });
    await page.close();
  });
});
