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

type Driver = 'auto' | 'libpq' | 'worker';
// BENCH_AB_HOLD=1: odd stories send every held statement at once, as before pipelining (worker transport).
const abHold = process.env.BENCH_AB_HOLD === '1' && engine === 'postgres';
// BENCH_AB_DRIVER=1: two newsrooms, one per synchronous-connection transport (libpq, worker), stories alternating between them.
const abDriver = process.env.BENCH_AB_DRIVER === '1' && engine === 'postgres';
const drivers: Driver[] = abDriver ? ['libpq', 'worker'] : [abHold ? 'worker' : ((process.env.DB_SYNC_DRIVER ?? 'auto') as Driver)];
let holding = true;
let counting = false;
/** Calls that wait for the server: the worker's requests (one round trip each), libpq's round trips. */
const roundTrips = new Map<string, number>();
const { SyncPgClient } = await import('../src/db/postgres-sync/sync-client.js');
const { LibpqSyncClient } = await import('../src/db/postgres-sync/libpq-client.js');
const count = (label: string) => counting && holding && roundTrips.set(label, (roundTrips.get(label) ?? 0) + 1);
const query = SyncPgClient.prototype.query;
SyncPgClient.prototype.query = function countedQuery(sql, params, derived) {
  count('worker');
  return query.call(this, sql, params, derived);
};
const libpq = LibpqSyncClient.prototype as unknown as { roundTrip(...args: unknown[]): unknown };
const roundTrip = libpq.roundTrip;
libpq.roundTrip = function countedRoundTrip(this: unknown, ...args: unknown[]) {
  count('libpq');
  return roundTrip.apply(this, args);
};
if (abHold) {
  const hold = SyncPgClient.prototype.hold;
  SyncPgClient.prototype.hold = function maybeHold(sql, params, derived) {
    if (holding) return hold.call(this, sql, params, derived);
    const sent = this.query(sql, params, derived);
    if (sent instanceof Promise) sent.catch(() => undefined);
  };
}

type TestApp = Awaited<ReturnType<typeof createTestApp>>;
interface Newsroom {
  t: TestApp;
  editor: Awaited<ReturnType<typeof login>>;
  sectionId: number;
  label: string;
  transport: string;
  statements: number;
  times: number[];
  unheld: number[];
}
const newsrooms: Newsroom[] = [];
for (const driver of drivers) {
  const t = await createTestApp(engine, {}, undefined, { open: { syncDriver: driver } });
  await t.handle.pinning?.warm(1);
  const editor = await login(t.app, await makeUser(t, 'editor'));
  const sectionId = await makeSection(t);
  const transport = t.handle.syncDriver?.driver ?? '';
  newsrooms.push({ t, editor, sectionId, label: engine === 'postgres' ? `postgres, ${transport}${abHold ? '' : ' transport'}` : engine, transport, statements: 0, times: [], unheld: [] });
}
for (const n of newsrooms) n.t.handle.statementListeners.add(() => void (counting && n.statements++));

async function createAndPublish(newsroom: Newsroom, n: number): Promise<void> {
  const { editor, sectionId } = newsroom;
  const created = await editor.post('/api/admin/articles', { headline: `Story ${n}: markets and weather`, sectionId, bodyHtml: `<p>Story ${n}. ${'Words about markets, weather and elections. '.repeat(40)}</p>` });
  if (created.statusCode !== 201) throw new Error(`create ${created.statusCode} ${created.body}`);
  const published = await editor.post(`/api/admin/articles/${created.json().id}/transitions`, { action: 'publish' });
  if (published.statusCode !== 200) throw new Error(`publish ${published.statusCode} ${published.body}`);
}

// Warm-up: caches filled once per process, a published archive for the related engine to search.
for (const newsroom of newsrooms) for (let i = 0; i < 15; i++) await createAndPublish(newsroom, i);

// BENCH_READERS=n: n readers request the home page and the API list meanwhile, in the same process (as the soak's readers share the server).
let reading = true;
const paths = ['/', '/api/v1/articles?limit=20'];
const readers = Array.from({ length: Number(process.env.BENCH_READERS ?? 0) }, async (_, r) => {
  for (let i = r; reading; i++) await newsrooms[i % newsrooms.length]!.t.app.inject({ url: paths[i % paths.length]! });
});
counting = true;
for (let i = 0; i < stories; i++) {
  const newsroom = newsrooms[i % newsrooms.length]!;
  holding = !abHold || i % 2 === 0;
  const started = performance.now();
  await createAndPublish(newsroom, 100 + i);
  (holding ? newsroom.times : newsroom.unheld).push(performance.now() - started);
}
counting = false;
reading = false;
await Promise.all(readers);
const summary = (label: string, list: number[]) => {
  list.sort((a, b) => a - b);
  const mean = list.reduce((a, b) => a + b, 0) / list.length;
  console.log(`${label}: ${list.length} create+publish in process, mean ${mean.toFixed(1)} ms, p50 ${list[list.length >> 1]!.toFixed(1)} ms, p90 ${list[Math.floor(list.length * 0.9)]!.toFixed(1)} ms`);
};
for (const n of newsrooms) {
  const made = n.times.length + n.unheld.length;
  summary(abHold ? `${n.label}, statements held back (pipelined)` : n.label, n.times);
  if (abHold) summary(`${n.label}, each statement sent at once`, n.unheld);
  console.log(`  statements per create+publish ${(n.statements / made).toFixed(1)}`);
  if (n.transport) console.log(`  round trips per create+publish ${((roundTrips.get(n.transport) ?? 0) / n.times.length).toFixed(1)} (${n.transport === 'libpq' ? 'libpq: pipelined requests' : 'worker requests'}${abHold ? ', statements held back' : ''})`);
}
for (const n of newsrooms) await n.t.cleanup();
