/**
 * `npm run bench:import [-- --pages 100000] [--posts 50000] [--only legacy|wxr]
 *   [--index end|batch|none] [--related on|off] [--batch 500] [--every 10000]`
 *
 * Bulk import speed on SQLite: generated legacy text pages written to disk (each with a
 * leaked related dump pointing at earlier pages) and a generated WordPress export file,
 * both imported through the same sources as `dateline import`. Each kind runs in a
 * process of its own (so neither starts from the other's memory), with `--expose-gc`:
 * every `--every` items it collects garbage and prints RSS and heap, so growth with the
 * input shows as a rising column. Prints articles/s, peak RSS (sampled every 50 ms and
 * per item), the time until the last article is searchable and until every related
 * list is computed. Figures are printed, never asserted.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrator.js';
import { createServices } from '../src/services/index.js';
import { legacySource, type ImportSource } from '../src/services/import/import-sources.js';
import { wxrSource } from '../src/services/import/wxr.parser.js';
import { DEFAULT_ARCHIVE, SECTIONS, SyntheticArchive, type ArticleSpec } from './synthetic-archive.js';

const { values } = parseArgs({
  options: {
    pages: { type: 'string', default: '20000' },
    posts: { type: 'string', default: '10000' },
    only: { type: 'string' },
    index: { type: 'string', default: 'end' },
    batch: { type: 'string', default: '500' },
    every: { type: 'string' },
    related: { type: 'string', default: 'on' },
    child: { type: 'boolean', default: false },
  },
});
const PAGES = Number(values.pages);
const POSTS = Number(values.posts);
const INDEX = values.index === 'batch' ? 'batch' : values.index === 'none' ? false : 'end';
/** `--related off`: after writing, only the search rebuild (the related-list pass costs far more than the import at 100k). */
const RELATED = values.related !== 'off';
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MB = 2 ** 20;
/** Realistic text (Zipf vocabulary, recurring stories): search and related lists do the work a real archive gives them. */
const archive = (articles: number) => new SyntheticArchive({ ...DEFAULT_ARCHIVE, arabicShare: 0, articles, now: Date.UTC(2013, 5, 1) });
const pad = (n: number) => String(n).padStart(2, '0');
const cdata = (s: string) => s.replace(/]]>/g, ']]]]><![CDATA[>');

function legacyPage(a: ArticleSpec, i: number): string {
  const id = 1_000_000 + i;
  // The old site's dateline, in its zone (Asia/Tehran, +04:30 then).
  const at = new Date(a.publishedAt + 4.5 * 3_600_000);
  const dateline = `${DAYS[at.getUTCDay()]} ${MONTHS[at.getUTCMonth()]} ${at.getUTCDate()}, ${at.getUTCFullYear()} ${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())}`;
  const related = [1, 2, 3, 4].filter((k) => i - k >= 0).map((k, j) => `{"id":"${id - k}","sort":"${1_000_000 + i * 4 + j}","contenttypeid":"21","pic":"/2010/01/01/site_${634_000_000_000_000_000 + i}_25f_4x3.jpg","title":"Story ${id - k}"}`);
  const json = `[${related.join(' ,')} ]`;
  return `${a.headline}\n\n${a.headline}\n${dateline}\n\n${a.paragraphs.join('\n\n')}\n\nstring(${Buffer.byteLength(json)}) "${json}"`;
}

/** Legacy pages as files (`<old id>.txt`), 1,000 to a folder as an old site's export would be. */
function writeLegacyPages(dir: string, pages: number): string {
  const model = archive(pages);
  let last = '';
  for (let i = 0; i < pages; i++) {
    const folder = join(dir, String(Math.floor(i / 1000)).padStart(4, '0'));
    if (i % 1000 === 0) mkdirSync(folder, { recursive: true });
    const a = model.article(i + 1);
    writeFileSync(join(folder, `${1_000_000 + i}.txt`), legacyPage(a, i));
    last = a.headline;
  }
  return last;
}

/** A WordPress export of `posts` posts; answers the last post's title. */
async function writeWxr(path: string, posts: number): Promise<string> {
  const model = archive(posts);
  const out = createWriteStream(path);
  const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
  await write(`<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Bench</title><link>http://old.example/</link><language>en</language><wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>http://old.example/</wp:base_site_url><wp:author><wp:author_login>desk</wp:author_login><wp:author_email>desk@old.example</wp:author_email><wp:author_display_name><![CDATA[News Desk]]></wp:author_display_name></wp:author>\n`);
  let last = '';
  for (let i = 0; i < posts; i++) {
    const a = model.article(i + 1);
    const date = new Date(a.publishedAt).toISOString().replace('T', ' ').slice(0, 19);
    // Every tenth post links to an earlier one by its old permalink (rewritten on import).
    const link = i % 10 === 9 ? `\n\n<p>Earlier: <a href="http://old.example/?p=${i - 8}">the story before</a>.</p>` : '';
    const tag = a.story.topicWords[0]!;
    await write(`<item><title>${escapeXml(a.headline)}</title><link>http://old.example/?p=${i + 1}</link><dc:creator>desk</dc:creator><guid isPermaLink="false">http://old.example/?p=${i + 1}</guid><content:encoded><![CDATA[${cdata(a.paragraphs.join('\n\n'))}${link}]]></content:encoded><excerpt:encoded><![CDATA[${cdata(a.dek)}]]></excerpt:encoded><wp:post_id>${i + 1}</wp:post_id><wp:post_date>${date}</wp:post_date><wp:post_date_gmt>${date}</wp:post_date_gmt><wp:post_name>post-${i}</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type><category domain="category" nicename="${SECTIONS[a.sectionIndex]}"><![CDATA[${SECTIONS[a.sectionIndex]}]]></category><category domain="post_tag" nicename="${escapeXml(tag)}"><![CDATA[${tag}]]></category></item>\n`);
    last = a.headline;
  }
  await write('</channel></rss>\n');
  await new Promise<void>((r) => out.end(() => r()));
  return last;
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const gc = (globalThis as { gc?: () => void }).gc;

async function measure(label: string, count: number, source: () => Promise<ImportSource>, probe: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-import-'));
  const handle = openDatabase(`sqlite:${join(dir, 'bench.db')}`);
  await migrateToLatest(handle);
  const services = createServices(handle, { dataDir: dir, mediaSitePrefix: 'bench' });
  const every = Number(values.every ?? Math.max(1000, Math.round(count / 10)));
  gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const trace: string[] = [];
  const started = performance.now();
  const { items } = await source();
  let done = 0;
  let imported = 0;
  let searchableAt = 0;
  // The writing phase's peak apart: the search rebuild after it uses a fixed 256 MB page cache.
  let writePeak = 0;
  let searchPeak = 0;
  const summary = await services.imports.run(items, {
    batchSize: Number(values.batch),
    index: RELATED ? INDEX : false,
    onItem: () => {
      // Sampled per item too: a busy import may starve the timer.
      peak = Math.max(peak, process.memoryUsage().rss);
      if (++done % every === 0) {
        gc?.();
        const m = process.memoryUsage();
        trace.push(`  ${String(done).padStart(7)} items  RSS ${(m.rss / MB).toFixed(0).padStart(4)} MB  heap used ${(m.heapUsed / MB).toFixed(1).padStart(6)} MB  external ${((m.external + m.arrayBuffers) / MB).toFixed(1).padStart(5)} MB  ${((done / (performance.now() - started)) * 1000).toFixed(0)} items/s`);
      }
    },
    onIndexing: () => {
      imported = performance.now();
      writePeak = Math.max(peak, process.memoryUsage().rss);
      peak = process.memoryUsage().rss;
    },
    onSearchable: () => {
      searchableAt = performance.now();
      searchPeak = Math.max(peak, process.memoryUsage().rss);
      // From here on the peak is the related-list pass's alone.
      peak = process.memoryUsage().rss;
    },
  });
  if (!RELATED && INDEX) {
    imported = performance.now();
    writePeak = Math.max(peak, process.memoryUsage().rss);
    peak = process.memoryUsage().rss;
    // Sampled per batch too (the rebuild's synchronous SQLite writes starve the timer), and
    // the peak so far traced every `--every` articles written: a rebuild that grows with the archive shows.
    let mark = 0;
    await services.search.reindex((phase, written) => {
      peak = Math.max(peak, process.memoryUsage().rss);
      if (phase === 'write' && written - mark >= every) {
        mark = written;
        trace.push(`  rebuild: ${String(written).padStart(7)} written  peak RSS so far ${(peak / MB).toFixed(0).padStart(4)} MB`);
      }
    });
    searchableAt = performance.now();
  }
  const indexed = performance.now();
  imported ||= indexed;
  searchableAt ||= indexed;
  const results = INDEX ? await services.search.search({ q: probe }) : { total: 0 };
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  writePeak ||= peak;
  searchPeak ||= peak;
  const seconds = (imported - started) / 1000;
  console.log(
    `${label}: ${count} items, created ${summary.created}, failed ${summary.failed}: ${(summary.created / seconds).toFixed(0)} articles/s writing (${seconds.toFixed(1)} s); ` +
      (INDEX ? `searchable after ${((searchableAt - started) / 1000).toFixed(1)} s (${results.total} hits for the last headline), ${RELATED ? `related lists after ${((indexed - started) / 1000).toFixed(1)} s` : 'related lists not computed (--related off)'}; ` : 'not indexed (--index none); ') +
      `peak RSS writing ${(writePeak / MB).toFixed(0)} MB` +
      (INDEX ? `, search rebuild ${(searchPeak / MB).toFixed(0)} MB` : '') +
      (INDEX && RELATED ? `, related lists ${(peak / MB).toFixed(0)} MB` : '') +
      ` (start ${(baseline / MB).toFixed(0)} MB)`,
  );
  console.log(`  memory after GC every ${every} items${gc ? '' : ' (no --expose-gc: without collection)'}:\n${trace.join('\n')}`);
  await handle.close();
  rmSync(dir, { recursive: true, force: true });
}

const options = { timeZone: 'Asia/Tehran', datelineFormat: 'ddd MMM D, YYYY HH:mm:ss', language: 'en', contentTypeId: 21, section: { slug: 'archive', name: 'Archive' } };

async function child(kind: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), `bench-${kind}-`));
  try {
    if (kind === 'legacy') {
      const last = writeLegacyPages(dir, PAGES);
      await measure('legacy pages', PAGES, () => legacySource([dir], options), last);
    } else {
      const path = join(dir, 'export.xml');
      const last = await writeWxr(path, POSTS);
      await measure(`WXR (${(statSync(path).size / MB).toFixed(0)} MB)`, POSTS, () => wxrSource([path], { ...options, timeZone: 'UTC' }), last);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (values.child) await child(values.only!);
else {
  console.log(`bench:import: SQLite, ${values.batch} items per transaction, index ${INDEX === 'batch' ? 'after every batch' : INDEX ? 'in one pass at the end' : 'not at all'}`);
  const script = fileURLToPath(import.meta.url);
  for (const kind of ['legacy', 'wxr'].filter((k) => !values.only || values.only === k)) {
    const args = [...process.execArgv, '--expose-gc', script, ...process.argv.slice(2).filter((a, i, all) => a !== '--only' && all[i - 1] !== '--only'), '--only', kind, '--child'];
    const run = spawnSync(process.execPath, args, { stdio: 'inherit' });
    if (run.status !== 0) process.exit(run.status ?? 1);
  }
}
