/**
 * `npm run bench:import [-- --pages 100000] [--posts 20000] [--index end|batch] [--batch 500]`
 *
 * Bulk import speed on SQLite: generated legacy text pages (each with a leaked related
 * dump pointing at earlier pages) and a generated WordPress export file streamed from
 * disk. Prints articles/s, peak RSS (sampled every 50 ms: it must not grow with the
 * input) and the time until the last article is searchable. Figures are printed, never
 * asserted. Defaults are small enough for a laptop minute; pass 100000 for the full run.
 */
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrator.js';
import { DatelineParser } from '../src/domain/dateline-parse.js';
import { createServices } from '../src/services/index.js';
import type { SourceItem } from '../src/services/import/import-sources.js';
import { parseLegacyText } from '../src/services/import/legacy-page.parser.js';
import { wxrSource } from '../src/services/import/wxr.parser.js';

const { values } = parseArgs({ options: { pages: { type: 'string', default: '20000' }, posts: { type: 'string', default: '10000' }, index: { type: 'string', default: 'end' }, batch: { type: 'string', default: '500' } } });
const PAGES = Number(values.pages);
const POSTS = Number(values.posts);
const WORDS = 'army city council minister election market border talks ceasefire province village report agency capital government rebels forces court protest economy oil water school hospital'.split(' ');
const OPTIONS = { dateline: new DatelineParser('Asia/Tehran', 'ddd MMM D, YYYY HH:mm:ss'), language: 'en', contentTypeId: 21, section: { slug: 'archive', name: 'Archive' } };
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function sentence(seed: number, n = 14): string {
  let s = '';
  for (let i = 0; i < n; i++) s += `${WORDS[(seed * 31 + i * 7) % WORDS.length]} `;
  return `${s.trim()}.`;
}

function legacyPage(i: number): string {
  const id = 1_000_000 + i;
  const at = new Date(Date.UTC(2010, 0, 1) + i * 600_000);
  const dateline = `${DAYS[at.getUTCDay()]} ${MONTHS[at.getUTCMonth()]} ${at.getUTCDate()}, ${at.getUTCFullYear()} ${String(at.getUTCHours()).padStart(2, '0')}:${String(at.getUTCMinutes()).padStart(2, '0')}:00`;
  const headline = `Story ${id}: ${sentence(i, 6)}`;
  const related = [1, 2, 3, 4].filter((k) => i - k >= 0).map((k, j) => `{"id":"${id - k}","sort":"${1_000_000 + i * 4 + j}","contenttypeid":"21","pic":"/2010/01/01/site_${634_000_000_000_000_000 + i}_25f_4x3.jpg","title":"Story ${id - k}"}`);
  const json = `[${related.join(' ,')} ]`;
  const paragraphs = Array.from({ length: 8 }, (_, p) => sentence(i + p, 30)).join('\n\n');
  return `${headline}\n\n${headline}\n${dateline}\n\n${paragraphs}\n\nstring(${Buffer.byteLength(json)}) "${json}"`;
}

async function writeWxr(path: string, posts: number): Promise<void> {
  const out = createWriteStream(path);
  const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
  await write(`<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Bench</title><link>http://old.example/</link><language>en</language><wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>http://old.example/</wp:base_site_url><wp:author><wp:author_login>desk</wp:author_login><wp:author_email>desk@old.example</wp:author_email><wp:author_display_name><![CDATA[News Desk]]></wp:author_display_name></wp:author>\n`);
  for (let i = 0; i < posts; i++) {
    const date = new Date(Date.UTC(2015, 0, 1) + i * 600_000).toISOString().replace('T', ' ').slice(0, 19);
    await write(`<item><title>Post ${i}: ${sentence(i, 6)}</title><link>http://old.example/?p=${i + 1}</link><dc:creator>desk</dc:creator><guid isPermaLink="false">http://old.example/?p=${i + 1}</guid><content:encoded><![CDATA[${Array.from({ length: 6 }, (_, p) => sentence(i + p, 30)).join('\n\n')}]]></content:encoded><excerpt:encoded><![CDATA[]]></excerpt:encoded><wp:post_id>${i + 1}</wp:post_id><wp:post_date>${date}</wp:post_date><wp:post_date_gmt>${date}</wp:post_date_gmt><wp:post_name>post-${i}</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type><category domain="category" nicename="world"><![CDATA[World]]></category><category domain="post_tag" nicename="t${i % 50}"><![CDATA[Topic ${i % 50}]]></category></item>\n`);
  }
  await write('</channel></rss>\n');
  await new Promise<void>((r) => out.end(() => r()));
}

async function measure(label: string, count: number, items: () => AsyncIterable<SourceItem>, probe: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-import-'));
  const handle = openDatabase(`sqlite:${join(dir, 'bench.db')}`);
  await migrateToLatest(handle);
  const services = createServices(handle, { dataDir: dir, mediaSitePrefix: 'bench' });
  let peak = 0;
  const baseline = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const started = performance.now();
  // Sampled per item too: a busy import may starve the timer.
  let imported = 0;
  let searchableAt = 0;
  // The writing phase's peak apart: the search rebuild after it uses a fixed 256 MB page cache.
  let writePeak = 0;
  const summary = await services.imports.run(items(), {
    batchSize: Number(values.batch),
    index: values.index === 'batch' ? 'batch' : 'end',
    onItem: () => (peak = Math.max(peak, process.memoryUsage().rss)),
    onIndexing: () => {
      imported = performance.now();
      writePeak = Math.max(peak, process.memoryUsage().rss);
    },
    onSearchable: () => (searchableAt = performance.now()),
  });
  const indexed = performance.now();
  imported ||= performance.now();
  const results = await services.search.search({ q: probe });
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const seconds = (imported - started) / 1000;
  console.log(
    `${label.padEnd(22)} ${String(count).padStart(7)} items  created ${summary.created}  ${(summary.created / seconds).toFixed(0).padStart(6)} articles/s  ` +
      `import ${seconds.toFixed(1)} s  searchable after ${((searchableAt - started) / 1000).toFixed(1)} s (${results.total} hit for ${probe})  related lists after ${((indexed - started) / 1000).toFixed(1)} s  ` +
      `peak RSS writing ${((writePeak || peak) / 2 ** 20).toFixed(0)} MB, indexing ${(peak / 2 ** 20).toFixed(0)} MB (start ${(baseline / 2 ** 20).toFixed(0)} MB)`,
  );
  await handle.close();
  rmSync(dir, { recursive: true, force: true });
}

async function* legacyItems(): AsyncIterable<SourceItem> {
  for (let i = 0; i < PAGES; i++) yield parseLegacyText(`${1_000_000 + i}.txt`, legacyPage(i), OPTIONS);
}

console.log(`bench:import — SQLite, ${values.batch} items per transaction, index ${values.index === 'batch' ? 'after every batch' : 'in one pass at the end'}`);
await measure('legacy pages', PAGES, legacyItems, `"Story ${1_000_000 + PAGES - 1}"`);
const wxrDir = mkdtempSync(join(tmpdir(), 'bench-wxr-'));
const wxrPath = join(wxrDir, 'export.xml');
await writeWxr(wxrPath, POSTS);
const { size } = await import('node:fs/promises').then((fs) => fs.stat(wxrPath));
const source = () => ({ [Symbol.asyncIterator]: () => wxrItems() });
let wxrItems: () => AsyncIterator<SourceItem>;
const make = async () => {
  const s = await wxrSource([wxrPath], { timeZone: 'UTC', datelineFormat: 'YYYY', language: 'en', contentTypeId: 21, section: { slug: 'archive', name: 'Archive' } });
  wxrItems = () => s.items[Symbol.asyncIterator]();
};
await make();
await measure(`WXR (${(size / 2 ** 20).toFixed(0)} MB)`, POSTS, source, `"Post ${POSTS - 1}"`);
rmSync(wxrDir, { recursive: true, force: true });
