import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { buildAdminIfStale, SKIP, launchChromium, openAppPage } from '../helpers/browser.js';
import sharp from 'sharp';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeSection } from '../helpers/factories.js';
import { login, makeUser, type TestUser } from '../helpers/newsroom.js';
import { linkIn, startSmtpServer } from '../helpers/smtp.js';

/** Screenshots of the screens, for people to look at (SCREENSHOT_DIR, or a temp folder). */
const SHOTS = process.env.SCREENSHOT_DIR ?? join(tmpdir(), 'dateline-newsroom-screens');

/** A free loopback port, so BASE_URL (and the links in emails) is the address the browser opens. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

describe('newsroom screens in a real browser: sections, tags, content types, API keys, audit log, media, email', { skip: SKIP }, () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let browser: Browser;
  let page: Page;
  let origin: string;
  let owner: TestUser;

  before(async () => {
    buildAdminIfStale();
    smtp = await startSmtpServer();
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    t = await createTestApp('sqlite', { timeZone: 'UTC', baseUrl: origin }, undefined, { smtpUrl: smtp.url });
    t.clock.set(Date.now());
    owner = await makeUser(t, 'owner', { name: 'Olive Owner', email: 'olive@news.test' });
    const section = await makeSection(t, 'world', 'World');
    const api = await login(t.app, owner);
    for (const [headline, tags] of [
      ['Summit opens in Geneva', ['UN']],
      ['Aid convoy reaches the border', ['UN', 'United Nations']],
      ['Envoy resigns', ['United Nations']],
    ] as const) {
      const res = await api.post('/api/admin/articles', { headline, sectionId: section, bodyHtml: `<p>${headline}.</p>`, tags: tags.map((name) => ({ kind: 'organisation', name })) });
      assert.equal(res.statusCode, 201, res.body);
    }
    await t.app.listen({ port, host: '127.0.0.1' });
    browser = await launchChromium();
    page = await openAppPage(browser);
    // Confirmations (merge, revoke) are accepted, as an editor who means it would.
    page.on('dialog', (d) => void d.accept());
  });
  after(async () => {
    await browser?.close();
    await t?.cleanup();
    await smtp?.close();
  });

  test('sign in and find every screen in the navigation', async () => {
    await page.goto(`${origin}/admin/`);
    await page.getByLabel('Email').fill(owner.email);
    await page.getByLabel('Password').fill(owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Articles', exact: true }).waitFor();
    for (const name of ['Sections', 'Tags', 'Content types', 'Users', 'API keys', 'Audit log']) {
      assert.ok(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).isVisible(), name);
    }
  });

  test('sections: create one with an Arabic name, then rename it', async () => {
    await page.getByRole('link', { name: 'Sections', exact: true }).click();
    await page.getByRole('heading', { name: 'Sections' }).waitFor();
    const form = page.locator('.panel').filter({ hasText: 'New section' });
    await form.getByLabel('Name', { exact: true }).fill('Science');
    await form.getByLabel(/^Slug/).fill('science');
    await form.getByLabel(/Name in العربية/).fill('علوم');
    await form.getByLabel('Position').fill('7');
    await form.getByRole('button', { name: 'Create section' }).click();
    await page.getByRole('status').filter({ hasText: 'Section "Science" created.' }).waitFor();
    await page.getByRole('cell', { name: 'علوم' }).waitFor();
    await page.getByRole('button', { name: 'Edit Science' }).click();
    const row = page.locator('tr').filter({ has: page.getByRole('button', { name: 'Save section' }) });
    await row.getByLabel('Name', { exact: true }).fill('Science & Health');
    await row.getByRole('button', { name: 'Save section' }).click();
    await page.getByRole('status').filter({ hasText: 'Section "Science & Health" saved.' }).waitFor();
    const sections = (await (await login(t.app, owner)).get('/api/admin/sections')).json().items as { slug: string; name: string; names: Record<string, string>; position: number }[];
    const science = sections.find((s) => s.slug === 'science');
    assert.deepEqual(science && { name: science.name, ar: science.names.ar, position: science.position }, { name: 'Science & Health', ar: 'علوم', position: 7 });
    // A slug in use is refused with a message, not a crash.
    const form2 = page.locator('.panel').filter({ hasText: 'New section' });
    await form2.getByLabel('Name', { exact: true }).fill('Another world');
    await form2.getByLabel(/^Slug/).fill('world');
    await form2.getByRole('button', { name: 'Create section' }).click();
    await page.getByRole('alert').filter({ hasText: 'The slug "world" is already in use.' }).waitFor();
    await shot(page, 'sections');
  });

  test('tags: merge "UN" into "United Nations"', async () => {
    await page.getByRole('link', { name: 'Tags', exact: true }).click();
    await page.getByRole('heading', { name: 'Tags', exact: true }).waitFor();
    const unRow = page.locator('tr').filter({ has: page.getByRole('link', { name: 'UN', exact: true }) });
    await unRow.getByRole('cell', { name: '2', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Merge UN', exact: true }).click();
    const panel = page.getByRole('region', { name: 'Merge UN' });
    await panel.getByLabel('Find the tag to keep').fill('United');
    await panel.getByRole('button', { name: 'Merge into United Nations' }).click();
    await page.getByRole('status').filter({ hasText: 'Merged "UN" into "United Nations": 2 articles moved; "United Nations" is now on 3.' }).waitFor();
    await page.getByRole('link', { name: 'UN', exact: true }).waitFor({ state: 'detached' });
    const unitedRow = page.locator('tr').filter({ has: page.getByRole('link', { name: 'United Nations', exact: true }) });
    await unitedRow.getByRole('cell', { name: '3', exact: true }).waitFor();
    await shot(page, 'tags');
  });

  test('content types: add one with the next free id', async () => {
    await page.getByRole('link', { name: 'Content types', exact: true }).click();
    await page.getByRole('heading', { name: 'Content types' }).waitFor();
    await page.getByLabel('Label').fill('Explainer');
    await page.getByLabel(/^Name/).fill('explainer');
    await page.getByRole('button', { name: 'Create content type' }).click();
    await page.getByRole('status').filter({ hasText: /Content type "Explainer" created with id \d+\./ }).waitFor();
    await page.getByRole('cell', { name: 'Explainer', exact: true }).waitFor();
    await page.getByLabel('Label').fill('Bad name');
    await page.getByLabel(/^Name/).fill('not a slug!');
    await page.getByRole('button', { name: 'Create content type' }).click();
    await page.getByRole('alert').filter({ hasText: 'is not a slug' }).waitFor();
    await shot(page, 'content-types');
  });

  test('API keys: create with a scope, the secret works once shown, revoking stops it', async () => {
    await page.getByRole('link', { name: 'API keys', exact: true }).click();
    await page.getByRole('heading', { name: 'API keys' }).waitFor();
    await page.getByLabel(/^Name/).fill('Mobile app');
    // articles.read is ticked by default; add taxonomy.read.
    await page.getByRole('checkbox', { name: 'taxonomy.read' }).check();
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = await page.getByLabel('New key secret').inputValue();
    assert.match(secret, /^dl_/);
    await shot(page, 'api-keys');
    const read = await fetch(`${origin}/api/admin/sections`, { headers: { authorization: `Bearer ${secret}` } });
    assert.equal(read.status, 200);
    const write = await fetch(`${origin}/api/admin/tags`, { method: 'POST', headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'x', kind: 'topic' }) });
    assert.equal(write.status, 403, 'no taxonomy.write scope');
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('button', { name: 'Revoke Mobile app' }).click();
    await page.getByText(/^Revoked /).waitFor();
    const after = await fetch(`${origin}/api/admin/sections`, { headers: { authorization: `Bearer ${secret}` } });
    assert.equal(after.status, 401);
  });

  test('audit log: filter by action, by person and by day', async () => {
    await page.getByRole('link', { name: 'Audit log', exact: true }).click();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    await page.getByRole('cell', { name: 'tag.merge' }).waitFor();
    await page.getByLabel('Action').selectOption('api-key.create');
    await page.waitForURL(/action=api-key\.create/);
    await page.locator('tbody tr').first().getByRole('cell', { name: 'api-key.create' }).waitFor();
    const actions = await page.locator('tbody td[data-label="Action"]').allTextContents();
    assert.deepEqual([...new Set(actions)], ['api-key.create']);
    await page.getByLabel('Action').selectOption('tag.*');
    await page.getByRole('cell', { name: 'tag.merge' }).waitFor();
    assert.ok((await page.locator('tbody td[data-label="Action"]').allTextContents()).every((a) => a.startsWith('tag.')));
    await page.getByLabel('Person').selectOption({ label: 'Olive Owner' });
    await page.waitForURL(/userId=/);
    assert.ok((await page.locator('tbody td[data-label="Who"]').allTextContents()).every((w) => w === 'Olive Owner'));
    await shot(page, 'audit-log');
    const tomorrow = new Date(Date.now() + 86_400_000);
    const day = `${tomorrow.getFullYear()}-${String(tomorrow.getMonth() + 1).padStart(2, '0')}-${String(tomorrow.getDate()).padStart(2, '0')}`;
    await page.getByLabel('From').fill(day);
    await page.getByText('Nothing matches these filters.').waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByRole('cell', { name: 'tag.merge' }).waitFor();
  });

  test('media library: shows and searches original file names; a failed upload shows as failed', async () => {
    await page.getByRole('link', { name: 'Media', exact: true }).click();
    await page.getByRole('heading', { name: 'Media library' }).waitFor();
    const jpeg = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#c84' } }).jpeg().toBuffer();
    const input = page.locator('input[type="file"]');
    await input.setInputFiles({ name: 'harbour-sunrise.jpg', mimeType: 'image/jpeg', buffer: jpeg });
    await page.locator('.uploads li[data-state="done"]').filter({ hasText: 'harbour-sunrise.jpg' }).waitFor();
    await input.setInputFiles({ name: 'notes-not-a-photo.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('these are meeting notes, not a picture') });
    const failed = page.locator('.uploads li[data-state="failed"]').filter({ hasText: 'notes-not-a-photo.jpg' });
    await failed.getByRole('alert').filter({ hasText: /^Failed: / }).waitFor();
    assert.equal(await page.locator('.media-grid').getByText('notes-not-a-photo.jpg').count(), 0, 'nothing kept');
    await page.getByLabel('Search file name, alt text, caption, credit').fill('sunrise');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.locator('.media-grid').getByText('harbour-sunrise.jpg').waitFor();
    assert.equal(await page.locator('.media-grid li').count(), 1);
    assert.equal(await failed.locator('progress').count(), 0, 'a failed upload shows no (full) progress bar');
    // Renditions that could not be made show as failed in the grid and the detail.
    const [item] = await t.services.media.list({ q: 'sunrise', limit: 1 });
    assert.ok(item);
    await t.services.media.markFailed(item.id, 'the encoder gave up');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.locator('.media-grid .media-choice.failed').getByText('Processing failed').waitFor();
    await page.locator('.media-grid .media-choice').first().click();
    await page.getByText('Original file: harbour-sunrise.jpg').waitFor();
    await page.getByRole('alert').filter({ hasText: 'Processing failed: pages show the original file.' }).waitFor();
    await shot(page, 'media-library');
  });

  test('users: inviting someone emails them instead of showing the link', async () => {
    await page.getByRole('link', { name: 'Users', exact: true }).click();
    await page.getByLabel('Name').fill('Nadia Reporter');
    await page.getByLabel('Email').fill('nadia@news.test');
    await page.getByRole('button', { name: 'Create invitation' }).click();
    await page.getByRole('status').filter({ hasText: 'Invitation emailed to nadia@news.test.' }).waitFor();
    assert.equal(await page.getByLabel('One-time link').count(), 0);
    const mail = await smtp.waitFor('nadia@news.test', /invited you/);
    assert.equal(linkIn(mail).origin, origin);
  });

  test('forgot password: the emailed link opens the app, sets a new password and signs in', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByRole('heading', { name: 'Forgot your password?' }).waitFor();
    await page.getByLabel('Email').fill(owner.email);
    await page.getByRole('button', { name: 'Email me a link' }).click();
    await page.getByRole('status').filter({ hasText: 'on its way' }).waitFor();
    await shot(page, 'forgot-password');
    const link = linkIn(await smtp.waitFor(owner.email, /Reset your/));
    await page.goto(link.toString());
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    await page.locator('input[name="password"]').fill('a new owner password');
    await page.locator('input[name="password-confirm"]').fill('a new owner password');
    await page.getByRole('button', { name: 'Save the new password' }).click();
    await page.getByRole('heading', { name: 'Articles', exact: true }).waitFor();
    // The link worked once.
    await page.goto(link.toString());
    await page.locator('input[name="password"]').fill('and yet another one');
    await page.locator('input[name="password-confirm"]').fill('and yet another one');
    await page.getByRole('button', { name: 'Save the new password' }).click();
    await page.getByRole('alert').filter({ hasText: 'invalid, used or expired' }).waitFor();
  });
});
