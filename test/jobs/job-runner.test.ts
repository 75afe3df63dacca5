import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { JOB_NAMES, JobName } from '../../src/jobs/job-names.js';
import { JobRunner, retryDelayMs, type JobHandlers } from '../../src/jobs/job-runner.js';
import { DIALECTS, createTestDb, type TestDb } from '../helpers/databases.js';
import { countTurns } from '../helpers/turns.js';

function handlersDoing(fn: (payload: unknown) => Promise<void>): JobHandlers {
  return Object.fromEntries(JOB_NAMES.map((n) => [n, fn])) as unknown as JobHandlers;
}

for (const engine of DIALECTS) {
  describe(`jobs on ${engine}`, () => {
    let t: TestDb;
    before(async () => {
      t = await createTestDb(engine);
    });
    after(() => t.cleanup());

    test('due jobs run once, future jobs wait for their time', async () => {
      const seen: unknown[] = [];
      const runner = new JobRunner(t.services.repos.jobs, handlersDoing(async (p) => void seen.push(p)), () => t.clock.now);
      await t.services.jobs.enqueue(JobName.MediaRenditions, { n: 1 });
      await t.services.jobs.enqueue(JobName.MediaRenditions, { n: 2 }, { runAt: t.clock.now + 60_000 });
      assert.equal(await runner.runDue(), 1);
      assert.deepEqual(seen, [{ n: 1 }]);
      assert.equal(await runner.runDue(), 0);
      t.clock.set(t.clock.now + 60_000);
      assert.equal(await runner.runDue(), 1);
      assert.deepEqual(seen, [{ n: 1 }, { n: 2 }]);
    });

    test('lets the event loop turn between jobs, so a batch of them never holds readers back', async () => {
      const turnsAtStart: number[] = [];
      const loop = countTurns();
      const runner = new JobRunner(t.services.repos.jobs, handlersDoing(async () => void turnsAtStart.push(loop.turns)), () => t.clock.now);
      for (let n = 0; n < 4; n++) await t.services.jobs.enqueue(JobName.MediaRenditions, { n });
      try {
        assert.equal(await runner.runDue(), 4);
      } finally {
        loop.stop();
      }
      for (let i = 1; i < turnsAtStart.length; i++) assert.ok(turnsAtStart[i]! > turnsAtStart[i - 1]!, `turns at each job's start: ${turnsAtStart.join(', ')}`);
    });

    test('a key replaces the pending job instead of adding one; cancel removes it', async () => {
      const seen: unknown[] = [];
      const runner = new JobRunner(t.services.repos.jobs, handlersDoing(async (p) => void seen.push(p)), () => t.clock.now);
      await t.services.jobs.enqueue(JobName.MediaRenditions, { v: 'first' }, { key: 'k1', runAt: t.clock.now + 1000 });
      await t.services.jobs.enqueue(JobName.MediaRenditions, { v: 'second' }, { key: 'k1', runAt: t.clock.now + 2000 });
      t.clock.set(t.clock.now + 1500);
      assert.equal(await runner.runDue(), 0, 'moved to the later time');
      t.clock.set(t.clock.now + 1000);
      assert.equal(await runner.runDue(), 1);
      assert.deepEqual(seen, [{ v: 'second' }]);
      await t.services.jobs.enqueue(JobName.MediaRenditions, { v: 'x' }, { key: 'k2', runAt: t.clock.now + 1000 });
      assert.equal(await t.services.jobs.cancel('k2'), true);
      t.clock.set(t.clock.now + 5000);
      assert.equal(await runner.runDue(), 0);
    });

    test('failures retry with backoff, then stop as failed with the error kept', async () => {
      let calls = 0;
      const runner = new JobRunner(
        t.services.repos.jobs,
        handlersDoing(async () => {
          calls++;
          throw new Error(`boom ${calls}`);
        }),
        () => t.clock.now,
      );
      await t.services.jobs.enqueue(JobName.MediaRenditions, {}, { key: 'flaky', maxAttempts: 2 });
      assert.equal(await runner.runDue(), 1);
      assert.equal(await runner.runDue(), 0, 'waits for its backoff');
      t.clock.set(t.clock.now + retryDelayMs(1));
      assert.equal(await runner.runDue(), 1);
      const failed = await t.services.repos.jobs.list({ status: 'failed' });
      assert.equal(failed[0]?.last_error, 'boom 2');
      assert.equal(failed[0]?.attempts, 2);
      t.clock.set(t.clock.now + 3_600_000);
      assert.equal(await runner.runDue(), 0);
    });

    test('a job whose worker died is taken over when its lease ends', async () => {
      await t.services.jobs.enqueue(JobName.MediaRenditions, { orphan: true });
      const claimed = await t.services.repos.jobs.claimNext('dead-worker', t.clock.now, 1000);
      assert.ok(claimed);
      const seen: unknown[] = [];
      const runner = new JobRunner(t.services.repos.jobs, handlersDoing(async (p) => void seen.push(p)), () => t.clock.now);
      assert.equal(await runner.runDue(), 0, 'still leased');
      t.clock.set(t.clock.now + 2000);
      assert.equal(await runner.runDue(), 1);
      assert.deepEqual(seen, [{ orphan: true }]);
    });

    test('several workers never run the same job twice', async () => {
      for (let i = 0; i < 30; i++) await t.services.jobs.enqueue(JobName.MediaRenditions, { i });
      const runs = new Map<number, number>();
      const handlers = handlersDoing(async (p) => {
        const i = (p as { i: number }).i;
        runs.set(i, (runs.get(i) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, 2));
      });
      const workers = [1, 2, 3].map(() => new JobRunner(t.services.repos.jobs, handlers, () => t.clock.now));
      const counts = await Promise.all(workers.map((w) => w.runDue()));
      assert.equal(counts.reduce((a, b) => a + b, 0), 30);
      assert.equal(runs.size, 30);
      assert.ok([...runs.values()].every((n) => n === 1));
    });

    test('start-up fails when a job has no handler', () => {
      assert.throws(() => new JobRunner(t.services.repos.jobs, {} as JobHandlers, () => t.clock.now), /No handler registered for job\(s\): media\.renditions/);
    });
  });
}
