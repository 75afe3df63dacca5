import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { buildAdminIfStale, SKIP, launchChromium } from '../helpers/browser.js';
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
  let editorUser: Awaited<ReturnType<typeof makeUser>>;
  before(async () => {
    buildAdminIfStale();
    t = await createTestApp('sqlite', { timeZone: 'UTC' });
    t.clock.set(Date.now());
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    origin = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    editorUser = await makeUser(t, 'editor');
    editor = await login(t.app, editorUser);
    const section = await makeSection(t);
    blogId = await makeArticle(t, section, { headline: 'Storm makes landfall: live' });
    await makeArticle(t, section, { headline: 'Another story' });
    blogPath = `/news/${blogId}/${(await t.services.repos.articles.findById(blogId))!.slug}`;
    assert.equal((await editor.post('/api/admin/live-blogs', { articleId: blogId })).statusCode, 201);
    await editor.post(`/api/admin/live-blogs/${blogId}/entries`, { kind: 'text', bodyHtml: '<p>Winds are rising.</p>' });
    browser = await launchChromium();
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
      assert.ok(await page.locator(`.live-key-points [data-entry-id="${entry.id}"]`).isVisible(), 'pinned entries join the key points');
      assert.equal(await page.locator(`#entry-${entry.id}`).count(), 1, 'one element with the id: the key points\' copy has none');
    }
    // Printed, not asserted: a loaded machine is no clock (npm run bench:live measures delivery).
    console.log(`# both pages had it ${Date.now() - posted} ms after the post`);

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
    for (const page of [blogA, blogB]) {
      await page.locator(`#entry-${entry.id}`).waitFor({ state: 'detached', timeout: 3000 });
      assert.equal(await page.locator(`[data-entry-id="${entry.id}"]`).count(), 0, 'gone from the key points too');
    }
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

  test('an editor sets the banner and posts an entry in the Live desk; an open reader page shows both', async () => {
    await editor.del('/api/admin/breaking/en');
    await editor.put(`/api/admin/live-blogs/${blogId}/state`, { ended: false });
    const reader = await browser.newPage();
    await reader.goto(`${origin}${blogPath}`);
    const desk = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    desk.setDefaultTimeout(30_000);
    await desk.goto(`${origin}/admin/login`);
    await desk.getByLabel('Email').fill(editorUser.email);
    await desk.getByLabel('Password').fill(editorUser.password);
    await desk.getByRole('button', { name: /sign in/i }).click();
    await desk.getByRole('link', { name: 'Live', exact: true }).click();
    await desk.getByRole('heading', { name: 'Live desk' }).waitFor();
    await desk.getByLabel('Headline', { exact: true }).fill('Bridge closed to traffic');
    await desk.getByLabel(/^Link/).fill(blogPath);
    await desk.getByRole('button', { name: 'Show banner' }).click();
    await desk.getByRole('button', { name: 'Clear' }).waitFor();
    await reader.locator('#breaking a', { hasText: 'Bridge closed to traffic' }).waitFor({ timeout: 3000 });

    await desk.getByRole('button', { name: 'Storm makes landfall: live' }).click();
    await desk.getByLabel('Text', { exact: true }).fill('Police have closed the coast road.');
    await desk.getByRole('button', { name: 'Post entry' }).click();
    await reader.locator('.live-entries .live-entry', { hasText: 'Police have closed the coast road.' }).waitFor({ timeout: 3000 });
    await desk.getByText('Police have closed the coast road.').waitFor();
    const audit = (await t.handle.db.selectFrom('audit_log').select(['action', 'actor_name']).where('action', 'in', ['breaking.set', 'live.entry.create']).execute()).filter((a) => a.actor_name === editorUser.name);
    assert.ok(audit.some((a) => a.action === 'breaking.set') && audit.some((a) => a.action === 'live.entry.create'));
    await desk.close();
    await reader.close();
  });
});
