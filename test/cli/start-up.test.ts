import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, test } from 'node:test';
import semver from 'semver';
import { confirmDemoReset } from '../../src/cli/confirm.js';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string }; scripts: Record<string, string>; bin: Record<string, string> };
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, { engines?: { node?: string } | string[] }> };

describe('start-up and install', () => {
  test('every locked package runs on the oldest Node the project claims (npm ci prints no engine warning)', () => {
    const oldest = semver.minVersion(pkg.engines.node)!.version;
    const misfits = Object.entries(lock.packages)
      .map(([name, p]) => [name, !Array.isArray(p.engines) ? p.engines?.node : undefined] as const)
      .filter(([, range]) => range && !semver.satisfies(oldest, range))
      .map(([name, range]) => `${name} needs node ${range}`);
    assert.deepEqual(misfits, [], `engines.node is "${pkg.engines.node}" (oldest ${oldest})`);
  });

  test('npm start and dateline build only when sources changed; install builds once', () => {
    assert.match(pkg.scripts.start!, /^node scripts\/ensure-build\.mjs && node dist\/cli\/dateline\.js serve$/);
    assert.match(pkg.scripts.dateline!, /^node scripts\/ensure-build\.mjs && /);
    assert.equal(pkg.scripts.prepare, 'node scripts/ensure-build.mjs');
    assert.match(pkg.scripts.build!, /ensure-build\.mjs --stamp$/);
    assert.equal(pkg.bin.dateline, 'dist/cli/dateline.js');
  });

  test('"dateline help" answers from the entry point without loading the server', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/dateline.ts', 'help'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Usage: dateline <command>/);
    assert.match(r.stdout, /demo \[--reset \[--yes\]\]/);
    // The entry imports only help.js for `help`: main.js (and with it Fastify, Kysely, sharp) stays unloaded.
    const source = readFileSync('src/cli/dateline.ts', 'utf8');
    assert.doesNotMatch(source, /^import /m, 'no static imports in the entry point');
  });

  test('"dateline reindex --threads" takes a whole number of threads and says so otherwise, before touching the database', () => {
    for (const bad of ['two', '-1', '1.5', '65']) {
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/dateline.ts', 'reindex', `--threads=${bad}`], {
        encoding: 'utf8',
        env: { ...process.env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' },
      });
      assert.notEqual(r.status, 0, bad);
      assert.match(r.stderr, new RegExp(`--threads must be a whole number from 0 to 64 \\(got "${bad.replace('.', '\\.')}"\\)`), r.stderr);
      assert.doesNotMatch(r.stderr, /ECONNREFUSED|connect/i, 'refused before any connection');
    }
    const help = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/dateline.ts', 'help'], { encoding: 'utf8' });
    assert.match(help.stdout, /reindex \[--search-only\] \[--threads N\]/);
  });

  test('serving loads no package that only imports, e-mail, progress bars, images, push, Redis or route schemas use (jsdom alone is ~480 files)', () => {
    // Everything \`dateline serve\` imports: the modules src/cli/main.ts imports (it runs its command on import itself).
    const modules = [...readFileSync('src/cli/main.ts', 'utf8').matchAll(/^import .* from '(\.\.?\/[^']+)\.js';$/gm)].map((m) => {
      const base = join('src/cli', m[1]!);
      return `./${existsSync(`${base}.tsx`) ? `${base}.tsx` : `${base}.ts`}`;
    });
    assert.ok(modules.length >= 10, modules.join(' '));
    const script = `
      import { createRequire } from 'node:module';
      for (const m of ${JSON.stringify(modules)}) await import(m);
      const loaded = Object.keys(createRequire(import.meta.url).cache);
      const heavy = ['jsdom', '@mozilla/readability', 'nodemailer', 'cli-progress', 'sanitize-html', 'postcss', 'web-push', 'sharp', 'ioredis', 'ajv', '@fastify/ajv-compiler'].filter((name) => loaded.some((path) => path.includes('/node_modules/' + name + '/')));
      process.stdout.write(JSON.stringify(heavy));`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), [], 'loaded at start-up: load these on first use (src/services/lazy-require.ts)');
  });

  describe('dateline demo --reset asks first', () => {
    const io = (answer: string | null, isTTY: boolean) => {
      const input = new PassThrough() as PassThrough & { isTTY?: boolean };
      input.isTTY = isTTY;
      const output = new PassThrough();
      let asked = '';
      output.on('data', (d: Buffer) => {
        asked += d.toString();
        if (answer !== null) input.write(`${answer}\n`);
      });
      return { input, output, asked: () => asked };
    };
    const config = { databaseUrl: 'postgres://user:secret@db.example:5432/news' };

    test('--yes goes ahead without asking', async () => {
      const said: string[] = [];
      assert.equal(await confirmDemoReset(config, true, (m) => said.push(m), io(null, false)), true);
      assert.deepEqual(said, []);
    });

    test('without a terminal it refuses and says how to confirm, never showing the password', async () => {
      const said: string[] = [];
      const prior = process.exitCode;
      assert.equal(await confirmDemoReset(config, false, (m) => said.push(m), io(null, false)), false);
      process.exitCode = prior;
      assert.match(said[0]!, /Run it again with --yes to confirm/);
      assert.doesNotMatch(said[0]!, /secret/);
    });

    test('on a terminal: "y" goes ahead, anything else changes nothing', async () => {
      const yes = io('y', true);
      assert.equal(await confirmDemoReset(config, false, () => {}, yes), true);
      assert.match(yes.asked(), /deletes every article, picture, section and tag in postgres:\/\/db\.example:5432\/news/);
      const said: string[] = [];
      assert.equal(await confirmDemoReset(config, false, (m) => said.push(m), io('', true)), false);
      assert.deepEqual(said, ['Nothing was changed.']);
    });
  });
});
