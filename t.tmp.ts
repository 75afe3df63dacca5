import { openDatabase } from './src/db/database.js';
import { createServices } from './src/services/index.js';
const h = openDatabase('sqlite:/tmp/dl-run/dateline.db');
const s = createServices(h, { dataDir: '/tmp/dl-run', mediaSitePrefix: 'x' });
async function conc(name: string, n: number, c: number, f: () => Promise<unknown>) {
  const t = performance.now();
  await Promise.all(Array.from({ length: c }, async () => { for (let i = 0; i < n / c; i++) await f(); }));
  console.log(name, 'c=' + c, ((performance.now() - t) / n * 1000).toFixed(1), 'us/op');
}
for (const c of [1, 50]) {
  await conc('findById', 5000, c, () => s.repos.articles.findById(48));
  await conc('findById', 5000, c, () => s.repos.articles.findById(48));
}
const ids = [40,41,42,43,44,45,46,47,48,49];
await conc('findById varied', 5000, 1, () => s.repos.articles.findById(ids[Math.floor(Math.random()*10)]!));
