import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/databases.js';
import { makeSection } from '../helpers/factories.js';
import { login, makeUser } from '../helpers/newsroom.js';

for (const engine of DIALECTS) {
  describe(`operators' endpoints on ${engine}`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(engine, { metricsToken: 'a-long-metrics-token-123' });
    });
    after(async () => t.cleanup());

    test('/healthz and /readyz answer, never cached', async () => {
      const health = await t.app.inject('/healthz');
      assert.equal(health.statusCode, 200);
      assert.equal(health.headers['cache-control'], 'no-store');
      const ready = await t.app.inject('/readyz');
      assert.equal(ready.statusCode, 200, ready.body);
      assert.deepEqual(Object.keys(ready.json().checks).sort(), ['database', 'mediaStore']);
    });

    test('/metrics needs the token when one is configured and reports requests, cache and queue', async () => {
      assert.equal((await t.app.inject('/metrics')).statusCode, 401);
      assert.equal((await t.app.inject({ url: '/metrics', headers: { authorization: 'Bearer wrong-token-of-same-len' } })).statusCode, 401);
      await t.app.inject('/');
      const res = await t.app.inject({ url: '/metrics', headers: { authorization: 'Bearer a-long-metrics-token-123' } });
      assert.equal(res.statusCode, 200);
      for (const name of ['http_requests_total{method="GET",route="/",status="200"}', 'http_request_duration_seconds_bucket', 'dateline_page_cache_hits_total', 'dateline_page_cache_bytes', 'dateline_purges_total', 'dateline_job_queue_depth', 'nodejs_eventloop_lag_seconds']) {
        assert.ok(res.body.includes(name), name);
      }
    });

    if (engine === 'postgres') test('/metrics counts the synchronous connections\' round trips, statements and batched reads', async () => {
      await t.handle.pinning!.warm(1);
      const value = (body: string, name: string) => Number(new RegExp(`^${name} ([0-9.e+-]+)$`, 'm').exec(body)?.[1] ?? Number.NaN);
      const scrape = async () => (await t.app.inject({ url: '/metrics', headers: { authorization: 'Bearer a-long-metrics-token-123' } })).body;
      const before = await scrape();
      const editor = await login(t.app, await makeUser(t, 'editor'));
      const created = await editor.post('/api/admin/articles', { headline: 'Metrics: markets and weather', sectionId: await makeSection(t), bodyHtml: `<p>${'Markets and weather. '.repeat(20)}</p>` });
      assert.equal(created.statusCode, 201, created.body);
      assert.equal((await editor.post(`/api/admin/articles/${created.json().id}/transitions`, { action: 'publish' })).statusCode, 200);
      const after = await scrape();
      const grew = (name: string) => value(after, name) - value(before, name);
      assert.ok(grew('dateline_db_sync_round_trips_total') >= 5, `round trips: ${grew('dateline_db_sync_round_trips_total')}`);
      assert.ok(grew('dateline_db_sync_statements_total') > grew('dateline_db_sync_round_trips_total'), 'held statements go with the next one: more statements than round trips');
      assert.ok(grew('dateline_db_sync_batched_reads_total') >= 2, 'the publish\'s concurrent reads went together');
      assert.ok(grew('dateline_db_sync_blocked_seconds_total') > 0);
      assert.ok(value(after, 'dateline_db_sync_awaited_total') >= 0);
    });

    test('/readyz goes red when the database is gone', async () => {
      await t.handle.close();
      const res = await t.app.inject('/readyz');
      assert.equal(res.statusCode, 503);
      assert.equal(res.json().checks.database.ok, false);
    });
  });
}

describe('graceful shutdown', () => {
  test('SIGTERM finishes in-flight requests and exits within the bound', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dateline-sigterm-'));
    const port = 20000 + Math.floor(Math.random() * 20000);
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], {
      env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), DEMO_CONTENT: 'off', LOG_LEVEL: 'silent', REQUEST_LOG: 'off', SHUTDOWN_TIMEOUT_SECONDS: '10' },
      stdio: 'ignore',
    });
    try {
      const base = `http://127.0.0.1:${port}`;
      for (let i = 0; ; i++) {
        try {
          await (await fetch(`${base}/healthz`)).text();
          break;
        } catch {
          if (i > 300) throw new Error('server did not start');
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      for (let i = 0; i < 5; i++) await (await fetch(`${base}/api/v1/articles`)).text();
      // List queries keep the process busy while the signal arrives.
      const inFlight = Array.from({ length: 40 }, (_, i) => fetch(`${base}/api/v1/articles?limit=${(i % 50) + 1}`).then(async (r) => ({ status: r.status, body: await r.text() })));
      await new Promise((r) => setTimeout(r, 100));
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      const started = Date.now();
      child.kill('SIGTERM');
      const results = await Promise.allSettled(inFlight);
      const code = await exited;
      assert.equal(code, 0);
      assert.ok(Date.now() - started < 11_000);
      const failed = results.filter((r) => r.status === 'rejected' || r.value.status >= 500);
      // Requests already accepted are answered; none is cut off.
      assert.equal(failed.length, 0, JSON.stringify(failed.slice(0, 3)));
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
