import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import type cliProgressTypes from 'cli-progress';
import { lazyRequire } from '../services/lazy-require.js';
import type { Config } from '../config/config.js';
import { IMPORT_KINDS, type ImportItemReport, type ImportKind } from '../domain/import-draft.js';
import type { Services } from '../services/index.js';
import { SOURCES, type ImportSourceOptions } from '../services/import/import-sources.js';

/** Progress bars load when a rebuild or import runs, not by every server start. */
const progressBars = lazyRequire<typeof import('cli-progress')>('cli-progress');

/**
 * `dateline import <kind> <path…>`: a progress bar (items/s, ETA), a per-item report
 * (created / updated / skipped / repaired / failed, with why) and a summary.
 */
export async function importCommand(args: string[], config: Config, services: Services, say: (m: string) => void): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      'dry-run': { type: 'boolean', default: false },
      report: { type: 'string' },
      section: { type: 'string', default: 'archive' },
      language: { type: 'string', default: config.languages[0] ?? 'en' },
      'content-type': { type: 'string', default: '21' },
      'media-dir': { type: 'string' },
      batch: { type: 'string', default: '500' },
      index: { type: 'string', default: 'end' },
      quiet: { type: 'boolean', default: false },
      pages: { type: 'boolean', default: false },
    },
  });
  const [kind, ...paths] = positionals;
  if (!kind || !(IMPORT_KINDS as readonly string[]).includes(kind)) throw new Error(`Name what to import: dateline import <${IMPORT_KINDS.join('|')}> <path…>`);
  if (!paths.length) throw new Error(`Name at least one file or folder: dateline import ${kind} <path…>`);
  const factory = SOURCES[kind as ImportKind];
  if (!factory) throw new Error(`Importing "${kind}" is not available in this build.`);
  const contentTypeId = Number(values['content-type']);
  if (!Number.isSafeInteger(contentTypeId) || contentTypeId <= 0) throw new Error(`--content-type must be a numeric content type id such as 21 (got "${values['content-type']}")`);
  const batchSize = Number(values.batch);
  if (!Number.isSafeInteger(batchSize) || batchSize < 1 || batchSize > 10_000) throw new Error(`--batch must be a whole number from 1 to 10000 (got "${values.batch}")`);
  const index = values.index === 'end' || values.index === 'batch' ? values.index : values.index === 'none' ? false : null;
  if (index === null) throw new Error(`--index must be end (one pass after the import), batch (after every batch) or none (got "${values.index}")`);
  const options: ImportSourceOptions = {
    timeZone: config.legacyTimeZone || config.timeZone,
    datelineFormat: config.legacyDatelineFormat || config.datelineFormat,
    language: values.language!,
    contentTypeId,
    section: { slug: values.section!, name: titleCase(values.section!) },
    mediaDir: values['media-dir'],
    pages: values.pages,
  };
  const source = await factory(paths, options);
  const dryRun = values['dry-run'] ?? false;
  const report = values.report ? createWriteStream(values.report) : null;
  const bar = new (progressBars().SingleBar)(
    {
      format: ` ${dryRun ? 'dry run' : 'import'} |{bar}| {value}/{total} items · {rate} items/s · ETA {eta_formatted}`,
      hideCursor: true,
      noTTYOutput: !process.stderr.isTTY,
      notTTYSchedule: 5000,
      stream: process.stderr,
    },
    progressBars().Presets.shades_classic,
  );
  const started = Date.now();
  let done = 0;
  bar.start(source.total ?? 0, 0, { rate: '0' });
  const summary = await services.imports.run(source.items, {
    dryRun,
    ...(source.catalog ? { catalog: source.catalog } : {}),
    batchSize,
    index,
    onIndexing: (pending, bulk) => {
      bar.stop();
      say(bulk ? `Indexing ${pending} imported articles in bulk (search rebuild, then their related lists)…` : `Indexing ${pending} imported articles for search and related lists…`);
    },
    onItem: (r) => {
      done++;
      if (source.total === null) bar.setTotal(done);
      bar.update(done, { rate: (done / Math.max(0.001, (Date.now() - started) / 1000)).toFixed(1) });
      report?.write(`${JSON.stringify(r)}\n`);
      if (!values.quiet && (r.action !== 'skipped' || r.repairs.length > 1)) {
        bar.stop();
        say(describe(r));
        bar.start(source.total ?? done, done, { rate: (done / Math.max(0.001, (Date.now() - started) / 1000)).toFixed(1) });
      }
    },
  });
  bar.stop();
  await new Promise<void>((resolve) => (report ? report.end(resolve) : resolve()));
  const seconds = (Date.now() - started) / 1000;
  say(
    `${dryRun ? 'Dry run (nothing written): would have ' : ''}created ${summary.created}, updated ${summary.updated}, skipped ${summary.skipped}, ` +
      `repaired ${summary.repaired}, failed ${summary.failed}; ${summary.placeholders} placeholder(s) for related items not yet imported. ` +
      `${done} item(s) in ${seconds.toFixed(1)} s (${(done / Math.max(seconds, 0.001)).toFixed(1)} items/s).`,
  );
  return summary.failed > 0 ? 2 : 0;
}

/** One report line: `created  1480012  Groups of militants…  (removed …; …)`. */
export function describe(r: ImportItemReport): string {
  const notes = [...r.repairs, ...(r.error ? [r.error] : [])];
  return `${r.action.padEnd(8)} ${String(r.articleId ?? '-').padEnd(8)} ${r.headline || r.sourceKey}${notes.length ? `\n           ${notes.join('\n           ')}` : ''}`;
}

function titleCase(slug: string): string {
  return slug.replace(/[-_]+/g, ' ').replace(/\b\p{L}/gu, (c) => c.toUpperCase());
}
