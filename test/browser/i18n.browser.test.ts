import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { articlePath } from '../../src/domain/article.js';
import { buildAdminIfStale, openAppPage, SKIP, serveToBrowser } from '../helpers/browser.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeArticle, makeSection } from '../helpers/factories.js';
import { makeUser, type TestUser } from '../helpers/newsroom.js';

const SHOTS = process.env.SCREENSHOT_DIR;

const ARABIC_BODY =
  '<p>بدأت المحادثات صباح اليوم في جنيف بحضور الوفود.</p>' +
  '<ul><li>الوفد الأول وصل أمس</li><li>الوفد الثاني يصل غدًا</li></ul>' +
  '<ol><li>الجلسة الافتتاحية</li><li>جلسة العمل</li></ol>' +
  '<blockquote><p>«نأمل أن تنجح المحادثات»، قال المتحدث.</p></blockquote>' +
  '<table><caption>جدول الجلسات</caption><thead><tr><th>اليوم</th><th>الجلسة</th></tr></thead><tbody><tr><td>الإثنين</td><td>الافتتاح</td></tr></tbody></table>';

/** Requests a page makes, split into this site's and anyone else's. */
function recordRequests(page: Page, origin: string): { own: string[]; offSite: string[] } {
  const seen = { own: [] as string[], offSite: [] as string[] };
  page.on('request', (r) => (r.url().startsWith(`${origin}/`) || r.url().startsWith('data:') ? seen.own : seen.offSite).push(r.url()));
  return seen;
}

describe('languages in a real browser: fonts, right to left, the newsroom in Arabic', { skip: SKIP }, () => {
  let t: TestApp;
  let browser: Browser;
  let origin: string;
  let editor: TestUser;
  let arabicPath: string;
  let englishPath: string;
  let arabicId: number;
  let emptyDraftId: number;

  /** Signs the editor in on the sign-in screen, already in Arabic. */
  const signInInArabic = async (page: Page) => {
    await page.getByLabel('البريد الإلكتروني').fill(editor.email);
    await page.getByLabel('كلمة المرور').fill(editor.password);
    await page.getByRole('button', { name: 'تسجيل الدخول' }).click();
    await page.locator('.topbar').waitFor();
  };

  before(async () => {
    buildAdminIfStale();
    t = await createTestApp('sqlite', { languages: ['en', 'ar', 'fa'], timeZone: 'UTC' });
    t.clock.set(Date.now());
    const world = await makeSection(t, 'world', 'World');
    arabicId = await makeArticle(t, world, { language: 'ar', headline: 'محادثات السلام تبدأ في جنيف', dek: 'الوفود تصل إلى المدينة', bodyHtml: ARABIC_BODY, byline: 'مراسلنا', place: 'جنيف' });
    const englishId = await makeArticle(t, world, { headline: 'Peace talks open in Geneva', bodyHtml: '<p>Talks began this morning.</p>' });
    arabicPath = articlePath((await t.services.repos.articles.findById(arabicId))!);
    englishPath = articlePath((await t.services.repos.articles.findById(englishId))!);
    emptyDraftId = await makeArticle(t, world, { language: 'ar', status: 'draft', headline: 'خبر بلا متن', bodyHtml: '' });
    editor = await makeUser(t, 'editor');
    ({ origin, browser } = await serveToBrowser(t.app));
  });
  after(async () => {
    await browser?.close();
    await t?.cleanup();
  });

  test('an Arabic article is set in the self-hosted Vazirmatn and asks nothing of another site', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const requests = recordRequests(page, origin);
    await page.goto(`${origin}${arabicPath}`, { waitUntil: 'networkidle' });
    const fonts = await page.evaluate(async () => {
      await document.fonts.ready;
      const faces = [...document.fonts].map((f) => ({ family: f.family.replace(/"/g, ''), status: f.status, range: f.unicodeRange }));
      return { faces, arabic: document.fonts.check('16px Vazirmatn', 'محادثات'), h1: getComputedStyle(document.querySelector('h1')!).fontFamily };
    });
    assert.ok(fonts.faces.some((f) => f.family === 'Vazirmatn' && f.status === 'loaded' && f.range.includes('U+600-6FF')), JSON.stringify(fonts.faces));
    assert.ok(fonts.arabic, 'Vazirmatn is ready for Arabic text');
    assert.match(fonts.h1, /^"?Vazirmatn"?,/);
    assert.ok(requests.own.some((u) => /\/assets\/fonts\/vazirmatn-arabic\.[0-9a-f]+\.woff2$/.test(u)), requests.own.join('\n'));
    assert.deepEqual(requests.offSite, [], 'no request leaves the site');

    // Lists, quotes and tables sit on the right.
    // (No helper functions inside evaluate: the test transpiler would wrap them in a name helper the page lacks.)
    const right = (sel: string) => page.locator(sel).first().evaluate((el) => el.getBoundingClientRect().right);
    const css = (sel: string, property: string) => page.locator(sel).first().evaluate((el, p) => getComputedStyle(el).getPropertyValue(p), property);
    const layout = {
      bodyRight: await right('.body'),
      liRight: await right('.body ul li'),
      quoteBorderRight: await css('.body blockquote', 'border-right-width'),
      quoteBorderLeft: await css('.body blockquote', 'border-left-width'),
      thAlign: await css('.body th', 'text-align'),
      tableRight: await right('.body table'),
      olMarker: await css('.body ol', 'list-style-type'),
    };
    assert.ok(layout.bodyRight - layout.liRight > 10 && layout.bodyRight - layout.liRight < 60, `list items indented from the right (${layout.bodyRight - layout.liRight}px)`);
    assert.equal(layout.quoteBorderRight, '3px', 'the quote rule is on the right');
    assert.equal(layout.quoteBorderLeft, '0px');
    assert.equal(layout.thAlign, 'start');
    assert.ok(Math.abs(layout.tableRight - layout.bodyRight) < 2, 'the table starts at the right edge');
    assert.equal(layout.olMarker, 'arabic-indic');
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'article-ar-desktop.png'), fullPage: true });
    await page.close();
  });

  test('an English article never downloads the Arabic face', async () => {
    const page = await browser.newPage();
    const requests = recordRequests(page, origin);
    await page.goto(`${origin}${englishPath}`, { waitUntil: 'networkidle' });
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    assert.ok(requests.own.some((u) => /vazirmatn-latin\.[0-9a-f]+\.woff2$/.test(u)), 'the Latin face is used');
    assert.deepEqual(requests.own.filter((u) => u.includes('vazirmatn-arabic')), []);
    assert.deepEqual(requests.offSite, []);
    await page.close();
  });

  test('the newsroom in Arabic is right to left with Arabic strings, and switches back', async () => {
    const page = await openAppPage(browser);
    const requests = recordRequests(page, origin);
    await page.goto(`${origin}/admin/login`);
    await page.getByLabel('Interface language').selectOption('ar');
    await page.getByRole('heading', { name: 'تسجيل الدخول إلى غرفة الأخبار' }).waitFor();
    assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
    assert.equal(await page.locator('html').getAttribute('lang'), 'ar');
    await signInInArabic(page);

    // The choice is remembered: a new load starts in Arabic.
    await page.goto(`${origin}/admin/articles/${arabicId}`);
    await page.getByRole('link', { name: 'المقالات', exact: true }).waitFor();
    assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
    const nav = await page.locator('.topbar nav li').evaluateAll((items) => items.map((li) => li.getBoundingClientRect().left));
    assert.ok(nav.length > 3 && nav.every((x, i) => i === 0 || x < nav[i - 1]!), `the navigation runs right to left: ${nav.join(', ')}`);
    const brand = await page.locator('.topbar .brand').boundingBox();
    assert.ok(brand && brand.x > 1280 / 2, 'the app name is on the right');

    // The editor edits the Arabic article right to left; the toolbar follows the interface.
    const headline = page.locator('input[name="headline"]');
    assert.equal(await headline.inputValue(), 'محادثات السلام تبدأ في جنيف');
    assert.equal(await headline.evaluate((el) => getComputedStyle(el).direction), 'rtl');
    assert.equal(await page.locator('.ProseMirror').getAttribute('dir'), 'rtl');
    assert.equal(await page.locator('.rte-toolbar').getAttribute('dir'), 'rtl');
    await page.getByRole('button', { name: 'غامق' }).waitFor();
    const count = (await page.locator('#headline-count').innerText()).trim();
    assert.equal(count, '27 حرفًا (الحد 300)', 'Arabic plural form "many" for 27');
    assert.ok(await page.getByText('الحالة:').isVisible());
    const uiFont = await page.evaluate(async () => {
      await document.fonts.ready;
      return { family: getComputedStyle(document.body).fontFamily, arabic: document.fonts.check('16px "Vazirmatn Variable"', 'المقالات') };
    });
    assert.match(uiFont.family, /Vazirmatn Variable/);
    assert.ok(uiFont.arabic, 'the app bundles Vazirmatn too');
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'admin-editor-ar.png'), fullPage: true });

    await page.getByLabel('لغة الواجهة').selectOption('en');
    await page.getByRole('link', { name: 'Articles', exact: true }).waitFor();
    assert.equal(await page.locator('html').getAttribute('dir'), 'ltr');
    assert.equal(await headline.evaluate((el) => getComputedStyle(el).direction), 'rtl', 'an Arabic article still edits right to left');
    assert.deepEqual(requests.offSite, [], 'the newsroom asks nothing of another site');
    await page.close();
  });

  test('in the Arabic newsroom, the publish checklist\'s findings from the server are in Arabic', async () => {
    const page = await openAppPage(browser);
    await page.goto(`${origin}/admin/login`);
    await page.getByLabel('Interface language').selectOption('ar');
    await signInInArabic(page);
    await page.goto(`${origin}/admin/articles/${emptyDraftId}`);
    await page.getByRole('button', { name: 'نشر…', exact: true }).click();
    const blocking = page.locator('.checklist-blocking li[data-check="BODY_EMPTY"]');
    await blocking.waitFor();
    assert.match(await blocking.innerText(), /^يجب إصلاح:\s*متن المقال فارغ\. خبر من نوع «خبر» يحتاج إلى نص قبل نشره\.$/);
    const warnings = await page.locator('.checklist-warning li').allInnerTexts();
    assert.ok(warnings.length >= 2, warnings.join('\n'));
    for (const w of warnings) assert.doesNotMatch(w, /[A-Za-z]{3}/, `a warning in English: ${w}`);
    assert.ok(await page.getByRole('button', { name: 'نعم، انشر الآن' }).isDisabled(), 'a blocking item keeps the confirm button disabled');
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'admin-publish-checks-ar.png'), fullPage: true });
    await page.close();
  });
});
