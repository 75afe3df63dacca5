import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { asDerivedWrites } from '../../src/db/derived-writes.js';
import { createTestDb, DIALECTS, type TestDb } from '../helpers/databases.js';
import { pinned } from '../helpers/pinning.js';

/**
 * PostgreSQL only (SQLite runs with synchronous=NORMAL throughout): on an editor's
 * synchronous connection, upkeep of derived data (asDerivedWrites) commits without waiting
 * for the WAL flush, and everything else, before and after it, stays durable.
 */
if (DIALECTS.includes('postgres')) {
  describe('derived writes on a synchronous connection (postgres)', () => {
    let t: TestDb;
    before(async () => {
      t = await createTestDb('postgres');
      await t.handle.pinning!.warm(1);
    });
    after(async () => t?.cleanup());

    const setting = async () => (await sql<{ synchronous_commit: string }>`show synchronous_commit`.execute(t.handle.db)).rows[0]!.synchronous_commit;

    it('relaxes commits for derived writes only, and never from inside a transaction a rollback would undo', async () => {
      const seen = await pinned(t.handle, async () => {
        const before = await setting();
        const derived = await asDerivedWrites(async () => {
          const inside = await setting();
          // A derived transaction that fails: the setting must not be lost or stuck with it.
          await t.handle.db
            .transaction()
            .execute(async (trx) => {
              await trx.insertInto('sections').values({ slug: 'derived-rollback', name: 'Rolled back', position: 1 }).execute();
              throw new Error('undo');
            })
            .catch(() => undefined);
          return { inside, afterRollback: await setting() };
        });
        // The article's own commit, after derived work on the same connection: durable again.
        const durableTx = await t.handle.db.transaction().execute(async (trx) => (await sql<{ synchronous_commit: string }>`show synchronous_commit`.execute(trx)).rows[0]!.synchronous_commit);
        return { before, ...derived, durableTx, after: await setting() };
      });
      assert.deepEqual(seen, { before: 'on', inside: 'off', afterRollback: 'off', durableTx: 'on', after: 'on' });
      // The connection goes back durable to the next unit of work.
      assert.equal(await pinned(t.handle, setting), 'on');
    });

    it('gives a derived transaction its setting with its BEGIN, and never switches the session for a read', async () => {
      const current = async () => (await sql<{ s: string }>`select current_setting('synchronous_commit') as s`.execute(t.handle.db)).rows[0]!.s;
      const seen = await pinned(t.handle, async () => {
        const before = await current();
        return asDerivedWrites(async () => {
          // A read inside derived work: its durability does not matter, so the session is left as it was.
          const read = await current();
          const inTransaction = await t.handle.db.transaction().execute(async (trx) => {
            await trx.insertInto('sections').values({ slug: 'derived-begin', name: 'Derived', position: 2 }).execute();
            return (await sql<{ s: string }>`select current_setting('synchronous_commit') as s`.execute(trx)).rows[0]!.s;
          });
          // SET LOCAL ended with the transaction: the session is still durable.
          return { before, read, inTransaction, afterCommit: await current() };
        });
      });
      assert.deepEqual(seen, { before: 'on', read: 'on', inTransaction: 'off', afterCommit: 'on' });
      const saved = await t.handle.db.selectFrom('sections').select('name').where('slug', '=', 'derived-begin').executeTakeFirst();
      assert.deepEqual(saved, { name: 'Derived' });
      // A durable transaction on a session left relaxed by a derived single write: durable, with its BEGIN.
      const durable = await pinned(t.handle, async () => {
        await asDerivedWrites(() => t.handle.db.updateTable('sections').set({ position: 3 }).where('slug', '=', 'derived-begin').execute());
        const relaxedSession = await current();
        const inTransaction = await t.handle.db.transaction().execute(async (trx) => (await sql<{ s: string }>`select current_setting('synchronous_commit') as s`.execute(trx)).rows[0]!.s);
        return { relaxedSession, inTransaction };
      });
      assert.deepEqual(durable, { relaxedSession: 'off', inTransaction: 'on' });
    });
  });
}
