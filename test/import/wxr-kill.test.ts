import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openDatabase } from '../../src/db/database.js';
import { freshDatabaseUrl, DIALECTS } from '../helpers/databases.js';
import { importSnapshot } from '../helpers/import-snapshot.js';

/**
 * Issue 13: `kill -9` in the middle of `dateline import wxr` and a re-run give exactly
 * what one clean run gives. Real `dateline` processes on every real export in
 * shared/refs/wxr, one item per transaction so the kill lands between commits.
 */
const DIR = new URL('../../../shared/refs/wxr/', import.meta.url).pathname;
const FILES = ['wordpress-importer.small-export.xml', 'wordpress-importer.theme-unit-test-data.xml', 'wordpress-importer.wxr-utf-8-challenges.xml', 'tryghost-migrate.sample.xml'].map((f) => DIR + f);
const present = FILES.every((f) => existsSync(f));

function importWxr(env: NodeJS.ProcessEnv, report: string): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'import', 'wxr', ...FILES, '--batch', '1', '--quiet', '--report', report], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  // What the import said on stderr, shown when it fails.
  let said = '';
  child.stderr!.on('data', (chunk: Buffer) => void (said = (said + chunk.toString()).slice(-4000)));
  stderrOf.set(child, () => said);
  return child;
}
const stderrOf = new WeakMap<ChildProcess, () => string>();

const exited = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => {
      if (code) console.error(`import exited with ${code}: ${stderrOf.get(child)?.() ?? ''}`);
      resolve({ code, signal });
    }),
  );
const lines = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0);

for (const engine of DIALECTS) {
  describe(`kill -9 during a WXR import (${engine})`, { skip: !present && 'shared/refs/wxr is missing' }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'dateline-wxr-kill-'));
    const drops: (() => Promise<void>)[] = [];
    const children: ChildProcess[] = [];
    after(async () => {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      for (const drop of drops) await drop();
      rmSync(dir, { recursive: true, force: true });
    });
    const database = async (name: string) => {
      const db = await freshDatabaseUrl(engine, dir, name);
      drops.push(db.drop);
      const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: db.url, DATA_DIR: join(dir, name), TIME_ZONE: 'UTC', LOG_LEVEL: 'silent' };
      return { url: db.url, env };
    };

    it('a killed run and a re-run end exactly as one clean run', { timeout: 300_000 }, async () => {
      const clean = await database('clean');
      const cleanRun = importWxr(clean.env, join(dir, 'clean.jsonl'));
      children.push(cleanRun);
      assert.deepEqual(await exited(cleanRun), { code: 0, signal: null });
      const total = lines(join(dir, 'clean.jsonl'));
      assert.ok(total >= 60, `every post reported (${total})`);

      const crashed = await database('crashed');
      const report = join(dir, 'killed.jsonl');
      const killed = importWxr(crashed.env, report);
      children.push(killed);
      const ended = exited(killed);
      // Killed once about a third of the posts are in: committed batches stay, the one in flight is lost.
      while (lines(report) < total / 3 && killed.exitCode === null) await new Promise((r) => setTimeout(r, 10));
      killed.kill('SIGKILL');
      assert.deepEqual(await ended, { code: null, signal: 'SIGKILL' }, 'the import was killed before it finished');
      const half = openDatabase(crashed.url);
      try {
        const done = Number((await half.db.selectFrom('import_items').select((eb) => eb.fn.countAll<string | number>().as('n')).where('state', '=', 'imported').executeTakeFirstOrThrow()).n);
        assert.ok(done > 0 && done < total, `the kill landed halfway (${done} of ${total} imported)`);
      } finally {
        await half.close();
      }

      const rerun = importWxr(crashed.env, join(dir, 'rerun.jsonl'));
      children.push(rerun);
      assert.deepEqual(await exited(rerun), { code: 0, signal: null });
      const reports = readFileSync(join(dir, 'rerun.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { action: string });
      assert.equal(reports.length, total);
      assert.ok(reports.some((r) => r.action === 'skipped') && reports.some((r) => r.action === 'created'), 'the re-run skips what was done and does the rest');

      const [a, b] = [openDatabase(clean.url), openDatabase(crashed.url)];
      try {
        const want = await importSnapshot(a.db);
        assert.equal(want.rows.length, total);
        assert.deepEqual(await importSnapshot(b.db), want);
      } finally {
        await a.close();
        await b.close();
      }
    });
  });
}
