import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { articlePath } from '../../src/domain/article.js';
import { buildAdminIfStale, openAppPage, SKIP, serveToBrowser } from '../helpers/browser.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeSection } from '../helpers/factories.js';
import { login, makeUser, type TestUser } from '../helpers/newsroom.js';

/**
 * The judging path of issue 15: an editor writes an Arabic story, translates it into English
 * and Persian and publishes all three; a reader moves between them with the switcher, and
 * each page names the others with hreflang.
 */
describe('"Translate into…" in the newsroom editor', { skip: SKIP }, () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let origin: string;
  let editor: TestUser;
  let source: number;
  let english: number;
  let persian: number;

  /** Publishes the article open in the editor through the checklist. */
  const publishInEditor = async () => {
    await page.getByRole('button', { name: 'Publish…', exact: true }).click();
    await page.locator('.publish-checklist').waitFor();
    await page.getByRole('button', { name: 'Yes, publish now' }).click();
    await page.locator('.editor-side .status-published').waitFor();
  };
  /** Translates the article open in the editor; resolves to the new draft's id, open in the editor. */
  const translateInEditor = async (language: string, from: number) => {
    const panel = page.locator('.translate-panel');
    await panel.waitFor();
    await panel.getByLabel(/Translate into/).selectOption(language);
    await panel.getByRole('button', { name: 'Translate', exact: true }).click();
    await page.waitForURL(new RegExp(`/admin/articles/(?!${from}\\b)\\d+$`));
    return Number(/\/articles\/(\d+)$/.exec(page.url())![1]);
  };

  before(async () => {
    buildAdminIfStale();
    t = await createTestApp('sqlite', { timeZone: 'UTC' });
    t.clock.set(Date.now());
    editor = await makeUser(t, 'editor');
    const section = await makeSection(t, 'world', 'World');
    const api = await login(t.app, editor);
    const res = await api.post('/api/admin/articles', { headline: 'الجيش يدخل مدينة القصير', sectionId: section, language: 'ar', bodyHtml: '<p>دخل الجيش المدينة صباح اليوم.</p>' });
    assert.equal(res.statusCode, 201, res.body);
    source = res.json().id;
    ({ origin, browser } = await serveToBrowser(t.app));
    page = await openAppPage(browser);
  });
  after(async () => {
    await browser?.close();
    await t?.cleanup();
  });

  test('translate an Arabic draft into English: a new linked draft, the source shown beside it', async () => {
    await page.goto(`${origin}/admin/articles/${source}`);
    await page.getByLabel('Email').fill(editor.email);
    await page.getByLabel('Password').fill(editor.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const draft = (english = await translateInEditor('en', source));
    assert.notEqual(draft, source);
    await page.locator('.translate-panel .notice').filter({ hasText: 'Needs translation' }).waitFor();
    const sourceBox = page.locator('.translation-source');
    assert.match(await sourceBox.innerText(), /الجيش يدخل مدينة القصير/);
    assert.equal(await sourceBox.locator('[lang="ar"]').getAttribute('dir'), 'rtl');
    const view = (await (await login(t.app, editor)).get(`/api/admin/articles/${draft}/translations`)).json();
    assert.equal(view.translationOf, source);
    assert.deepEqual(view.versions.map((v: { language: string }) => v.language), ['ar', 'en']);
  });

  test('the English is written and published, a Persian version made and published, then the Arabic source', async () => {
    await page.locator('input[name="headline"]').fill('Army enters the town of Qusayr');
    await publishInEditor();
    persian = await translateInEditor('fa', english);
    await page.locator('input[name="headline"]').fill('ارتش وارد شهر قصیر شد');
    await publishInEditor();
    await page.goto(`${origin}/admin/articles/${source}`);
    await publishInEditor();
    for (const id of [source, english, persian]) assert.equal((await t.services.newsroom.workflow.get(id)).status, 'published', `article ${id}`);
  });

  test('a reader switches between the three with the switcher; each page names the others with hreflang', async () => {
    const reader = await browser.newPage({ javaScriptEnabled: false });
    const url = async (id: number) => `http://news.test${articlePath(await t.services.newsroom.workflow.get(id))}`;
    const urls = { ar: await url(source), en: await url(english), fa: await url(persian) };
    const expected = [['ar', urls.ar], ['en', urls.en], ['fa', urls.fa], ['x-default', urls.en]].sort();
    const local = (href: string) => href.replace('http://news.test', origin);
    await reader.goto(local(urls.ar));
    const visits: [string, string][] = [];
    for (const [language, next, headline] of [['ar', 'en', 'Army enters the town of Qusayr'], ['en', 'fa', 'ارتش وارد شهر قصیر شد'], ['fa', 'ar', 'الجيش يدخل مدينة القصير']] as const) {
      assert.equal(await reader.evaluate(() => document.documentElement.lang), language);
      const hreflang = await reader.locator('head link[rel="alternate"][hreflang]').evaluateAll((ls) => ls.map((l) => [l.getAttribute('hreflang')!, l.getAttribute('href')!]));
      assert.deepEqual(hreflang.sort(), expected, `hreflang on the ${language} page`);
      const link = reader.locator(`.language-switcher a[hreflang="${next}"]`);
      assert.equal(await link.getAttribute('data-translation'), 'yes', `the ${language} page's switcher leads to the ${next} version`);
      await reader.goto(local((await link.getAttribute('href'))!));
      visits.push([next, (await reader.locator('article.story h1').innerText()).trim()]);
      assert.equal(visits.at(-1)![1], headline);
    }
    assert.equal(await reader.evaluate(() => document.documentElement.dir), 'rtl', 'back on the Arabic page');
    await reader.close();
  });
});
