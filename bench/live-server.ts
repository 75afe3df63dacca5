/**
 * One app process for `npm run bench:live` (started by bench/live.bench.ts over IPC):
 * serves the SSE endpoint and, when asked, posts a live entry. Reports its memory.
 */
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrator.js';
import { buildApp } from '../src/http/app.js';
import { createServices } from '../src/services/index.js';
import { SYSTEM_PRINCIPAL } from '../src/domain/roles.js';

const url = process.env.BENCH_DATABASE_URL!;
const handle = openDatabase(url, { poolSize: 4 });
await migrateToLatest(handle);
const services = createServices(handle, { dataDir: process.env.BENCH_DATA_DIR!, mediaSitePrefix: 'bench', contentCacheSeconds: 5, redisUrl: process.env.BENCH_REDIS_URL ?? '', redisPrefix: process.env.BENCH_REDIS_PREFIX ?? 'bench-live:', languages: ['en'] });
const app = await buildApp({ siteName: 'Bench', baseUrl: 'http://bench.test', timeZone: 'UTC', datelineFormat: 'ddd MMM D, YYYY HH:mm:ss', languages: ['en'], logLevel: 'warn', requestLog: false, dataDir: process.env.BENCH_DATA_DIR! }, services);
await app.listen({ port: 0, host: '127.0.0.1' });
await services.live.start();
const send = (m: unknown) => process.send!(m);

process.on('message', async (m: { cmd: string; blogId?: number; seq?: string }) => {
  if (m.cmd === 'memory') {
    (globalThis as { gc?: () => void }).gc?.();
    await new Promise((r) => setTimeout(r, 100));
    const u = process.memoryUsage();
    const { readers, reads, delivered } = services.live.hub.stats;
    send({ cmd: 'memory', rss: u.rss, heapUsed: u.heapUsed, external: u.external, readers, reads, delivered });
  } else if (m.cmd === 'post') {
    // The wall clock the reader processes use too: the time of the editor's post.
    const postedAt = performance.timeOrigin + performance.now();
    const entry = await services.live.service.addEntry(SYSTEM_PRINCIPAL, m.blogId!, { kind: 'text', bodyHtml: `<p>Bench entry ${m.seq}</p>` });
    send({ cmd: 'posted', id: entry.id, postedAt });
  } else if (m.cmd === 'stop') {
    services.live.stop();
    await app.close();
    await handle.close();
    process.exit(0);
  }
});
send({ cmd: 'ready', port: (app.server.address() as { port: number }).port });
