import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../src/config/config.js';

const cwd = mkdtempSync(join(tmpdir(), 'dateline-config-'));

function problems(env: Record<string, string>, dir = cwd): string[] {
  try {
    loadConfig(env, dir);
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.problems;
  }
  return [];
}

describe('configuration', () => {
  test('defaults: SQLite under ./data, port 3000, reference dateline format', () => {
    const c = loadConfig({}, cwd);
    assert.equal(c.port, 3000);
    assert.equal(c.host, '127.0.0.1');
    assert.equal(c.databaseUrl, `sqlite:${join(cwd, 'data', 'dateline.db')}`);
    assert.equal(c.dataDir, join(cwd, 'data'));
    assert.equal(c.baseUrl, 'http://127.0.0.1:3000');
    assert.equal(c.datelineFormat, 'ddd MMM D, YYYY HH:mm:ss');
    assert.deepEqual(c.languages, ['en', 'ar', 'fa']);
  });

  test('environment variables under their documented names', () => {
    const c = loadConfig(
      { PORT: '8080', HOST: '0.0.0.0', DATABASE_URL: 'postgres://u:p@db:5432/news', DATA_DIR: '/srv/dateline', SITE_TIMEZONE: 'Asia/Tehran', SITE_LANGUAGES: 'ar, en' },
      cwd,
    );
    assert.equal(c.port, 8080);
    assert.equal(c.databaseUrl, 'postgres://u:p@db:5432/news');
    assert.equal(c.dataDir, '/srv/dateline');
    assert.equal(c.timeZone, 'Asia/Tehran');
    assert.deepEqual(c.languages, ['ar', 'en']);
    assert.equal(c.baseUrl, 'http://localhost:8080');
  });

  test('Web Push limits: PUSH_RATE_PER_MINUTE and PUSH_MAX_PER_ORIGIN (0 turns each off; defaults 10 and 1000)', () => {
    assert.deepEqual([loadConfig({}, cwd).pushRatePerMinute, loadConfig({}, cwd).pushMaxPerOrigin], [10, 1000]);
    const c = loadConfig({ PUSH_RATE_PER_MINUTE: '0', PUSH_MAX_PER_ORIGIN: '25' }, cwd);
    assert.deepEqual([c.pushRatePerMinute, c.pushMaxPerOrigin], [0, 25]);
    assert.throws(() => loadConfig({ PUSH_RATE_PER_MINUTE: '-1', PUSH_MAX_PER_ORIGIN: 'lots' }, cwd), (err: ConfigError) => {
      assert.ok(err.problems.some((m) => /^PUSH_RATE_PER_MINUTE: must be a whole number of requests per minute from 0 \(no limit\)/.test(m)), err.problems.join('\n'));
      assert.ok(err.problems.some((m) => /^PUSH_MAX_PER_ORIGIN: must be a whole number of subscriptions from 0 \(no limit\)/.test(m)), err.problems.join('\n'));
      return true;
    });
  });

  test('every bad value gets its own clear message, all at once', () => {
    const p = problems({
      PORT: 'eighty',
      DATABASE_URL: 'mysql://x',
      SITE_NAME: ' ',
      BASE_URL: 'news.example.org',
      SITE_TIMEZONE: 'Mars/Olympus',
      DATELINE_FORMAT: 'YYYY QQ',
      SITE_LANGUAGES: 'en,not a tag',
    });
    assert.equal(p.length, 7, p.join('\n'));
    assert.match(p[0]!, /^PORT: must be a whole number from 1 to 65535 \(got "eighty"\)/);
    assert.ok(p.some((m) => /^DATABASE_URL: must start with sqlite: .* or postgres:\/\//.test(m)));
    assert.ok(p.some((m) => /^SITE_NAME: must be 1 to 100 characters/.test(m)));
    assert.ok(p.some((m) => /^BASE_URL: must be an absolute http\(s\) URL/.test(m)));
    assert.ok(p.some((m) => /^SITE_TIMEZONE: is not a known IANA time zone .*Mars\/Olympus/.test(m)));
    assert.ok(p.some((m) => /^DATELINE_FORMAT: is not a valid dateline format: unknown token "Q"/.test(m)));
    assert.ok(p.some((m) => /^SITE_LANGUAGES: "not a tag" is not a valid BCP 47 language tag/.test(m)));
  });

  test('port out of range', () => {
    assert.match(problems({ PORT: '70000' })[0]!, /PORT: must be a whole number from 1 to 65535/);
  });

  test('config file, with environment variables winning and unknown keys reported', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dateline-config-file-'));
    writeFileSync(join(dir, 'dateline.config.json'), JSON.stringify({ siteName: 'The Ledger', port: 4000, timeZone: 'Europe/London' }));
    const c = loadConfig({ PORT: '5000' }, dir);
    assert.equal(c.siteName, 'The Ledger');
    assert.equal(c.port, 5000);
    assert.equal(c.timeZone, 'Europe/London');
    writeFileSync(join(dir, 'dateline.config.json'), JSON.stringify({ sitename: 'typo' }));
    assert.match(problems({}, dir)[0]!, /unknown setting "sitename"/);
    writeFileSync(join(dir, 'bad.json'), '{ not json');
    assert.match(problems({ DATELINE_CONFIG: 'bad.json' }, dir)[0]!, /bad\.json: /);
    assert.match(problems({ DATELINE_CONFIG: 'missing.json' }, dir)[0]!, /DATELINE_CONFIG: file not found/);
  });
});

describe('read replica settings', () => {
  const PRIMARY = 'postgres://u:p@db:5432/news';

  test('DATABASE_REPLICA_URLS is a comma-separated list; lag bound and check interval have defaults', () => {
    const c = loadConfig({ DATABASE_URL: PRIMARY, DATABASE_REPLICA_URLS: 'postgres://u:p@r1:5432/news, postgresql://u:p@r2/news' }, cwd);
    assert.deepEqual(c.databaseReplicaUrls, ['postgres://u:p@r1:5432/news', 'postgresql://u:p@r2/news']);
    assert.equal(c.databaseReplicaMaxLagMs, 5000);
    assert.equal(c.databaseReplicaCheckMs, 1000);
    assert.deepEqual(loadConfig({}, cwd).databaseReplicaUrls, []);
    const tuned = loadConfig({ DATABASE_URL: PRIMARY, DATABASE_REPLICA_MAX_LAG_MS: '250', DATABASE_REPLICA_CHECK_MS: '100' }, cwd);
    assert.equal(tuned.databaseReplicaMaxLagMs, 250);
    assert.equal(tuned.databaseReplicaCheckMs, 100);
  });

  test('mistakes are explained, with passwords hidden', () => {
    const [notPg] = problems({ DATABASE_URL: PRIMARY, DATABASE_REPLICA_URLS: 'mysql://u:secret@r1/news' });
    assert.match(notPg!, /^DATABASE_REPLICA_URLS: "mysql:\/\/u:\*\*\*@r1\/news" is not a postgres:\/\/ URL/);
    assert.doesNotMatch(notPg!, /secret/);
    assert.match(problems({ DATABASE_REPLICA_URLS: 'postgres://r1/news' })[0]!, /DATABASE_REPLICA_URLS: read replicas need a PostgreSQL primary/);
    assert.match(problems({ DATABASE_URL: PRIMARY, DATABASE_REPLICA_MAX_LAG_MS: 'soon' })[0]!, /DATABASE_REPLICA_MAX_LAG_MS: must be a number from 10 to 3600000/);
  });
});
