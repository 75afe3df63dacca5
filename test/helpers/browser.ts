import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Why browser tests skip (scripts/test.mjs sets SKIP_BROWSER_TESTS without chromium), or false. */
export const SKIP = process.env.SKIP_BROWSER_TESTS === '1' ? 'chromium is not installed (apt-get install -y chromium)' : false;

/** Debian's chromium, headless, with nothing reaching out to the network. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

/** What the newsroom app is built from (it imports pure rules from src/domain too). */
const ADMIN_SOURCES = ['admin/src', 'admin/index.html', 'admin/vite.config.ts', 'src/domain'];
const BUILT_INDEX = 'dist/admin/index.html';

function newestMtime(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

/** Builds dist/admin with Vite when it is missing or older than its sources. */
export function buildAdminIfStale(): void {
  const sourceTime = Math.max(...ADMIN_SOURCES.map(newestMtime));
  if (existsSync(BUILT_INDEX) && statSync(BUILT_INDEX).mtimeMs >= sourceTime) return;
  const vite = join('node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--config', 'admin/vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' });
  assert.equal(result.status, 0, 'vite build of the newsroom app failed');
}

/** Debian's chromium, launched headless with the flags above. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/**
 * A page sized for the newsroom app that reports page errors. CI machines are small and
 * the suite runs files in parallel: it allows slow steps rather than flake.
 */
export async function openAppPage(browser: Browser): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(60_000);
  page.on('pageerror', (err) => console.error('page error:', err.message));
  return page;
}

/** Starts the app on a free loopback port and launches chromium: the origin to open and the browser. */
export async function serveToBrowser(app: FastifyInstance): Promise<{ origin: string; browser: Browser }> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return { origin, browser: await launchChromium() };
}
