import assert from 'node:assert/strict';
import type { EventEmitter } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/databases.js';
import { pinned } from '../helpers/pinning.js';
import { makeSection } from '../helpers/factories.js';
import { login, makeUser, type Client } from '../helpers/newsroom.js';

/** Issue 10 item 10: an editor's request waits for a pooled PostgreSQL connection once, not once per statement. */
for (const engine of DIALECTS) {
  describe(`connection pinning (${engine})`, () => {
    let t: TestApp;
    let editor: Client;
    let sectionId: number;
    before(async () => {
      t = await createTestApp(engine);
      editor = await login(t.app, await makeUser(t, 'editor'));
      sectionId = await makeSection(t);
    });
    after(async () => t?.cleanup());

    const backend = async () => Number((await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(t.handle.db)).rows[0]!.pid);

    it('create and publish over HTTP take a pooled connection a few times, not once per statement', async () => {
      const pool = t.handle.pool as unknown as EventEmitter | undefined;
      let acquired = 0;
      const count = () => acquired++;
      pool?.on('acquire', count);
      try {
        const created = await editor.post('/api/admin/articles', { headline: 'Pinning: markets and weather', sectionId, bodyHtml: `<p>${'Words about markets and weather. '.repeat(30)}</p>` });
        assert.equal(created.statusCode, 201, created.body);
        const published = await editor.post(`/api/admin/articles/${created.json().id}/transitions`, { action: 'publish' });
        assert.equal(published.statusCode, 200, published.body);
        assert.equal(published.json().status, 'published');
      } finally {
        pool?.off('acquire', count);
      }
      if (engine === 'sqlite') {
        assert.equal(t.handle.pinning, undefined, 'SQLite runs in-process and never queues: no pinning');
        return;
      }
      // About ninety statements ran; before pinning each one took a connection from the pool.
      assert.ok(acquired <= 6, `pool acquisitions for create + publish: ${acquired}`);
      assert.equal(t.handle.pinning!.pinned, 0, 'every pin was handed back');
    });

    // PostgreSQL only: SQLite has one connection and nothing to pin.
    if (engine === 'postgres') it('keeps one connection for a unit of work, hands it back, and lets a concurrent query use the pool', async () => {
      const pool = t.handle.pool!;
      const pids = await pinned(t.handle, async () => [await backend(), await backend(), await backend()]);
      assert.equal(new Set(pids).size, 1, `one backend for the unit: ${pids.join(', ')}`);
      assert.equal(t.handle.pinning!.pinned, 0);
      assert.equal(pool.totalCount, pool.idleCount, 'the pinned connection went back to the pool');

      // Reads run together (Promise.all) wait for the pinned connection instead of queueing for the pool.
      const together = await pinned(t.handle, () => Promise.all([backend(), backend(), backend()]));
      assert.equal(new Set(together).size, 1, `concurrent reads of one unit share its connection: ${together.join(', ')}`);
      assert.equal(t.handle.pinning!.pinned, 0);

      // A transaction holds the pinned connection; a concurrent query of the same unit must not run inside it.
      await pinned(t.handle, async () => {
        await t.handle.db.transaction().execute(async (trx) => {
          await trx.insertInto('sections').values({ slug: 'uncommitted', name: 'Uncommitted', position: 99 }).execute();
          const outside = await t.handle.db.selectFrom('sections').select('id').where('slug', '=', 'uncommitted').execute();
          assert.equal(outside.length, 0, 'a query outside the transaction does not see its uncommitted row');
          throw new Error('roll back');
        }).catch((err: Error) => assert.equal(err.message, 'roll back'));
        const after = await t.handle.db.selectFrom('sections').select('id').where('slug', '=', 'uncommitted').execute();
        assert.equal(after.length, 0, 'rolled back on the pinned connection');
      });
    });

    // PostgreSQL only: SQLite has one connection and nothing to pin.
    if (engine === 'postgres') it('pins at most half the pool, so pinned work never starves it', async () => {
      const pinning = t.handle.pinning!;
      const releases: (() => void)[] = [];
      const pids: Promise<number>[] = [];
      for (let i = 0; i < 4; i++) releases.push(pinning.enter(() => pids.push(backend())));
      assert.equal(pinning.pinned, 2, 'the test pool has 4 connections: 2 pins');
      await Promise.all(pids);
      // Reads outside any pin still get connections while two are pinned.
      assert.ok((await backend()) > 0);
      for (const release of releases) release();
      assert.equal(pinning.pinned, 0);
    });
  });
}
