import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { CONTENT_VERSION_SLOTS } from '../../src/db/migrations/028-content-version-slots.js';
import { createTestDb, DIALECTS, type TestDb } from '../helpers/databases.js';

/**
 * PostgreSQL only (SQLite has one writer at a time): the content version has a slot per
 * connection (migration 028), so two transactions writing content at once do not wait
 * for each other's commit, and the version still changes exactly at each commit.
 */
if (DIALECTS.includes('postgres')) {
  describe('content version slots (postgres)', () => {
    let t: TestDb;
    const clients: pg.Client[] = [];
    before(async () => {
      t = await createTestDb('postgres');
    });
    after(async () => {
      await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
      await t?.cleanup();
    });

    /** Two connections whose backends write different slots (pids can share one: open another). */
    async function twoWriters(): Promise<[pg.Client, pg.Client]> {
      const bySlot = new Map<number, pg.Client>();
      while (bySlot.size < 2) {
        const client = new pg.Client({ connectionString: t.handle.description });
        await client.connect();
        clients.push(client);
        const pid = Number((await client.query('select pg_backend_pid() as pid')).rows[0].pid);
        bySlot.set(pid % CONTENT_VERSION_SLOTS, client);
      }
      return [...bySlot.values()] as [pg.Client, pg.Client];
    }

    it('two open transactions write content without waiting for each other; the version moves at each commit', async () => {
      const version = () => t.services.repos.counters.contentVersion();
      const [a, b] = await twoWriters();
      const start = await version();
      await a.query('begin');
      await a.query(`insert into sections (slug, name) values ('slot-a', 'Slot A')`);
      await b.query('begin');
      // With one counter row this insert waited for a's commit: lock_timeout makes that a failure.
      await b.query(`set local lock_timeout = '1s'`);
      await b.query(`insert into sections (slug, name) values ('slot-b', 'Slot B')`);
      assert.equal(await version(), start, 'uncommitted writes do not change the version');
      await a.query('commit');
      const afterA = await version();
      assert.ok(afterA > start, 'the first commit changed the version');
      await b.query('commit');
      assert.ok((await version()) > afterA, 'the second commit changed it again');
    });
  });
}
