import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/databases.js';
import { makeArticle, makeSection } from '../helpers/factories.js';
import { login, makeUser, type Client } from '../helpers/newsroom.js';
import { openSse, type SseStream } from '../helpers/sse.js';
import { LiveHub } from '../../src/services/live/live-hub.js';
import { LIVE_PRUNE_KEY } from '../../src/services/live/live.service.js';

const HOUR = 3_600_000;

/** Issue 17 limits: a cap on SSE readers per process, and the pruned event log keeps resume correct. */
for (const engine of DIALECTS) {
  describe(`live coverage limits (${engine})`, () => {
    let t: TestApp;
    let base: string;
    let editor: Client;
    let blogId: number;
    const open: SseStream[] = [];

    before(async () => {
      t = await createTestApp(engine, {}, undefined, { live: { liveMaxReaders: 2, liveEventsKeepHours: 24 } });
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
      editor = await login(t.app, await makeUser(t, 'editor'));
      blogId = await makeArticle(t, await makeSection(t), { headline: 'Limits blog' });
      assert.equal((await editor.post('/api/admin/live-blogs', { articleId: blogId })).statusCode, 201);
    });
    after(async () => {
      for (const s of open) s.close();
      await t.cleanup();
    });

    test('over LIVE_MAX_READERS a new stream gets 503 problem+json with Retry-After; a freed slot takes the next one', async () => {
      for (let i = 0; i < 2; i++) {
        const s = await openSse(`${base}/live/events?language=en`);
        assert.equal(s.status, 200);
        open.push(s);
      }
      // The response head goes out before the hub has added the reader: wait for both.
      for (let i = 0; i < 100 && t.services.live.hub.stats.readers < 2; i++) await new Promise((r) => setTimeout(r, 20));
      assert.equal(t.services.live.hub.stats.readers, 2);
      const refused = await fetch(`${base}/live/events?language=en`, { headers: { accept: 'text/event-stream' } });
      assert.equal(refused.status, 503);
      assert.match(refused.headers.get('content-type') ?? '', /problem\+json/);
      assert.equal(refused.headers.get('retry-after'), '10');
      const problem = await refused.json();
      assert.match(problem.detail, /LIVE_MAX_READERS/);
      assert.equal(t.services.live.hub.stats.readers, 2, 'the refused one was never added');
      open.shift()!.close();
      for (let i = 0; i < 100 && t.services.live.hub.stats.readers > 1; i++) await new Promise((r) => setTimeout(r, 20));
      const next = await openSse(`${base}/live/events?language=en`);
      open.push(next);
      assert.equal(next.status, 200);
      for (const s of open.splice(0)) s.close();
    });

    test('pruning keeps the window: a reader inside it resumes exactly, an older one is told to reload; stale API cursors get 410', async () => {
      const actor = { kind: 'user', userId: null, apiKeyId: null, name: 'Desk', role: 'editor', grants: {} } as never;
      const add = async (text: string) => t.services.live.service.addEntry(actor, blogId, { kind: 'text', bodyHtml: `<p>${text}</p>` });
      const lastId = () => t.services.live.repo.lastEventId();
      await add('Old one');
      await add('Old two');
      const oldPosition = await lastId();
      t.clock.set(t.clock.now + 30 * HOUR);
      await add('Recent one');
      const recentPosition = await lastId();
      await add('Recent two');
      await add('Recent three');
      const before = (await t.services.live.repo.eventsAfter(0, 1000)).length;

      // The job: scheduled once, runs, deletes what is older than 24 h, schedules itself again.
      await t.services.live.service.ensurePruneScheduled();
      t.clock.set(t.clock.now + 2 * 60_000);
      await t.runJobs();
      const kept = await t.services.live.repo.eventsAfter(0, 1000);
      assert.ok(kept.length < before && kept.length >= 3, `kept ${kept.length} of ${before}`);
      assert.ok(kept.every((e) => e.id > oldPosition), 'everything up to the old position went');
      assert.equal(kept.at(-1)!.id, await lastId());
      assert.ok(await t.services.jobs.isActive(LIVE_PRUNE_KEY), 'next run scheduled');

      // A hub that starts now has nothing in memory: every resume reads the log.
      const hub = new LiveHub(t.services.live.repo, { heartbeatMs: 60_000, pollMs: 0 });
      const reader = (frames: string[], state: { closed: boolean }) => ({ channels: [`blog-${blogId}`], write: (f: Buffer) => frames.push(String(f)) > 0, buffered: 0, close: () => (state.closed = true) });
      const inside: string[] = [];
      const insideState = { closed: false };
      await hub.add(reader(inside, insideState), recentPosition);
      assert.equal(inside.length, 2, inside.join('|'));
      assert.match(inside[0]!, /Recent two/);
      assert.match(inside[1]!, /Recent three/);
      assert.ok(!insideState.closed);
      const behind: string[] = [];
      const behindState = { closed: false };
      await hub.add(reader(behind, behindState), oldPosition - 1);
      assert.deepEqual(behind, ['event: reset\ndata: {}\n\n']);
      assert.ok(behindState.closed);
      hub.stop();

      // The content API's change cursor: inside the window it works, older ones are refused (not a silent gap).
      const fresh = await t.app.inject({ url: `/api/v1/live/${blogId}/changes?since=${recentPosition}` });
      assert.equal(fresh.statusCode, 200, fresh.body);
      assert.equal(fresh.json().changes.length, 2);
      const stale = await t.app.inject({ url: `/api/v1/live/${blogId}/changes?since=${oldPosition - 1}` });
      assert.equal(stale.statusCode, 410);
      assert.match(stale.headers['content-type'] as string, /problem\+json/);

      // Nothing to prune: the newest event always stays (the log's position).
      t.clock.set(t.clock.now + 100 * HOUR);
      const last = await lastId();
      await t.services.live.service.pruneEvents(HOUR, HOUR);
      assert.deepEqual((await t.services.live.repo.eventsAfter(0, 10)).map((e) => e.id), [last]);
    });
  });
}
