import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { CHROMIUM_ARGS, SKIP } from '../helpers/browser.js';
import { makeArticle, makeSection } from '../helpers/factories.js';
import { login, makeUser, type Client } from '../helpers/newsroom.js';

/** Issue 17: two open pages see a new entry and the banner appear without reload (the real client over SSE, CSP on). */
describe('live coverage in a real browser', { skip: SKIP }, () => {
  let t: TestApp;
  let browser: Browser;
  let origin: string;
  let editor: Client;
  let blogPath: string;
  let blogId: number;
  before(async () => {
    t = await createTestApp('sqlite', { timeZone: 'UTC' });
    t.clock.set(Date.now());
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    origin = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    editor = await login(t.app, await makeUser(t, 'editor'));
    const section = await makeSection(t);
    blogId = await makeArticle(t, section, { headline: 'Storm makes landfall: live' });
    await makeArticle(t, section, { headline: 'Another story' });
    blogPath = `/news/${blogId}/${(await t.services.repos.articles.findById(blogId))!.slug}`;
    assert.equal((await editor.post('/api/admin/live-blogs', { articleId: blogId })).statusCode, 201);
    await editor.post(`/api/admin/live-blogs/${blogId}/entries`, { kind: 'text', bodyHtml: '<p>Winds are rising.</p>' });
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });
  after(async () => {
    await browser?.close();
    await t?.cleanup();
  });

  test('two open pages get a new entry, its correction, its deletion and the banner without reload', async () => {
    const violations: string[] = [];
    const open = async (path: string) => {
      const page = await browser.newPage();
      page.on('console', (m) => {
        if (/Content Security Policy|Refused/i.test(m.text())) violations.push(m.text());
      });
      const res = await page.goto(`${origin}${path}`);
      assert.equal(res?.status(), 200);
      return page;
    };
    const blogA = await open(blogPath);
    const blogB = await open(blogPath);
    const home = await open('/');
    // Let every page's EventSource connect.
    const deadline = Date.now() + 5000;
    while (t.services.live.hub.stats.readers < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.equal(t.services.live.hub.stats.readers, 3, 'one SSE connection per page');
    assert.equal(await blogA.locator('.live-entries .live-entry').count(), 1);

    const posted = Date.now();
    const entry = (await editor.post(`/api/admin/live-blogs/${blogId}/entries`, { kind: 'quote', quoteText: 'The sea wall held.', quoteSource: 'Harbour master', pinned: true })).json();
    for (const page of [blogA, blogB]) {
      await page.locator(`.live-entries #entry-${entry.id}`).waitFor({ timeout: 3000 });
      assert.equal(await page.locator('.live-entries .live-entry').first().getAttribute('id'), `entry-${entry.id}`, 'newest first');
      assert.match(await page.locator(`.live-entries #entry-${entry.id} blockquote`).innerText(), /The sea wall held\./);
      assert.ok(await page.locator(`.live-key-points #entry-${entry.id}`).isVisible(), 'pinned entries join the key points');
    }
    const delivered = Date.now() - posted;
    assert.ok(delivered < 2000, `both pages had it ${delivered} ms after the post`);

    await editor.patch(`/api/admin/live-entries/${entry.id}`, { correction: 'Said by the deputy harbour master.' });
    for (const page of [blogA, blogB]) await page.locator(`.live-entries #entry-${entry.id} .live-correction`).waitFor({ timeout: 3000 });

    assert.ok(await home.locator('#breaking').isHidden());
    await editor.put('/api/admin/breaking/en', { headline: 'Evacuation ordered for the coast', url: blogPath });
    for (const page of [blogA, blogB, home]) {
      const link = page.locator('#breaking a');
      await link.waitFor({ timeout: 3000 });
      assert.equal((await link.innerText()).trim(), 'Evacuation ordered for the coast');
      assert.equal(await link.getAttribute('href'), blogPath);
    }

    await editor.del(`/api/admin/live-entries/${entry.id}`);
    for (const page of [blogA, blogB]) await page.locator(`#entry-${entry.id}`).waitFor({ state: 'detached', timeout: 3000 });
    await editor.del('/api/admin/breaking/en');
    await home.locator('#breaking').waitFor({ state: 'hidden', timeout: 3000 });
    await editor.put(`/api/admin/live-blogs/${blogId}/state`, { ended: true });
    await blogA.locator('.live-ended').waitFor({ state: 'visible', timeout: 3000 });
    assert.deepEqual(violations, []);
    for (const page of [blogA, blogB, home]) await page.close();
  });

  test('a page loaded without JavaScript shows the banner and the entries (server-rendered)', async () => {
    await editor.put('/api/admin/breaking/en', { headline: 'Schools closed tomorrow', url: '/' });
    const page = await browser.newPage({ javaScriptEnabled: false });
    await page.goto(`${origin}${blogPath}`);
    assert.equal((await page.locator('#breaking a').innerText()).trim(), 'Schools closed tomorrow');
    assert.match(await page.locator('.live-entries').innerText(), /Winds are rising\./);
    await page.close();
  });
});
