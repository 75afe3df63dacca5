import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeArticle, makeSection } from '../helpers/factories.js';
import { login, makeUser, type Client } from '../helpers/newsroom.js';
import { ensureStopped, startServe, type ServeProcess } from '../helpers/processes.js';
import { PG_SERVER_AVAILABLE, startPgReplicaPair, type PgReplicaPair } from '../helpers/pg-replica.js';
import { ReadRouting } from '../../src/db/read-routing.js';
import { parseLsn, ReplicaSet } from '../../src/db/replica-set.js';

const MAX_LAG_MS = 3000;
const CHECK_MS = 100;

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Read replicas need a real streaming standby: a private primary/replica pair (PostgreSQL only). */
if (PG_SERVER_AVAILABLE) {
  describe('read replicas on postgres (a real streaming replica)', () => {
    let pair: PgReplicaPair;
    let t: TestApp;
    let set: ReplicaSet;
    let editor: Client;
    let primary: pg.Client;
    let section: number;

    const replica = () => set.replicas[0]!;
    const replicaReads = () => replica().reads;
    const publicHeadline = async (id: number, headers: Record<string, string> = {}) => {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/articles/${id}`, headers });
      assert.equal(res.statusCode, 200, res.body);
      return res.json().headline as string;
    };
    const newsroomHeadline = async (id: number) => {
      const res = await editor.get(`/api/admin/articles/${id}`);
      assert.equal(res.statusCode, 200, res.body);
      return res.json().headline as string;
    };
    /** A change made straight on the primary: no purge, no read-after cookie (what a lagging replica hides). */
    const writeOnPrimary = async (id: number, headline: string) => {
      await primary.query('update articles set headline = $1 where id = $2', [headline, id]);
      return (await primary.query<{ lsn: string }>('select pg_current_wal_lsn()::text as lsn')).rows[0]!.lsn;
    };
    const caughtUp = async () => {
      await pair.waitForReplay();
      await set.check();
      await until('the replica is in the rotation', () => replica().healthy);
    };

    /** Once the replica has caught up, a public read of the article is answered by it. */
    const servedByReplica = async (id: number, headline: string, message: string) => {
      await caughtUp();
      const readsBefore = replicaReads();
      assert.equal(await publicHeadline(id), headline);
      assert.ok(replicaReads() > readsBefore, message);
    };
    /** An editor's save through the admin API (a published article: it purges its pages). */
    const saveHeadline = async (id: number, headline: string) => {
      const current = await editor.get(`/api/admin/articles/${id}`);
      const saved = await editor.put(`/api/admin/articles/${id}`, { baseRevision: current.json().revision, headline });
      assert.equal(saved.statusCode, 200, saved.body);
      return saved;
    };

    /** A published article the replica has applied, then `work` with replay paused (resumed after, also on failure). */
    const withReplayPaused = async (headline: string, work: (id: number) => Promise<void>) => {
      const id = await makeArticle(t, section, { headline });
      await caughtUp();
      await pair.pauseReplay();
      try {
        await work(id);
      } finally {
        await pair.resumeReplay();
      }
      return id;
    };

    before(async () => {
      pair = await startPgReplicaPair();
      t = await createTestApp('postgres', {}, undefined, {
        database: { url: pair.primaryUrl, open: { replicas: { urls: [pair.replicaUrl], maxLagMs: MAX_LAG_MS, checkMs: CHECK_MS } } },
      });
      set = t.handle.routing!.replicas;
      set.log = () => undefined;
      primary = new pg.Client({ connectionString: pair.primaryUrl });
      await primary.connect();
      section = await makeSection(t, 'world', 'World');
      editor = await login(t.app, await makeUser(t, 'editor'));
      await caughtUp();
    });
    after(async () => {
      await primary?.end().catch(() => undefined);
      await t?.cleanup();
      await pair?.stop();
    });

    test('public pages, the content API, search and feeds read from the replica; the newsroom reads the primary', async () => {
      const id = await makeArticle(t, section, { headline: 'Harbour reopens after the storm', bodyHtml: '<p>Ferries sail again.</p>' });
      await caughtUp();
      const primaryBefore = set.primaryReads;
      for (const url of [`/api/v1/articles/${id}`, `/news/${id}`, '/api/v1/search?q=harbour', '/search?q=harbour', '/feeds/rss.xml', '/sitemap.xml', '/']) {
        const readsBefore = replicaReads();
        const res = await t.app.inject({ method: 'GET', url });
        assert.ok(res.statusCode < 400, `${url}: ${res.statusCode}`);
        assert.ok(replicaReads() > readsBefore, `${url} read from the replica`);
      }
      assert.equal(set.primaryReads, primaryBefore, 'no public read went to the primary');
      const search = await t.app.inject({ method: 'GET', url: '/api/v1/search?q=harbour' });
      assert.ok(JSON.stringify(search.json()).includes('Harbour reopens'), search.body);

      const readsBefore = replicaReads();
      assert.equal(await newsroomHeadline(id), 'Harbour reopens after the storm');
      assert.equal(replicaReads(), readsBefore, 'the admin API never reads from a replica');
    });

    test('with replay paused the public site shows the replica’s state, the newsroom its own writes; past the lag bound the public falls back to the primary', async () => {
      const id = await withReplayPaused('Bridge vote set for Tuesday', async (id) => {
        const lsn = await writeOnPrimary(id, 'Bridge vote moved to Thursday');
        assert.equal(await newsroomHeadline(id), 'Bridge vote moved to Thursday', 'the newsroom sees the write at once');
        assert.equal(await publicHeadline(id), 'Bridge vote set for Tuesday', 'the public read came from the paused replica');
        const page = await t.app.inject({ method: 'GET', url: `/news/${id}` });
        assert.match((await t.app.inject({ method: 'GET', url: page.headers.location as string })).body, /Bridge vote set for Tuesday/);
        // A browser that wrote (the read-after cookie) reads only from a replica that applied its write: the primary here.
        assert.equal(await publicHeadline(id, { cookie: `dateline_read_after=${encodeURIComponent(lsn)}` }), 'Bridge vote moved to Thursday');

        await until('the paused replica leaves the rotation', () => !replica().healthy, MAX_LAG_MS * 4);
        assert.ok(replica().lagMs > MAX_LAG_MS);
        const primaryBefore = set.primaryReads;
        assert.equal(await publicHeadline(id), 'Bridge vote moved to Thursday', 'past the bound the public reads the primary');
        assert.ok(set.primaryReads > primaryBefore);
      });
      await servedByReplica(id, 'Bridge vote moved to Thursday', 're-admitted: public reads use the replica again');
    });

    test('an edit through the admin API is visible at once to the newsroom and on the public site, and sets the read-after cookie', async () => {
      await withReplayPaused('Council approves budget', async (id) => {
        const saved = await saveHeadline(id, 'Council rejects budget');
        const cookie = saved.cookies.find((c) => c.name === 'dateline_read_after');
        assert.ok(cookie, 'a newsroom write answers with the read-after cookie');
        assert.match(decodeURIComponent(cookie.value), /^[0-9A-F]+\/[0-9A-F]+$/);
        assert.equal(await newsroomHeadline(id), 'Council rejects budget');
        // The publish purged the article's pages: public reads need a replica that applied it, so the primary answers.
        assert.equal(await publicHeadline(id), 'Council rejects budget');
      });
    });

    test('process-wide snapshots (sections, content types) load from the primary even when a public request asks first', async () => {
      await withReplayPaused('Science desk opens', async () => {
        await makeSection(t, 'science', 'Science');
        const res = await t.app.inject({ method: 'GET', url: '/' });
        assert.equal(res.statusCode, 200);
        assert.ok((await t.services.catalog.current()).sectionsBySlug.has('science'), 'the newsroom’s new section is in the shared snapshot');
      });
    });

    test('a write or transaction inside a public request runs on the primary', async () => {
      await caughtUp();
      const routing = t.handle.routing!;
      const count = await routing.publicReads(0n, async () => {
        await t.handle.db.transaction().execute(async (trx) => {
          await sql`create table if not exists replica_probe (n integer)`.execute(trx);
          await sql`insert into replica_probe values (1)`.execute(trx);
        });
        await sql`insert into replica_probe values (2)`.execute(t.handle.db);
        // After a write the same work keeps reading the primary (it must see what it wrote).
        return (await sql<{ n: number }>`select count(*)::int as n from replica_probe`.execute(t.handle.db)).rows[0]!.n;
      });
      assert.equal(count, 2);
    });

    test('stopping the replica changes nothing a reader sees; started again, it is used again', async () => {
      const id = await makeArticle(t, section, { headline: 'Airport strike called off' });
      await caughtUp();
      const urls = [`/api/v1/articles/${id}`, '/api/v1/search?q=airport', '/sitemap.xml'];
      const before = await Promise.all(urls.map((url) => t.app.inject({ method: 'GET', url })));
      await pair.stopReplica();
      try {
        // At once, before any health check noticed: the failed replica reads are retried on the primary.
        for (const [i, url] of urls.entries()) {
          const res = await t.app.inject({ method: 'GET', url });
          assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
          assert.equal(res.body, before[i]!.body, url);
        }
        await until('the stopped replica leaves the rotation', () => !replica().healthy);
        assert.equal(await publicHeadline(id), 'Airport strike called off');
      } finally {
        await pair.startReplica();
      }
      await servedByReplica(id, 'Airport strike called off', 'back in the rotation');
    });

    test('a replica gone silent (not refusing) costs a reader seconds at most, then is skipped', async () => {
      const id = await makeArticle(t, section, { headline: 'Storm warning lifted' });
      await caughtUp();
      const before = await t.app.inject({ method: 'GET', url: `/api/v1/articles/${id}` });
      pair.freezeReplica(true);
      try {
        const started = Date.now();
        const res = await t.app.inject({ method: 'GET', url: `/api/v1/articles/${id}` });
        const waited = Date.now() - started;
        assert.equal(res.statusCode, 200);
        assert.equal(res.body, before.body);
        // The health check gives up after 3 s (or its new connection after 2 s) and the waiting read moves to the primary, well before the 10 s query timeout.
        assert.ok(waited < 8000, `waited ${waited} ms`);
        assert.equal(replica().healthy, false);
        assert.match(replica().reason, /^it does not answer: (no answer within 3000 ms|.*timeout)/);
      } finally {
        pair.freezeReplica(false);
      }
      await servedByReplica(id, 'Storm warning lifted', 'answering again, it is back in the rotation');
    });

    test('with the page cache: a publish is visible publicly right after its purge even while replay is paused', async () => {
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      const address = t.app.server.address();
      const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      await withReplayPaused('Rail link opens next spring', async (id) => {
        const path = (await t.app.inject({ method: 'GET', url: `/news/${id}` })).headers.location as string;
        const fetchPage = async () => {
          const res = await fetch(base + path);
          return { status: res.status, cache: res.headers.get('x-cache'), body: await res.text() };
        };
        await fetchPage();
        const warm = await fetchPage();
        assert.equal(warm.cache, 'HIT');
        assert.match(warm.body, /Rail link opens next spring/);
        await saveHeadline(id, 'Rail link delayed a year');
        assert.ok(replica().healthy, 'the paused replica is still within the lag bound');
        const rendered = await fetchPage();
        assert.equal(rendered.status, 200);
        assert.match(rendered.body, /Rail link delayed a year/, 'the re-render after the purge did not read the stale replica');
        const cached = await fetchPage();
        assert.equal(cached.cache, 'HIT');
        assert.match(cached.body, /Rail link delayed a year/, 'what the cache kept is the new page');
      });
    });

    test('another process’s purge (from the purge log) is fenced too: its re-render does not read the paused replica', async () => {
      // A lag bound the paused replica cannot pass while the purge log is read (so only the fence can keep the stale copy out).
      const other = await createTestApp('postgres', {}, undefined, {
        database: { url: pair.primaryUrl, open: { replicas: { urls: [pair.replicaUrl], maxLagMs: 60_000, checkMs: CHECK_MS } } },
      });
      other.handle.routing!.replicas.log = () => undefined;
      try {
        await other.services.pageCaching.start();
        await other.app.listen({ port: 0, host: '127.0.0.1' });
        const address = other.app.server.address();
        const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
        await until('the other process has the replica in its rotation', () => other.handle.routing!.replicas.replicas[0]!.healthy);
        await withReplayPaused('Museum reopens its doors', async (id) => {
          const path = (await other.app.inject({ method: 'GET', url: `/news/${id}` })).headers.location as string;
          await (await fetch(base + path)).text();
          assert.equal((await fetch(base + path)).headers.get('x-cache'), 'HIT');
          await saveHeadline(id, 'Museum stays closed');
          // This process purged its own cache; the other one learns of it from the purge log (every second).
          await until('the other process applied the purge', () => !other.services.pageCaching.cache!.has(path));
          assert.ok(other.handle.routing!.replicas.replicas[0]!.healthy, 'the paused replica is still within the lag bound');
          assert.match(await (await fetch(base + path)).text(), /Museum stays closed/);
        });
      } finally {
        await other.services.pageCaching.stop();
        await other.cleanup();
      }
    });

    test('a purge whose fence cannot read the primary keeps public reads off the replicas until a check can', async () => {
      await caughtUp();
      let primaryAnswers = true;
      const primaryLsn = async () => {
        if (!primaryAnswers) throw new Error('the primary does not answer');
        return parseLsn((await primary.query<{ lsn: string }>('select pg_current_wal_lsn()::text as lsn')).rows[0]!.lsn);
      };
      const own = new ReplicaSet([pair.replicaUrl], { maxLagMs: MAX_LAG_MS, checkMs: 60_000, poolSize: 1, primaryLsn });
      own.log = () => undefined;
      try {
        await own.check();
        assert.ok(await own.pick(0n), 'a caught-up replica serves');
        primaryAnswers = false;
        await new ReadRouting(own, primaryLsn).fence();
        assert.equal(await own.pick(0n), null, 'after a fence of unknown position no replica serves');
        primaryAnswers = true;
        await own.check();
        await pair.waitForReplay();
        assert.ok(await own.pick(0n), 'a check that read the primary lifts it');
      } finally {
        await own.close();
      }
    });

    test('/metrics reports each replica', async () => {
      await caughtUp();
      const res = await t.app.inject({ method: 'GET', url: '/metrics' });
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /dateline_db_replica_up\{replica="postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres"\} 1/);
      assert.match(res.body, /dateline_db_replica_reads_total\{replica="[^"]+"\} [1-9]/);
    });

    test('`dateline serve` with DATABASE_REPLICA_URLS: reads from the replica, logs it leaving and rejoining once each, readers see no difference', async () => {
      const id = await makeArticle(t, section, { headline: 'Ferry timetable changes' });
      await caughtUp();
      let serve: ServeProcess | undefined;
      try {
        serve = await startServe('replica-serve', { DATABASE_URL: pair.primaryUrl, DATABASE_REPLICA_URLS: pair.replicaUrl, DATABASE_REPLICA_CHECK_MS: '100', DATABASE_REPLICA_MAX_LAG_MS: String(MAX_LAG_MS) });
        const s = serve;
        await until('the start-up notice names the replica', () => s.lines.some((l) => l.includes(`Read replicas: ${pair.replicaUrl}`)));
        const metric = async () => /dateline_db_replica_reads_total\{replica="[^"]+"\} (\d+)/.exec(await (await fetch(`${s.base}/metrics`)).text())?.[1];
        await until('the replica is in the serving process’s rotation', async () => /dateline_db_replica_up\{[^}]+\} 1/.test(await (await fetch(`${s.base}/metrics`)).text()));
        const read = async () => {
          const res = await fetch(`${s.base}/api/v1/articles/${id}`);
          return { status: res.status, body: await res.text() };
        };
        const before = await read();
        assert.equal(before.status, 200);
        assert.ok(Number(await metric()) > 0, 'the public read was answered by the replica');
        await pair.stopReplica();
        try {
          for (let i = 0; i < 5; i++) assert.deepEqual(await read(), before);
          await until('the leave is logged', () => s.lines.some((l) => l.includes('left the rotation')));
          for (let i = 0; i < 5; i++) assert.deepEqual(await read(), before);
        } finally {
          await pair.startReplica();
        }
        await until('the return is logged', () => s.lines.some((l) => l.includes('is back in the rotation')));
        assert.equal(s.lines.filter((l) => l.includes('left the rotation')).length, 1, 'said once, not at every check');
      } finally {
        await ensureStopped(serve);
      }
    });
  });
}
