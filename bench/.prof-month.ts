import { openDatabase } from '../src/db/database.js';
import { createServices } from '../src/services/index.js';
import { sqliteUrl } from './archive-build.js';
const dir = process.argv[2]!; const file = process.argv[3]!;
const handle = openDatabase(sqliteUrl(dir));
const s = createServices(handle, { dataDir: dir, mediaSitePrefix: 'bench', contentCacheSeconds: 0 }, {});
const [y, m] = file.split('-').map(Number);
const from = Date.UTC(y!, m! - 1, 1), to = Date.UTC(y!, m!, 1);
const repo = (s.distribution.sitemaps as any).distribution;
for (let i = 0; i < 5; i++) {
  let t = performance.now(); let n = 0;
  for await (const rows of repo.sitemapRows(from, to, Date.now(), { limit: 10000 })) n += rows.length;
  const q = performance.now() - t; t = performance.now();
  let bytes = 0;
  for await (const chunk of await s.distribution.sitemaps.month({ baseUrl: 'http://x', siteName: 'x' } as any, file)) bytes += chunk.length;
  console.log(`rows ${n} in ${q.toFixed(1)} ms; whole month ${(performance.now() - t).toFixed(1)} ms, ${bytes} chars`);
}
await handle.close();
