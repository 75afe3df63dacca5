import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { buildAdminIfStale, openAppPage, SKIP, serveToBrowser } from '../helpers/browser.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeSection } from '../helpers/factories.js';
import { login, makeUser, type TestUser } from '../helpers/newsroom.js';

describe('"Translate into…" in the newsroom editor', { skip: SKIP }, () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let origin: string;
  let editor: TestUser;
  let source: number;

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
    const panel = page.locator('.translate-panel');
    await panel.waitFor();
    await panel.getByLabel(/Translate into/).selectOption('en');
    await panel.getByRole('button', { name: 'Translate', exact: true }).click();
    await page.waitForURL(new RegExp(`/admin/articles/(?!${source}\\b)\\d+$`));
    const draft = Number(/\/articles\/(\d+)$/.exec(page.url())![1]);
    assert.notEqual(draft, source);
    await page.locator('.translate-panel .notice').filter({ hasText: 'Needs translation' }).waitFor();
    const sourceBox = page.locator('.translation-source');
    assert.match(await sourceBox.innerText(), /الجيش يدخل مدينة القصير/);
    assert.equal(await sourceBox.locator('[lang="ar"]').getAttribute('dir'), 'rtl');
    const view = (await (await login(t.app, editor)).get(`/api/admin/articles/${draft}/translations`)).json();
    assert.equal(view.translationOf, source);
    assert.deepEqual(view.versions.map((v: { language: string }) => v.language), ['ar', 'en']);
  });
});
