import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, utimesSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { JOB_NAMES, JobName } from '../../src/jobs/job-names.js';
import { DEFAULT_LEASE_MS, JobRunner } from '../../src/jobs/job-runner.js';
import type { JobHandlers } from '../../src/jobs/job-runner.js';
import { TempArea } from '../../src/storage/temp-area.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/databases.js';
import { pngOf } from '../helpers/media-files.js';
import { login, makeUser, type Client } from '../helpers/newsroom.js';
import { bodyOf, rawRequest, statusOf } from './raw-http.js';

/** Issue 10 item 1: uploads always end with an answer, leave nothing behind, and a dead worker's job is taken over promptly. */
function multipart(boundary: string, parts: { name: string; filename?: string; type?: string; data: Buffer | string }[], close = true): Buffer {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = `form-data; name="${p.name}"${p.filename ? `; filename="${p.filename}"` : ''}`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${p.type ? `Content-Type: ${p.type}\r\n` : ''}\r\n`), Buffer.from(p.data), Buffer.from('\r\n'));
  }
  if (close) chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

for (const engine of DIALECTS) {
  describe(`uploads never hang and never leak (${engine})`, () => {
    let t: TestApp;
    let editor: Client;
    let png: Buffer;
    const tmpRoot = () => join(t.dataDir, 'tmp');
    const leftovers = () => (existsSync(tmpRoot()) ? readdirSync(tmpRoot()) : []);
    const upload = (payload: Buffer, contentType: string) =>
      t.app.inject({ method: 'POST', url: '/api/admin/media', headers: { cookie: editor.cookie, 'x-csrf-token': editor.csrfToken, 'content-type': contentType }, payload });

    before(async () => {
      t = await createTestApp(engine, { bodyIdleTimeoutSeconds: 1 });
      editor = await login(t.app, await makeUser(t, 'editor'));
      png = await pngOf(64, 48);
    });
    after(async () => t?.cleanup());

    it('stores an upload, receiving it under DATA_DIR/tmp and removing the work folder', async () => {
      const res = await upload(multipart('b1', [{ name: 'alt', data: 'A test square' }, { name: 'file', filename: 'a.png', type: 'image/png', data: png }]), 'multipart/form-data; boundary=b1');
      assert.equal(res.statusCode, 201, res.body);
      assert.deepEqual(leftovers(), []);
    });

    it('answers malformed multipart with 400 problem+json and keeps nothing', async () => {
      const cases: [string, Buffer, string][] = [
        ['no boundary', multipart('b2', [{ name: 'file', filename: 'a.png', type: 'image/png', data: png }]), 'multipart/form-data'],
        ['boundary over 256 characters', multipart('b'.repeat(300), [{ name: 'file', filename: 'a.png', type: 'image/png', data: png }]), `multipart/form-data; boundary=${'b'.repeat(300)}`],
        ['body cut inside the file', multipart('b3', [{ name: 'file', filename: 'a.png', type: 'image/png', data: png }]).subarray(0, 120), 'multipart/form-data; boundary=b3'],
        ['garbage', Buffer.from('\u0000\u0001 not multipart at all'), 'multipart/form-data; boundary=b4'],
      ];
      for (const [what, payload, type] of cases) {
        const res = await upload(payload, type);
        assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${what}: ${res.statusCode} ${res.body}`);
        assert.match(String(res.headers['content-type']), /problem\+json/, what);
        assert.deepEqual(leftovers(), [], `${what} left files behind`);
      }
    });

    it('holds upload fields to the editing limits: alt text over 1,000 characters is refused, naming the limit, not cut', async () => {
      const field = (alt: string) => multipart('b5', [{ name: 'alt', data: alt }, { name: 'file', filename: 'a.png', type: 'image/png', data: png }]);
      const tooLong = await upload(field('a'.repeat(1001)), 'multipart/form-data; boundary=b5');
      assert.equal(tooLong.statusCode, 422, tooLong.body);
      assert.match(tooLong.json().detail, /1,001 characters long; the limit is 1,000/);
      const veryLong = await upload(field('ش'.repeat(9000)), 'multipart/form-data; boundary=b5');
      assert.equal(veryLong.statusCode, 422, veryLong.body);
      const exact = await upload(field('ش'.repeat(1000)), 'multipart/form-data; boundary=b5');
      assert.equal(exact.statusCode, 201, exact.body);
      assert.equal(exact.json().alt.length, 1000);
      assert.deepEqual(leftovers(), []);
    });

    it('answers a multipart body that stops before its closing boundary with 408 over a real socket, and cleans up', async () => {
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      const port = (t.app.server.address() as AddressInfo).port;
      const body = multipart('b6', [{ name: 'file', filename: 'a.png', type: 'image/png', data: png }], false);
      const head =
        `POST /api/admin/media HTTP/1.1\r\nHost: x\r\nCookie: ${editor.cookie}\r\nX-CSRF-Token: ${editor.csrfToken}\r\n` +
        `Content-Type: multipart/form-data; boundary=b6\r\nContent-Length: ${body.length + 500}\r\n\r\n`;
      const res = await rawRequest(port, [head, body], { keepOpen: true, waitMs: 10_000 });
      assert.equal(statusOf(res.text), 408, res.text);
      assert.equal(JSON.parse(bodyOf(res.text)).code, 'REQUEST_TIMEOUT');
      assert.ok(res.closed && res.ms < 8000, `answered and closed in ${res.ms} ms`);
      await new Promise((r) => setTimeout(r, 200));
      assert.deepEqual(leftovers(), []);
    });
  });
}

describe('temporary work folders', () => {
  it('sweeps what dead processes left, keeps live work, and removes stuck work past its age', async () => {
    const root = join(process.env.TMPDIR ?? '/tmp', `dateline-temp-area-test-${process.pid}`);
    const area = new TempArea(root);
    const live = await area.create('upload');
    mkdirSync(join(root, 'upload-999999999-abcdef'));
    mkdirSync(join(root, 'stray-folder'));
    const removed = await area.sweep();
    assert.deepEqual(removed.sort(), ['stray-folder', 'upload-999999999-abcdef']);
    assert.ok(existsSync(live));
    const old = new Date(Date.now() - 2 * 86_400_000);
    utimesSync(live, old, old);
    assert.deepEqual(await area.sweep({ maxAgeMs: 86_400_000 }), [live.split('/').at(-1)]);
    let seen = '';
    await assert.rejects(area.using('work', async (dir) => {
      seen = dir;
      throw new Error('boom');
    }));
    assert.ok(seen && !existsSync(seen), 'removed when the work fails');
  });
});

for (const engine of DIALECTS) {
  describe(`job leases (${engine})`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(engine);
    });
    after(async () => t?.cleanup());

    it('lease is under 5 minutes and a running job renews it (heartbeat)', async () => {
      assert.ok(DEFAULT_LEASE_MS < 5 * 60_000);
      const now = () => Date.now();
      await t.services.jobs.enqueue(JobName.ArticleDue, { articleId: 1 }, { runAt: 0 });
      const seen: number[] = [];
      const slow = async () => {
        for (let i = 0; i < 6; i++) {
          await new Promise((r) => setTimeout(r, 60));
          const row = await t.handle.db.selectFrom('jobs').select('locked_until').where('name', '=', JobName.ArticleDue).executeTakeFirstOrThrow();
          seen.push(Number(row.locked_until));
        }
      };
      const handlers = Object.fromEntries(JOB_NAMES.map((name) => [name, slow])) as unknown as JobHandlers;
      const runner = new JobRunner(t.services.repos.jobs, handlers, now, { leaseMs: 90 });
      assert.equal(await runner.runDue(), 1);
      assert.ok(seen.at(-1)! > seen[0]!, `the lease moved on while the job ran: ${seen.join(', ')}`);
    });

    it('a job whose worker died is taken over once its lease ends', async () => {
      const start = 1_000_000;
      await t.services.jobs.enqueue(JobName.ArticleDue, { articleId: 2 }, { runAt: start });
      const dead = await t.services.repos.jobs.claimNext('dead-worker', start, DEFAULT_LEASE_MS);
      assert.ok(dead);
      assert.equal(await t.services.repos.jobs.claimNext('other', start + DEFAULT_LEASE_MS - 1, DEFAULT_LEASE_MS), null);
      const taken = await t.services.repos.jobs.claimNext('other', start + DEFAULT_LEASE_MS + 1, DEFAULT_LEASE_MS);
      assert.equal(taken?.id, dead.id);
      assert.equal(await t.services.repos.jobs.extendLease(dead.id, 'dead-worker', start + 10 * DEFAULT_LEASE_MS, start), false, 'the old worker cannot renew it');
    });
  });
}
