/**
 * Create+publish in process (issue 10 item 10): an editor creates and publishes stories
 * through the admin API (`app.inject`, no HTTP, no read load), and this prints the time
 * per create+publish and the statements it ran. Figures are printed, never asserted.
 *
 *   npm run bench:create-publish -- [sqlite|postgres] [stories]
 *
 * PostgreSQL: TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test), a schema of its own.
 * BENCH_AB_HOLD=1 (PostgreSQL): stories alternate between holding statements back for the
 * next round trip (write-behind.ts, the default) and sending each at once, and both are
 * printed: an A/B in one process, so both halves see the same (noisy) machine.
 */
const engine = (process.argv[2] ?? 'postgres') as 'sqlite' | 'postgres';
const stories = Number(process.argv[3] ?? 60);
// Read by the test helpers when they load: set before importing them.
process.env.TEST_POSTGRES_URL ??= 'postgres://postgres@127.0.0.1:5432/test';
const { createTestApp } = await import('../test/helpers/app.js');
const { makeSection } = await import('../test/helpers/factories.js');
const { login, makeUser } = await import('../test/helpers/newsroom.js');

// BENCH_AB_HOLD=1: odd stories send every held statement at once, as before pipelining.
const abHold = process.env.BENCH_AB_HOLD === '1' && engine === 'postgres';
let holding = true;
let roundTrips = 0;
let counting = false;
const { SyncPgClient } = await import('../src/db/postgres-sync/sync-client.js');
const query = SyncPgClient.prototype.query;
SyncPgClient.prototype.query = function countedQuery(sql, params, derived) {
  if (counting && holding) roundTrips++;
  return query.call(this, sql, params, derived);
};
if (abHold) {
  const hold = SyncPgClient.prototype.hold;
  SyncPgClient.prototype.hold = function maybeHold(sql, params, derived) {
    if (holding) return hold.call(this, sql, params, derived);
    const sent = this.query(sql, params, derived);
    if (sent instanceof Promise) sent.catch(() => undefined);
  };
}

const t = await createTestApp(engine);
await t.handle.pinning?.warm(1);
const editor = await login(t.app, await makeUser(t, 'editor'));
const sectionId = await makeSection(t);
let statements = 0;
t.handle.statementListeners.add(() => void (counting && statements++));

async function createAndPublish(n: number): Promise<void> {
  const created = await editor.post('/api/admin/articles', { headline: `Story ${n}: markets and weather`, sectionId, bodyHtml: `<p>Story ${n}. ${'Words about markets, weather and elections. '.repeat(40)}</p>` });
  if (created.statusCode !== 201) throw new Error(`create ${created.statusCode} ${created.body}`);
  const published = await editor.post(`/api/admin/articles/${created.json().id}/transitions`, { action: 'publish' });
  if (published.statusCode !== 200) throw new Error(`publish ${published.statusCode} ${published.body}`);
}

// Warm-up: caches filled once per process, a published archive for the related engine to search.
for (let i = 0; i < 15; i++) await createAndPublish(i);

// BENCH_READERS=n: n readers request the home page and the API list meanwhile, in the same process (as the soak's readers share the server).
let reading = true;
const paths = ['/', '/api/v1/articles?limit=20'];
const readers = Array.from({ length: Number(process.env.BENCH_READERS ?? 0) }, async (_, r) => {
  for (let i = r; reading; i++) await t.app.inject({ url: paths[i % paths.length]! });
});
const times: number[] = [];
const unheld: number[] = [];
counting = true;
for (let i = 0; i < stories; i++) {
  holding = !abHold || i % 2 === 0;
  const started = performance.now();
  await createAndPublish(100 + i);
  (holding ? times : unheld).push(performance.now() - started);
}
counting = false;
reading = false;
await Promise.all(readers);
const summary = (label: string, list: number[]) => {
  list.sort((a, b) => a - b);
  const mean = list.reduce((a, b) => a + b, 0) / list.length;
  console.log(`${label}: ${list.length} create+publish in process, mean ${mean.toFixed(1)} ms, p50 ${list[list.length >> 1]!.toFixed(1)} ms, p90 ${list[Math.floor(list.length * 0.9)]!.toFixed(1)} ms`);
};
summary(abHold ? `${engine}, statements held back (pipelined)` : engine, times);
if (abHold) summary(`${engine}, each statement sent at once`, unheld);
console.log(`  statements per create+publish ${(statements / stories).toFixed(1)}`);
if (engine === 'postgres') console.log(`  round trips per create+publish ${(roundTrips / times.length).toFixed(1)} (synchronous connection${abHold ? ', statements held back' : ''})`);
await t.cleanup();
