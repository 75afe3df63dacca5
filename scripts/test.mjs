#!/usr/bin/env node
// Runs the test suite with node:test. Every repository/service test runs on SQLite and,
// when a PostgreSQL server is reachable, on PostgreSQL too; this script says which.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const LOCAL_POSTGRES = 'postgres://postgres@127.0.0.1:5432/test';

function findTests(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...findTests(path));
    else if (/\.test\.tsx?$/.test(name)) out.push(path);
  }
  return out.sort();
}

async function reachable(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

function libpqLoads() {
  try {
    createRequire(import.meta.url)('libpq');
    return true;
  } catch {
    return false;
  }
}

async function rumAvailable(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    const { rows } = await client.query(`select 1 from pg_available_extensions where name = 'rum'`);
    return rows.length > 0;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

function pgServerBinaries() {
  const root = '/usr/lib/postgresql';
  return existsSync(root) && readdirSync(root).some((v) => existsSync(join(root, v, 'bin', 'pg_basebackup')) && existsSync(join(root, v, 'bin', 'initdb')));
}

const env = { ...process.env };
const requirePostgres = env.REQUIRE_POSTGRES === '1' || env.CI === 'true';
const candidate = env.TEST_POSTGRES_URL || LOCAL_POSTGRES;
if (await reachable(candidate)) {
  env.TEST_POSTGRES_URL = candidate;
  console.log(`PostgreSQL: tests run on SQLite and PostgreSQL (${candidate.replace(/:[^:@/]*@/, ':***@')}).`);
  // Two PostgreSQL parts need more than a server: the rum extension (ranked search, migration 030)
  // and the server binaries (the read-replica tests make their own primary and replica).
  const missing = [];
  if (!(await rumAvailable(candidate))) {
    missing.push('rum: the RUM index tests — apt-get install -y postgresql-$(ls /etc/postgresql)-rum');
    env.SKIP_RUM_TESTS = '1';
  }
  // The synchronous connections' libpq transport: an optional native package built at npm ci against libpq-dev.
  if (!libpqLoads()) {
    missing.push('libpq: the synchronous connections\' libpq transport tests — apt-get install -y libpq-dev, then npm ci');
    env.SKIP_LIBPQ_TESTS = '1';
  }
  if (!pgServerBinaries()) missing.push('read replicas: initdb and pg_basebackup not found — apt-get install -y postgresql');
  for (const what of missing) {
    if (requirePostgres) {
      console.error(`PostgreSQL tests are required here (CI or REQUIRE_POSTGRES=1) but cannot run: ${what}`);
      process.exit(1);
    }
    console.log(`PostgreSQL: SKIPPED — ${what}`);
  }
} else if (requirePostgres) {
  console.error(`PostgreSQL is required here (CI or REQUIRE_POSTGRES=1) but ${candidate} does not answer.`);
  process.exit(1);
} else {
  delete env.TEST_POSTGRES_URL;
  console.log('PostgreSQL: SKIPPED — no server answered at ' + candidate + '; only the SQLite suite runs. Set TEST_POSTGRES_URL=postgres://… to include it.');
}

const chromium = env.CHROMIUM_PATH || '/usr/bin/chromium';
if (!existsSync(chromium)) {
  if (env.CI === 'true' || env.REQUIRE_BROWSER === '1') {
    console.error(`Browser tests need Debian's chromium at ${chromium} (apt-get install -y chromium).`);
    process.exit(1);
  }
  console.log(`Browser: SKIPPED — ${chromium} not found (apt-get install -y chromium to run the browser tests).`);
  env.SKIP_BROWSER_TESTS = '1';
}

const files = process.argv.length > 2 ? process.argv.slice(2) : findTests('test');
// TAP on stdout as before; a second reporter lists each failure in a file printed at the end.
const failuresFile = join(mkdtempSync(join(tmpdir(), 'dateline-test-')), 'failures.txt');
const reporters = ['--test-reporter=tap', '--test-reporter-destination=stdout', `--test-reporter=${fileURLToPath(new URL('./test-failures.mjs', import.meta.url))}`, `--test-reporter-destination=${failuresFile}`];
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...reporters, ...files], { stdio: 'inherit', env });
const failed = existsSync(failuresFile) ? readFileSync(failuresFile, 'utf8').trim() : '';
rmSync(dirname(failuresFile), { recursive: true, force: true });
if (failed) console.log(`\n== failed tests\n${failed}`);
process.exit(result.status ?? 1);
