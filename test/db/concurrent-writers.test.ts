import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { createTestDb, DIALECTS, type TestDb } from '../helpers/databases.js';

/** Runs the enqueue loop in a child process; resolves with its output once it exits. */
function enqueueLoop(databaseUrl: string, rounds: number): Promise<{ ok: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/db/fixtures/enqueue-loop.ts'], {
      env: { ...process.env, DATABASE_URL: databaseUrl, ROUNDS: String(rounds) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('exit', () => {
      clearTimeout(timer);
      const line = stdout.trim().split('\n').at(-1) ?? '{}';
      resolve({ ok: Number((JSON.parse(line) as { ok?: number }).ok ?? 0), stderr });
    });
  });
}

/**
 * Two processes on one database, each running transactions that read and then write (a
 * keyed job enqueue, as every `serve` process does at start-up): none fails. On SQLite a
 * deferred transaction's lock upgrade failed at once with "database is locked" when the
 * other process had written meanwhile; transactions now begin immediate and wait their turn.
 */
for (const engine of DIALECTS) {
  describe(`concurrent writer processes (${engine})`, () => {
    let t: TestDb;
    before(async () => {
      t = await createTestDb(engine);
    });
    after(async () => t?.cleanup());

    it('two processes enqueue keyed jobs at once without a lock error, and one job per key stays pending', async () => {
      const rounds = 150;
      const [a, b] = await Promise.all([enqueueLoop(t.handle.description, rounds), enqueueLoop(t.handle.description, rounds)]);
      assert.equal(a.stderr + b.stderr, '', 'no child reported an error');
      assert.deepEqual([a.ok, b.ok], [rounds, rounds]);
      const pending = await t.handle.db.selectFrom('jobs').select(['key']).where('name', '=', 'test.concurrent').where('status', '=', 'pending').execute();
      assert.deepEqual(pending.map((r) => r.key).sort(), ['k0', 'k1', 'k2', 'k3', 'k4']);
    });
  });
}
