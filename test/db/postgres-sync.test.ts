import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { CompiledQuery, sql } from 'kysely';
import pg from 'pg';
import { postgresTypes } from '../../src/db/postgres-types.js';
import { libpqModule, LibpqSyncClient } from '../../src/db/postgres-sync/libpq-client.js';
import { SyncPgClient, type SyncClient, type SyncClientOptions } from '../../src/db/postgres-sync/sync-client.js';
import { SyncConnection } from '../../src/db/postgres-sync/sync-connection.js';
import { openSyncClient } from '../../src/db/postgres-sync/sync-driver.js';
import { writeBehind } from '../../src/db/write-behind.js';
import { inputErrorOf } from '../../src/http/plugins/input-errors.js';
import { createTestDb, POSTGRES_URL, type TestDb } from '../helpers/databases.js';
import { pinned } from '../helpers/pinning.js';

/**
 * Issue 10 item 10: on PostgreSQL a state-changing request's kept connection answers
 * synchronously (a worker thread owns the pg client, the main thread waits with
 * Atomics.wait), so the request's statements run within one event-loop turn, as on SQLite.
 * PostgreSQL only: SQLite's driver is synchronous already.
 */
const skip = (driver: 'libpq' | 'worker') => (!POSTGRES_URL ? 'no PostgreSQL server' : driver === 'libpq' && !libpqModule() ? 'the libpq package is not installed (apt-get install -y libpq-dev, then npm ci)' : false);

// Both transports (DB_SYNC_DRIVER): libpq in the main thread, and the worker thread's pg client.
for (const driver of ['libpq', 'worker'] as const)
describe(`synchronous PostgreSQL connections, ${driver} (postgres)`, { skip: skip(driver) }, () => {
  let t: TestDb;
  const newClient = (url: string, options: SyncClientOptions) => openSyncClient(url, options, driver);
  const Client = (driver === 'libpq' ? LibpqSyncClient : SyncPgClient) as unknown as { prototype: SyncClient };
  before(async () => {
    t = await createTestDb('postgres', { open: { syncDriver: driver } });
    // Until a synchronous connection's worker has started and connected, units use the pool.
    await t.handle.pinning!.warm(1);
  });
  after(async () => t?.cleanup());

  const sectionCount = async (slug: string) => (await t.handle.db.selectFrom('sections').select('id').where('slug', '=', slug).execute()).length;

  it('runs a unit of work\'s statements without giving up the event loop between them', async () => {
    let turns = 0;
    const ticker = setInterval(() => turns++, 0);
    try {
      // A stall of the whole machine (a full suite beside browser tests) can push statements past
      // the blocking budget; a pooled connection takes a turn per statement every time. Best of 3.
      const attempt = (n: number) =>
        pinned(t.handle, async () => {
          const start = turns;
          const { id } = await t.handle.db.insertInto('sections').values({ slug: `sync-turns-${n}`, name: 'Turns', position: 50 }).returning('id').executeTakeFirstOrThrow();
          for (let i = 0; i < 30; i++) await t.handle.db.updateTable('sections').set({ position: i }).where('id', '=', id).execute();
          const rows = await t.handle.db.selectFrom('sections').select(['name', 'position']).where('id', '=', id).execute();
          return { id, rows, turns: turns - start };
        });
      const tries = [await attempt(1)];
      while (tries.length < 3 && tries.at(-1)!.turns > 3) {
        // A unit takes the pool when no synchronous connection is ready yet (one still starting): wait for them.
        await t.handle.pinning!.warm(2);
        tries.push(await attempt(tries.length + 1));
      }
      const { id, rows } = tries.at(-1)!;
      // A pooled connection needs a turn per statement (about 32 here); a synchronous one none,
      // except for a statement that outlasts the blocking budget (DB_SYNC_BLOCK_MS, 20 ms) on a
      // loaded machine, which is awaited asynchronously: a few of those are allowed, not 32.
      assert.ok(tries.at(-1)!.turns <= 3, `32 statements took ${tries.map((x) => x.turns).join(', ')} event-loop turns in ${tries.length} tries (a pooled connection needs one per statement)`);
      assert.deepEqual(rows, [{ name: 'Turns', position: 29 }]);
      // Outside a unit of work statements use the pool, asynchronously, as before.
      const start = turns;
      await t.handle.db.selectFrom('sections').select('id').where('id', '=', id).execute();
      await new Promise((r) => setTimeout(r, 5));
      assert.ok(turns > start);
    } finally {
      clearInterval(ticker);
    }
  });

  it('commits a transaction on the kept connection, and rolls it back when its work fails', async () => {
    await pinned(t.handle, () =>
      t.handle.db.transaction().execute(async (trx) => {
        await trx.insertInto('sections').values({ slug: 'sync-committed', name: 'Committed', position: 51 }).execute();
        assert.equal((await trx.selectFrom('sections').select('id').where('slug', '=', 'sync-committed').execute()).length, 1);
      }),
    );
    assert.equal(await sectionCount('sync-committed'), 1, 'committed: a pooled connection sees the row');

    const failed = await pinned(t.handle, () =>
      t.handle.db
        .transaction()
        .execute(async (trx) => {
          await trx.insertInto('sections').values({ slug: 'sync-rolled-back', name: 'Rolled back', position: 52 }).execute();
          // A unique violation inside the transaction: PostgreSQL aborts it, Kysely rolls back.
          await trx.insertInto('sections').values({ slug: 'sync-committed', name: 'Duplicate', position: 53 }).execute();
        })
        .then(
          () => null,
          (err: unknown) => err,
        ),
    );
    assert.ok(failed instanceof Error, 'the duplicate failed the transaction');
    assert.equal(await sectionCount('sync-rolled-back'), 0, 'rolled back: the first insert is gone');
    // The connection went back usable (not stuck in an aborted transaction).
    const after = await pinned(t.handle, async () => Number((await sql<{ n: number }>`select 1 + 1 as n`.execute(t.handle.db)).rows[0]!.n));
    assert.equal(after, 2);
  });

  /** Round trips to the worker (and so to the server) while `work` runs. */
  const roundTrips = async <T>(work: () => Promise<T>): Promise<{ result: T; trips: number }> => {
    const query = Client.prototype.query;
    const many = Client.prototype.queryMany;
    let trips = 0;
    Client.prototype.query = function counted(this: SyncClient, ...args: Parameters<typeof query>) {
      trips++;
      return query.apply(this, args);
    };
    if (many) {
      Client.prototype.queryMany = function counted(this: SyncClient, ...args: Parameters<NonNullable<typeof many>>) {
        trips++;
        return many.apply(this, args);
      };
    }
    try {
      const result = await pinned(t.handle, work);
      return { result, trips };
    } finally {
      Client.prototype.query = query;
      if (many) Client.prototype.queryMany = many;
    }
  };

  it('sends a transaction\'s BEGIN and its write-behind statements with the next statement, in one round trip', async () => {
    const { result: id, trips } = await roundTrips(() =>
      t.handle.db.transaction().execute(async (trx) => {
        const { id } = await trx.insertInto('sections').values({ slug: 'behind-1', name: 'Behind', position: 60 }).returning('id').executeTakeFirstOrThrow();
        await writeBehind(() => trx.updateTable('sections').set({ name: 'Behind, renamed' }).where('id', '=', id).execute());
        await writeBehind(() => trx.insertInto('sections').values({ slug: 'behind-2', name: 'Behind too', position: 61 }).execute());
        return id;
      }),
    );
    // BEGIN + INSERT … RETURNING, then UPDATE + INSERT + COMMIT: two round trips instead of five.
    assert.equal(trips, 2);
    const rows = await t.handle.db.selectFrom('sections').select(['slug', 'name']).where('slug', 'in', ['behind-1', 'behind-2']).orderBy('slug').execute();
    assert.deepEqual(rows, [
      { slug: 'behind-1', name: 'Behind, renamed' },
      { slug: 'behind-2', name: 'Behind too' },
    ]);
    // A read in the transaction sees what was written behind before it (it goes after it, in the same round trip).
    const { result: seen, trips: readTrips } = await roundTrips(() =>
      t.handle.db.transaction().execute(async (trx) => {
        await writeBehind(() => trx.updateTable('sections').set({ position: 62 }).where('id', '=', id).execute());
        return (await trx.selectFrom('sections').select('position').where('id', '=', id).executeTakeFirstOrThrow()).position;
      }),
    );
    assert.deepEqual({ seen, readTrips }, { seen: 62, readTrips: 2 });
    // Outside a transaction nothing is held back: the write is done when it resolves.
    const { trips: alone } = await roundTrips(async () => {
      await writeBehind(() => t.handle.db.updateTable('sections').set({ position: 63 }).where('id', '=', id).execute());
      assert.equal((await t.handle.db.selectFrom('sections').select('position').where('id', '=', id).executeTakeFirstOrThrow()).position, 63);
    });
    assert.equal(alone, 2);
  });

  it('raises a write-behind statement\'s own error at the next statement, and rolls the whole transaction back', async () => {
    for (const next of ['commit', 'read'] as const) {
      const failed = await pinned(t.handle, () =>
        t.handle.db.transaction().execute(async (trx) => {
          await trx.insertInto('sections').values({ slug: `behind-undone-${next}`, name: 'Undone', position: 64 }).execute();
          // A duplicate slug: held back, so nothing fails yet.
          await writeBehind(() => trx.insertInto('sections').values({ slug: 'behind-1', name: 'Duplicate', position: 65 }).execute());
          if (next === 'read') await trx.selectFrom('sections').select('id').execute();
        }),
      ).then(
        () => null,
        (err: unknown) => err as { code?: string; constraint?: string },
      );
      // The duplicate's own error (not "current transaction is aborted", nor a COMMIT answered ROLLBACK), so it maps as before.
      assert.equal(failed?.code, '23505', `${next}: ${String(failed)}`);
      assert.match(failed?.constraint ?? '', /slug/);
      assert.equal(await sectionCount(`behind-undone-${next}`), 0, `${next}: rolled back, the first insert is gone`);
    }
    const after = await pinned(t.handle, async () => Number((await sql<{ n: number }>`select 1 + 1 as n`.execute(t.handle.db)).rows[0]!.n));
    assert.equal(after, 2, 'the connection is usable again');
  });

  it('drops what was held back when the transaction rolls back, and needs no round trip when the server never saw it', async () => {
    const undo = new Error('undo');
    const { trips } = await roundTrips(() =>
      t.handle.db
        .transaction()
        .execute(async (trx) => {
          await writeBehind(() => trx.insertInto('sections').values({ slug: 'behind-dropped', name: 'Dropped', position: 66 }).execute());
          throw undo;
        })
        .catch((err: unknown) => assert.equal(err, undo)),
    );
    assert.equal(trips, 0, 'BEGIN, the insert and ROLLBACK never left the process');
    assert.equal(await sectionCount('behind-dropped'), 0);
    // Once the transaction reached the server, a ROLLBACK is sent (what is still held back is dropped).
    const { trips: sent } = await roundTrips(() =>
      t.handle.db
        .transaction()
        .execute(async (trx) => {
          await trx.insertInto('sections').values({ slug: 'behind-dropped', name: 'Dropped', position: 67 }).execute();
          await writeBehind(() => trx.insertInto('sections').values({ slug: 'behind-dropped-2', name: 'Dropped', position: 68 }).execute());
          throw undo;
        })
        .catch((err: unknown) => assert.equal(err, undo)),
    );
    assert.equal(sent, 2);
    assert.equal((await sectionCount('behind-dropped')) + (await sectionCount('behind-dropped-2')), 0);
    const inTransaction = await pinned(t.handle, async () => (await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where pid = pg_backend_pid() and xact_start is not null and state = 'idle in transaction'`.execute(t.handle.db)).rows[0]!.n);
    assert.equal(inTransaction, 0);
  });

  it('keeps PostgreSQL error fields, so errors map to the same answers as with the pool', async () => {
    const duplicate = await pinned(t.handle, () => t.handle.db.insertInto('sections').values({ slug: 'sync-committed', name: 'Again', position: 54 }).execute()).catch((e: unknown) => e);
    const dup = duplicate as { code?: string; constraint?: string; detail?: string; severity?: string; table?: string };
    assert.equal(dup.code, '23505');
    assert.match(dup.constraint ?? '', /slug/);
    assert.match(dup.detail ?? '', /sync-committed/);
    assert.equal(dup.table, 'sections');
    assert.equal(dup.severity, 'ERROR');

    const nul = await pinned(t.handle, () => t.handle.db.insertInto('sections').values({ slug: 'nul', name: 'a\u0000b', position: 55 }).execute()).catch((e: unknown) => e);
    assert.equal((nul as { code?: string }).code, '22021');
    assert.equal(inputErrorOf(nul)?.code, 'BAD_REQUEST', 'a NUL byte is still an input error (400), not a 500');
  });

  it('does not block the process while a statement waits for a lock held elsewhere in it', async () => {
    const { id } = await t.handle.db.insertInto('sections').values({ slug: 'sync-locked', name: 'Locked', position: 56 }).returning('id').executeTakeFirstOrThrow();
    let releaseLock!: () => void;
    const lockHeld = new Promise<void>((resolve) => {
      const holder = t.handle.db.transaction().execute(async (trx) => {
        await trx.selectFrom('sections').select('id').where('id', '=', id).forUpdate().execute();
        resolve();
        await new Promise<void>((r) => (releaseLock = r));
      });
      void holder;
    });
    await lockHeld;
    // The pool's transaction needs this event loop to commit; a connection that blocked it until answered would deadlock.
    setTimeout(() => releaseLock(), 100);
    const started = performance.now();
    await pinned(t.handle, () => t.handle.db.updateTable('sections').set({ name: 'Locked, then updated' }).where('id', '=', id).execute());
    assert.ok(performance.now() - started < 10_000, 'the update waited for the lock, not for a timeout');
    const [row] = await t.handle.db.selectFrom('sections').select('name').where('id', '=', id).execute();
    assert.equal(row!.name, 'Locked, then updated');
  });

  it('fails a statement that runs too long, without blocking the event loop meanwhile, and stays usable', async () => {
    const client = newClient(POSTGRES_URL, { blockMs: 20, queryTimeoutMs: 300, connectTimeoutMs: 5000 });
    try {
      await client.query('select 1', []);
      let turns = 0;
      const ticker = setInterval(() => turns++, 10);
      const started = performance.now();
      const err = await Promise.resolve()
        .then(() => client.query('select pg_sleep(5)', []))
        .then(
          () => null,
          (e: unknown) => e as { code?: string },
        );
      clearInterval(ticker);
      assert.equal(err?.code, '57014', 'PostgreSQL cancelled it (statement timeout)');
      assert.ok(performance.now() - started < 3000);
      assert.ok(turns >= 5, `the event loop kept turning while the statement ran (${turns} ticks)`);
      const again = client.query('select 2 as n', []);
      assert.deepEqual((again instanceof Promise ? await again : again).rows, [{ n: 2 }]);
    } finally {
      await client.close();
    }
  });

  it('gives up on a server that never answers, with an error, and refuses further statements', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    const client = newClient(`postgres://nobody@127.0.0.1:${port}/none`, { blockMs: 20, queryTimeoutMs: 200, connectTimeoutMs: 60_000 });
    try {
      const started = performance.now();
      const err = await Promise.resolve()
        .then(() => client.query('select 1', []))
        .then(
          () => null,
          (e: unknown) => e as Error,
        );
      assert.match(err?.message ?? '', /did not answer within/);
      assert.ok(performance.now() - started < 10_000);
      assert.equal(client.usable, false);
      assert.throws(() => client.query('select 1', []));
    } finally {
      await client.close();
      for (const s of sockets) s.destroy();
      silent.close();
    }
  });

  /** A statement's answer, whether the client answered at once or later. */
  const ask = async (client: SyncClient, text: string, params: unknown[] = []) => {
    const answer = client.query(text, params);
    return answer instanceof Promise ? await answer : answer;
  };

  it('pipelines the statements it held back with the next one: one answer, the first error', async () => {
    const client = newClient(POSTGRES_URL, { blockMs: 1000, queryTimeoutMs: 5000, connectTimeoutMs: 5000 });
    try {
      await ask(client, 'create temp table sync_held (n int primary key)');
      client.hold('begin', []);
      for (let n = 1; n <= 3; n++) client.hold('insert into sync_held values ($1)', [n]);
      assert.equal(client.holding, 4);
      assert.deepEqual((await ask(client, 'select count(*)::int as n from sync_held')).rows, [{ n: 3 }]);
      assert.equal(client.holding, 0);
      await ask(client, 'commit');
      // The second held statement fails: its error is the answer, and what follows it does not run.
      client.hold('begin', []);
      client.hold('insert into sync_held values ($1)', [4]);
      client.hold('insert into sync_held values ($1)', [1]);
      client.hold('insert into sync_held values ($1)', [5]);
      await assert.rejects(ask(client, 'commit'), (err: { code?: string; detail?: string }) => err.code === '23505' && /\(n\)=\(1\)/.test(err.detail ?? ''));
      assert.deepEqual((await ask(client, 'select array_agg(n order by n) as ns from sync_held')).rows, [{ ns: [1, 2, 3] }]);
    } finally {
      await client.close();
    }
  });

  // libpq sends them pipelined (queryMany); the worker's client has no batch and sends them one by one.
  const batched = (reads: number) => (driver === 'libpq' ? 1 : reads);

  it('sends a unit\'s concurrent reads in one round trip, each with its own answer', async () => {
    const db = t.handle.db;
    await db.insertInto('sections').values([{ slug: 'together-a', name: 'Together A', position: 70 }, { slug: 'together-b', name: 'Together B', position: 71 }]).execute();
    const { result, trips } = await roundTrips(() =>
      Promise.all([
        db.selectFrom('sections').select('name').where('slug', '=', 'together-a').execute(),
        db.selectFrom('sections').select('name').where('slug', '=', 'together-b').execute(),
        sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db),
        sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db),
      ]),
    );
    const [a, b, pid1, pid2] = result;
    assert.deepEqual([a, b], [[{ name: 'Together A' }], [{ name: 'Together B' }]]);
    assert.equal(pid1.rows[0]!.pid, pid2.rows[0]!.pid, 'on the unit\'s own connection');
    assert.equal(trips, batched(4));
    // One read alone still goes at once, answered in the same turn.
    const alone = await roundTrips(() => db.selectFrom('sections').select('name').where('slug', '=', 'together-a').execute());
    assert.deepEqual(alone, { result: [{ name: 'Together A' }], trips: 1 });
  });

  it('answers each read of a batch with its own error, and the others with their rows', async () => {
    const db = t.handle.db;
    const { result, trips } = await roundTrips(() =>
      Promise.allSettled([
        sql`select 1 / 0 as never`.execute(db),
        sql<{ three: number }>`select 3 as three`.execute(db),
        db.selectFrom('sections').select('id').where('slug', '=', 'nul\u0000inside').execute(),
        sql<{ four: number }>`select ${4}::int as four`.execute(db),
      ]),
    );
    const [zero, three, nul, four] = result;
    assert.equal(zero.status === 'rejected' && (zero.reason as { code?: string }).code, '22012');
    assert.deepEqual(three.status === 'fulfilled' && three.value.rows, [{ three: 3 }]);
    assert.equal(nul.status === 'rejected' && (nul.reason as { code?: string }).code, '22021');
    assert.deepEqual(four.status === 'fulfilled' && four.value.rows, [{ four: 4 }]);
    assert.equal(trips, batched(4));
    // The connection is still the unit's, and clean.
    assert.deepEqual((await roundTrips(() => sql<{ ok: number }>`select 1 as ok`.execute(db))).result.rows, [{ ok: 1 }]);
  });

  it('keeps a concurrent write and a concurrent transaction out of the batch, and reads outside the transaction do not see it', async () => {
    const db = t.handle.db;
    const { id } = await db.insertInto('sections').values({ slug: 'together-w', name: 'Before', position: 72 }).returning('id').executeTakeFirstOrThrow();
    const count = (slug: string) => db.selectFrom('sections').select('id').where('slug', '=', slug).execute().then((rows) => rows.length);
    const { result } = await roundTrips(() =>
      Promise.all([
        count('together-t'),
        db.transaction().execute(async (trx) => {
          await trx.insertInto('sections').values({ slug: 'together-t', name: 'In a transaction', position: 73 }).execute();
          return trx.selectFrom('sections').select('id').where('slug', '=', 'together-t').execute().then((rows) => rows.length);
        }),
        db.updateTable('sections').set({ name: 'After' }).where('id', '=', id).execute().then((r) => Number(r[0]!.numUpdatedRows)),
        count('together-t'),
      ]),
    );
    const [before, inside, updated] = result;
    assert.deepEqual([before, inside, updated], [0, 1, 1]);
    assert.equal(await count('together-t'), 1, 'the transaction committed');
    assert.equal((await db.selectFrom('sections').select('name').where('id', '=', id).executeTakeFirstOrThrow()).name, 'After');
    assert.equal(t.handle.pinning!.pinned, 0, 'the unit handed its connection back');
  });

  it('does not hold a read back for a party that never sends: it goes by the end of the event-loop turn', async () => {
    const connection = new SyncConnection(newClient(POSTGRES_URL, { blockMs: 1000, queryTimeoutMs: 5000, connectTimeoutMs: 5000 }));
    try {
      await connection.executeQuery(CompiledQuery.raw('select 1'));
      connection.claim(); // the holder takes the connection, then awaits something else
      const shared = connection.share(() => Promise.reject(new Error('not diverted')), async () => undefined);
      const answered = shared.executeQuery<{ one: number }>(CompiledQuery.raw('select 1 as one'));
      assert.deepEqual((await answered).rows, [{ one: 1 }]);
      await shared.release();
      connection.released();
    } finally {
      await connection.client.close();
    }
  });

  it('prepares each statement text once per connection, and no more than 500 of them', async () => {
    const client = newClient(POSTGRES_URL, { blockMs: 1000, queryTimeoutMs: 5000, connectTimeoutMs: 5000 });
    try {
      const prepared = async (text: string) => ((await ask(client, 'select count(*)::int as n from pg_prepared_statements where statement = $1', [text])).rows[0] as { n: number }).n;
      const text = 'select $1::int + 1 as x';
      for (let i = 0; i < 3; i++) assert.deepEqual((await ask(client, text, [i])).rows, [{ x: i + 1 }]);
      assert.equal(await prepared(text), 1, 'three calls, one prepared statement');
      // Statements without parameters (BEGIN, COMMIT) are not prepared.
      await ask(client, 'select 7 as seven');
      assert.equal(await prepared('select 7 as seven'), 0);
      // Many distinct texts (an IN list of every length): each still answers, the server keeps at most 500.
      for (let i = 0; i < 520; i++) assert.deepEqual((await ask(client, `select $1::int + ${i} as x`, [1])).rows, [{ x: i + 1 }]);
      const total = (await ask(client, 'select count(*)::int as n from pg_prepared_statements where $1::int = 1', [1])).rows[0] as { n: number };
      assert.ok(total.n <= 500, `${total.n} statements prepared on one connection`);
    } finally {
      await client.close();
    }
  });

  it('runs a prepared select again after its table\'s columns changed (a migration by another process)', async () => {
    const client = newClient(POSTGRES_URL, { blockMs: 1000, queryTimeoutMs: 5000, connectTimeoutMs: 5000 });
    try {
      await ask(client, 'create temp table sync_columns (id int primary key)');
      await ask(client, 'insert into sync_columns values (1)');
      const read = 'select * from sync_columns where id = $1';
      assert.deepEqual((await ask(client, read, [1])).rows, [{ id: 1 }]);
      await ask(client, "alter table sync_columns add column note text default 'added'");
      assert.deepEqual((await ask(client, read, [1])).rows, [{ id: 1, note: 'added' }], 'outside a transaction it runs again at once');
      // Inside a transaction PostgreSQL's refusal aborts the transaction: it fails, and the next use works.
      await ask(client, "alter table sync_columns add column more text default 'more'");
      await ask(client, 'begin');
      await assert.rejects(ask(client, read, [1]), (err: { code?: string }) => err.code === '0A000');
      await ask(client, 'rollback');
      assert.deepEqual((await ask(client, read, [1])).rows, [{ id: 1, note: 'added', more: 'more' }]);
    } finally {
      await client.close();
    }
  });

  it('reads every column type as the pool does, and sends every parameter type as pg does', async () => {
    const client = newClient(POSTGRES_URL, { blockMs: 1000, queryTimeoutMs: 5000, connectTimeoutMs: 5000 });
    try {
      const text = `select $1::int8 as big, $2::numeric as num, $3::timestamptz as at, $4::bytea as bytes, $5::jsonb as doc,
        $6::text[] as tags, $7::bool as flag, $8::text as nothing, $9::text as arabic, $10::float8 as ratio, 'x'::text as same, 'y'::text as same`;
      const params = [9007199254740991, '12.5', new Date('2026-11-27T05:00:00.123Z'), Buffer.from([0, 1, 254, 255]), JSON.stringify({ a: [1, 'ب'] }), ['a', 'b,c', 'd"e', null], true, null, 'قصير الإسلامية', 0.1];
      const reference = new pg.Client({ connectionString: POSTGRES_URL, types: postgresTypes as never });
      await reference.connect();
      const [fromPool] = (await reference.query(text, params).finally(() => reference.end())).rows;
      const [row] = (await ask(client, text, params)).rows as Record<string, unknown>[];
      assert.deepEqual({ ...row, bytes: [...(row!.bytes as Uint8Array)] }, { ...(fromPool as Record<string, unknown>), bytes: [0, 1, 254, 255] });
      assert.equal(row!.big, 9007199254740991);
      assert.equal((row!.at as Date).toISOString(), '2026-11-27T05:00:00.123Z');
      assert.deepEqual(row!.tags, ['a', 'b,c', 'd"e', null]);
      const answer = await ask(client, 'select n from generate_series(1, 3) n');
      assert.deepEqual({ command: answer.command, rowCount: answer.rowCount }, { command: 'SELECT', rowCount: 3 });
    } finally {
      await client.close();
    }
  });

  it('refuses a NUL in a text parameter as PostgreSQL does (22021), and stores nothing cut short', async () => {
    const client = newClient(POSTGRES_URL, { blockMs: 1000, queryTimeoutMs: 5000, connectTimeoutMs: 5000 });
    try {
      await ask(client, 'create temp table sync_nul (t text)');
      await assert.rejects(ask(client, 'insert into sync_nul values ($1)', ['before\0after']), (err: { code?: string }) => err.code === '22021');
      assert.deepEqual((await ask(client, 'select count(*)::int as n from sync_nul')).rows, [{ n: 0 }]);
      assert.equal(inputErrorOf(await ask(client, 'select $1::text as t', ['x\0']).catch((e: unknown) => e))?.status, 400);
    } finally {
      await client.close();
    }
  });

  it('sends a statement larger than the socket buffer whole (a 2,000,000-character body)', async () => {
    const client = newClient(POSTGRES_URL, { blockMs: 1000, queryTimeoutMs: 10_000, connectTimeoutMs: 5000 });
    try {
      const body = 'نص '.repeat(666_667).slice(0, 2_000_000);
      const { rows } = await ask(client, 'select length($1::text) as chars, md5($1::text) as hash', [body]);
      const { createHash } = await import('node:crypto');
      assert.deepEqual(rows, [{ chars: 2_000_000, hash: createHash('md5').update(body).digest('hex') }]);
    } finally {
      await client.close();
    }
  });

  it('fails a statement when PostgreSQL ends the connection, and is not used again', async () => {
    const client = newClient(POSTGRES_URL, { blockMs: 1000, queryTimeoutMs: 5000, connectTimeoutMs: 5000 });
    try {
      const { rows } = await ask(client, 'select pg_backend_pid() as pid');
      await sql`select pg_terminate_backend(${(rows[0] as { pid: number }).pid})`.execute(t.handle.db);
      await assert.rejects(ask(client, 'select 1'));
      // The worker's thread ends just after its connection (its pool then discards it); libpq's client at once.
      for (let i = 0; i < 100 && client.usable; i++) await new Promise((r) => setTimeout(r, 20));
      assert.equal(client.usable, false);
    } finally {
      await client.close();
    }
  });

  it('closes its connections with the database, so the process ends by itself', () => {
    const url = new URL(POSTGRES_URL);
    const script = `
      import { openDatabase } from './src/db/database.ts';
      import { CompiledQuery, sql } from 'kysely';
      const handle = openDatabase(${JSON.stringify(url.toString())}, { poolSize: 4, syncDriver: ${JSON.stringify(driver)} });
      await handle.pinning.warm(1);
      let done;
      const release = handle.pinning.enter(() => { done = sql\`select pg_backend_pid() as pid\`.execute(handle.db); });
      const { rows } = await done;
      release();
      console.log('pid', rows[0].pid);
      await handle.close();
    `;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: process.cwd(), timeout: 30_000, encoding: 'utf8' });
    assert.equal(child.signal, null, `the process had to be killed: it did not end by itself (${child.stderr})`);
    assert.equal(child.status, 0, child.stderr);
    assert.match(child.stdout, /pid \d+/);
  });
});
