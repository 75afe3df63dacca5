import { appendFileSync } from 'node:fs';
import pg from 'pg';
import { it } from 'node:test';
import { createTestApp } from '../helpers/app.js';
import { makeSection } from '../helpers/factories.js';
import { login, makeUser } from '../helpers/newsroom.js';

const out = (s: string) => appendFileSync('/tmp/hx/prof.txt', s + '\n');
let log: { sql: string; ms: number }[] | null = null;
const orig = pg.Client.prototype.query;
(pg.Client.prototype as any).query = function (this: any, ...args: any[]) {
  const sql = typeof args[0] === 'string' ? args[0] : args[0]?.text;
  const t0 = performance.now();
  const r = orig.apply(this, args as any);
  if (log && r && typeof (r as any).then === 'function') (r as Promise<unknown>).then(() => log?.push({ sql: String(sql).slice(0, 160), ms: performance.now() - t0 }), () => {});
  return r;
};
for (const engine of ['postgres'] as const) {
  it(`profile ${engine}`, async () => {
    const t = await createTestApp(engine);
    const editor = await login(t.app, await makeUser(t, 'editor'));
    const sectionId = await makeSection(t);
    for (let n = 0; n < 4; n++) {
      log = [];
      const t0 = performance.now();
      const created = await editor.post('/api/admin/articles', { headline: `Soak story ${n}: markets`, sectionId, bodyHtml: `<p>Story ${n}. ${'Words about markets, weather and elections. '.repeat(40)}</p>` });
      const t1 = performance.now();
      const nCreate = log.length;
      const pub = await editor.post(`/api/admin/articles/${created.json().id}/transitions`, { action: 'publish' });
      const t2 = performance.now();
      out(`${engine} #${n} create ${created.statusCode} ${(t1 - t0).toFixed(1)} ms ${nCreate} queries; publish ${pub.statusCode} ${(t2 - t1).toFixed(1)} ms ${log.length - nCreate} queries`);
      if (n === 3) for (const q of log) out(`  ${q.ms.toFixed(2)} ${q.sql}`);
    }
    log = null;
    await t.cleanup();
  });
}
