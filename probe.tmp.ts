import { createTestDb } from './test/helpers/databases.js';
import { makeUser, actor } from './test/helpers/newsroom.js';
for (const engine of ['sqlite','postgres'] as const) {
  const t = await createTestDb(engine);
  await t.services.demo.load();
  const u = await makeUser(t, 'editor');
  const a = actor(u);
  const sections = await t.services.catalog.sections();
  // instrument
  const se = t.services.search as any, re = t.services.relatedEngine as any;
  const wrap = (o: any, name: string, label: string) => { const f = o[name].bind(o); o[name] = async (...args: any[]) => { const s = performance.now(); try { return await f(...args); } finally { times[label] = (times[label] ?? 0) + performance.now() - s; } }; };
  const times: Record<string, number> = {};
  wrap(se, 'articleChanged', 'search'); wrap(re, 'articleChanged', 'related');
  const all: number[] = [];
  for (let i = 0; i < 15; i++) {
    const s = performance.now();
    const art = await t.services.newsroom.workflow.create(a, { headline: `Story ${i} markets weather`, sectionId: sections[0]!.id, bodyHtml: '<p>' + 'Words about markets, weather and elections. '.repeat(40) + '</p>' });
    const m = performance.now();
    await t.services.newsroom.workflow.transition(a, art.id, { action: 'publish' });
    all.push(performance.now() - s);
    if (i === 14) console.log(engine, 'create', (m - s).toFixed(0), 'publish', (performance.now() - m).toFixed(0));
  }
  all.sort((x, y) => x - y);
  console.log(engine, 'p50', all[7]!.toFixed(0), 'max', all[14]!.toFixed(0), Object.fromEntries(Object.entries(times).map(([k, v]) => [k, (v / 30).toFixed(1)])));
  await t.cleanup();
}
