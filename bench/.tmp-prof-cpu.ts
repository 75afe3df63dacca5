import { openDatabase } from '../src/db/database.js';
import { createServices } from '../src/services/index.js';
import { sqliteUrl } from './archive-build.js';
import { sql } from 'kysely';
const dir = process.argv[2]!; const file = process.argv[3]!;
const handle = openDatabase(sqliteUrl(dir));
if (process.argv[4]) for (const p of process.argv[4].split(';')) await sql.raw(`pragma ${p}`).execute(handle.db);
const s = createServices(handle, { dataDir: dir, mediaSitePrefix: 'bench', contentCacheSeconds: 0 }, {});
const settings = { baseUrl: 'http://127.0.0.1:3000', siteName: 'D' } as any;
const repo = (s.distribution.sitemaps as any).distribution;
const [y, m] = file.split('-').map(Number);
const out: string[] = [];
for (let i = 0; i < 8; i++) {
  let c = process.cpuUsage(); let t = performance.now();
  for await (const _ of repo.sitemapRows(Date.UTC(y!, m! - 1, 1), Date.UTC(y!, m!, 1), Date.now(), { limit: 10000 })) {}
  const rc = process.cpuUsage(c); const rw = performance.now() - t;
  c = process.cpuUsage(); t = performance.now();
  for await (const _ of await s.distribution.sitemaps.month(settings, file)) {}
  const sc = process.cpuUsage(c);
  out.push(`rows ${rw.toFixed(0)}ms cpu ${(rc.user/1000).toFixed(0)}+${(rc.system/1000).toFixed(0)} | month ${(performance.now() - t).toFixed(0)}ms cpu ${(sc.user/1000).toFixed(0)}+${(sc.system/1000).toFixed(0)}`);
}
console.log(out.slice(2).join('\n'));
await handle.close();
