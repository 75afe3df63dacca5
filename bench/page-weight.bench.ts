/**
 * `npm run bench:page-weight`
 *
 * What a first visit to an article page transfers, measured in Debian's chromium (cold cache):
 * an English, an Arabic and a Persian article of the demo site, summed from the browser's own
 * Resource Timing (`transferSize`: bytes on the wire with headers) by kind — the HTML document,
 * the stylesheet, fonts, scripts and images — with the font files named, so a change of typeface,
 * subset or preload shows here. The app does not compress (a proxy or CDN in front does): the gzip
 * figure beside HTML and CSS is what such a proxy would send at level 6. Figures are printed,
 * never asserted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrator.js';
import { buildApp } from '../src/http/app.js';
import { createServices } from '../src/services/index.js';
import { launchChromium } from '../test/helpers/browser.js';
import { sqliteUrl } from './archive-build.js';

interface Entry {
  name: string;
  kind: string;
  transfer: number;
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'dateline-bench-weight-'));
  const handle = openDatabase(sqliteUrl(dir));
  const browser = await launchChromium();
  try {
    await migrateToLatest(handle);
    const services = createServices(handle, { dataDir: dir, mediaSitePrefix: 'bench' }, { warn: () => {} });
    await services.demo.load();
    const app = await buildApp(
      { siteName: 'Dateline', baseUrl: 'http://127.0.0.1:3000', timeZone: 'UTC', datelineFormat: 'ddd MMM D, YYYY HH:mm:ss', languages: ['en', 'ar', 'fa'], logLevel: 'silent', requestLog: false, dataDir: dir },
      services,
    );
    await app.listen({ port: 0, host: '127.0.0.1' });
    const origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    console.log(`Article page weight, first visit (cold cache), chromium ${browser.version()}, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    for (const language of ['en', 'ar', 'fa']) {
      const list = (await app.inject({ url: `/api/v1/articles?lang=${language}&limit=1` })).json() as { items: { url: string }[] };
      const path = new URL(list.items[0]!.url).pathname;
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      const offSite: string[] = [];
      page.on('request', (r) => {
        if (!r.url().startsWith(origin) && !r.url().startsWith('data:')) offSite.push(r.url());
      });
      await page.goto(`${origin}${path}`, { waitUntil: 'networkidle' });
      const entries: Entry[] = await page.evaluate(async () => {
        await document.fonts.ready;
        const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
        const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
        return [
          { name: nav.name, kind: 'html', transfer: nav.transferSize },
          ...resources.map((r) => ({
            name: r.name,
            kind: /\.woff2$/.test(r.name) ? 'font' : /\.css$/.test(r.name) ? 'css' : /\.js$/.test(r.name) ? 'script' : r.initiatorType === 'img' || /\/media\//.test(r.name) ? 'image' : r.initiatorType,
            transfer: r.transferSize,
          })),
        ];
      });
      const html = (await app.inject({ url: path })).rawPayload;
      const cssHref = entries.find((e) => e.kind === 'css')?.name;
      const css = cssHref ? (await app.inject({ url: new URL(cssHref).pathname })).rawPayload : Buffer.alloc(0);
      const sum = (kind: string) => entries.filter((e) => e.kind === kind).reduce((n, e) => n + e.transfer, 0);
      const core = sum('html') + sum('css') + sum('font');
      console.log(`\n${language}  ${path}`);
      console.log(`  HTML     ${kb(sum('html')).padStart(9)}   (gzip ${kb(gzipSync(html).length)})`);
      console.log(`  CSS      ${kb(sum('css')).padStart(9)}   (gzip ${kb(gzipSync(css).length)})`);
      for (const f of entries.filter((e) => e.kind === 'font')) console.log(`  font     ${kb(f.transfer).padStart(9)}   ${new URL(f.name).pathname}`);
      console.log(`  HTML+CSS+fonts ${kb(core)}; with gzip on HTML and CSS ${kb(core - sum('html') - sum('css') + gzipSync(html).length + gzipSync(css).length)}`);
      console.log(`  scripts ${kb(sum('script'))}, images ${kb(sum('image'))}; off-site requests: ${offSite.length}`);
      await context.close();
    }
    await app.close();
  } finally {
    await browser.close();
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
