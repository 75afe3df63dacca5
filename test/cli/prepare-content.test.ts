import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { prepareContent } from '../../src/cli/start-up.js';
import { DIALECTS, createTestDb, type TestDb } from '../helpers/databases.js';

/** Statements that read every row of a table: their cost grows with the archive. */
const GROWS_WITH_ARCHIVE = /\bcount\s*\(|\bsum\s*\(|\bavg\s*\(|\bmax\s*\(\s*length/i;

for (const engine of DIALECTS) {
  describe(`start-up work on ${engine} does not grow with the archive`, () => {
    let t: TestDb;
    before(async () => {
      t = await createTestDb(engine);
      t.clock.set(Date.now());
    });
    after(() => t.cleanup());

    const run = async (demoContent: boolean) => {
      const statements: string[] = [];
      const said: string[] = [];
      const listener = (s: string) => statements.push(s);
      t.handle.statementListeners.add(listener);
      try {
        await prepareContent(t.services, { demoContent }, (m) => said.push(m));
      } finally {
        t.handle.statementListeners.delete(listener);
      }
      return { statements, said };
    };

    test('an empty database gets the demo newsroom; one with articles is left alone, with no count or scan', async () => {
      const first = await run(true);
      assert.ok(first.said.some((m) => /Loaded \d+ demo articles/.test(m)), first.said.join('\n'));
      assert.equal(await t.services.demo.isEmpty(), false);

      const again = await run(true);
      assert.deepEqual(again.said.filter((m) => !m.startsWith('warning:')), [], 'nothing loaded or rebuilt the second time');
      const growing = again.statements.filter((s) => GROWS_WITH_ARCHIVE.test(s));
      assert.deepEqual(growing, [], 'no statement at start-up reads the whole archive');
      assert.ok(again.statements.length <= 8, `${again.statements.length} statements: ${again.statements.join('\n')}`);
    });

    test('DEMO_CONTENT=off starts an empty database empty', async () => {
      const empty = await createTestDb(engine);
      try {
        await prepareContent(empty.services, { demoContent: false }, () => {});
        assert.equal(await empty.services.demo.isEmpty(), true);
      } finally {
        await empty.cleanup();
      }
    });
  });
}
