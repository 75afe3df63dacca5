/**
 * `npm run bench:data -- --articles 1000000 [--data-dir DIR] [--database-url postgres://…] [--seed N] [--years N]`
 *
 * Generates a synthetic archive (see synthetic-archive.ts) and builds its search index.
 * SQLite by default, in DIR (default: a new directory under the OS temp dir) as
 * `dateline.db` plus `archive.json`, which `bench:search -- --data-dir DIR` reuses. With
 * `--database-url` the archive goes into that (empty) PostgreSQL database instead.
 * 1M articles take several GB; the size is printed at the end.
 */
import { mkdirSync, statfsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { buildArchive, databaseBytes, formatBytes, loadManifest, newDataDir, openDatabase, readManifest, saveManifest, sqliteUrl } from './archive-build.js';

const { values } = parseArgs({
  options: {
    articles: { type: 'string', default: '100000' },
    'data-dir': { type: 'string' },
    'database-url': { type: 'string' },
    seed: { type: 'string' },
    years: { type: 'string' },
  },
});

const articles = Number(values.articles);
if (!Number.isInteger(articles) || articles < 1) throw new Error('--articles must be a positive integer');
const dataDir = values['data-dir'] ?? newDataDir();
mkdirSync(dataDir, { recursive: true });
const url = values['database-url'] ?? sqliteUrl(dataDir);
if (!values['database-url'] && readManifest(dataDir)) throw new Error(`${dataDir} already holds an archive; pick another --data-dir or delete it`);

// ~11 KB per article in SQLite (text, HTML, FTS index): say so before filling the disk.
const fs = statfsSync(dataDir);
const free = fs.bavail * fs.bsize;
const needed = articles * 11_000;
console.log(`Target: ${url.startsWith('sqlite:') ? url : new URL(url).host + new URL(url).pathname}; ~${formatBytes(needed)} needed, ${formatBytes(free)} free`);
if (url.startsWith('sqlite:') && needed > free * 0.8) throw new Error('not enough free disk space for this archive');

const handle = openDatabase(url);
try {
  if (await loadManifest(handle, dataDir)) throw new Error('that database already holds an archive; use an empty one');
  const manifest = await buildArchive(handle, dataDir, {
    articles,
    seed: values.seed ? Number(values.seed) : undefined,
    years: values.years ? Number(values.years) : undefined,
  });
  await saveManifest(handle, dataDir, manifest);
  const bytes = await databaseBytes(handle, dataDir);
  const total = manifest.loadSeconds + manifest.indexSeconds;
  console.log(
    `\n${articles.toLocaleString('en')} articles (${manifest.indexed.toLocaleString('en')} indexed) on ${handle.engine}: ` +
      `load ${manifest.loadSeconds.toFixed(1)} s (${Math.round(articles / manifest.loadSeconds).toLocaleString('en')}/s), ` +
      `index ${manifest.indexSeconds.toFixed(1)} s, total ${total.toFixed(1)} s (${Math.round(articles / total).toLocaleString('en')} articles/s); ` +
      `database ${formatBytes(bytes)}`,
  );
  if (handle.engine === 'sqlite') console.log(`Data directory: ${dataDir}\n  npm run bench:search -- --data-dir ${dataDir}`);
  else console.log(`  npm run bench:search -- --only postgres --reuse-postgres --database-url ${url}`);
} finally {
  await handle.close();
}
