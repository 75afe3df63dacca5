import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import type { Received } from '../helpers/webhook-receiver.js';
import { WebhookReceiver } from '../helpers/webhook-receiver.js';
import { ApiMapper } from '../../src/http/mappers.js';
import { JobName } from '../../src/jobs/job-names.js';
import { JobRunner } from '../../src/jobs/job-runner.js';
import { createJobHandlers } from '../../src/jobs/job-handlers.js';
import { MAIN_RUNNER_NAMES, webhookRunners } from '../../src/jobs/webhook-runners.js';
import { postJson, TargetRefusedError } from '../../src/services/webhooks/safe-http.js';
import { createTestDb, DIALECTS, type TestDb } from '../helpers/databases.js';
import { makeArticle, makeSection } from '../helpers/factories.js';
import { actor, makeUser } from '../helpers/newsroom.js';

const ALL_EVENTS = ['article.published', 'article.updated', 'article.unpublished', 'article.corrected', 'article.killed', 'media.ready'];

/** Verifies with the independent `standardwebhooks` implementation; returns the parsed body. */
function verified(secret: string, r: Received): { type: string; timestamp: string; data: Record<string, any> } {
  const headers = { 'webhook-id': String(r.headers['webhook-id']), 'webhook-timestamp': String(r.headers['webhook-timestamp']), 'webhook-signature': String(r.headers['webhook-signature']) };
  return new Webhook(secret).verify(r.body, headers) as { type: string; timestamp: string; data: Record<string, any> };
}

for (const engine of DIALECTS) {
  describe(`webhook delivery on ${engine}`, () => {
    let receiver: WebhookReceiver;
    let t: TestDb;
    let section: number;
    let editor: ReturnType<typeof actor>;
    let owner: ReturnType<typeof actor>;

    before(async () => {
      receiver = await new WebhookReceiver().start();
    });
    after(() => receiver.stop());
    beforeEach(async () => {
      receiver.received.length = 0;
      t = await createTestDb(engine, { webhooks: { webhookAllowPrivate: ['127.0.0.1/32'], webhookTimeoutMs: 1500, webhookMaxAttempts: 3, webhookDisableAfter: 5 } });
      section = await makeSection(t);
      editor = actor(await makeUser(t, 'editor'));
      owner = actor(await makeUser(t, 'owner'));
    });
    afterEach(() => t.cleanup());

    const register = (path: string, events = ALL_EVENTS) => t.services.webhooks.create(owner, { url: `${receiver.url}${path}`, events });
    const draft = (headline = 'Flood waters rise') =>
      t.services.newsroom.workflow.create(editor, { headline, sectionId: section, bodyHtml: '<p>Body text.</p>', byline: 'A Reporter' });
    const publish = (id: number) => t.services.newsroom.workflow.transition(editor, id, { action: 'publish' });
    const deliveriesOf = (endpointId: number) => t.services.webhooks.deliveries(endpointId, 50);

    test('publishing queues a signed article.published carrying the content API article; an independent verifier accepts it', async () => {
      const { endpoint, secret } = await register('/ok');
      const article = await draft();
      await publish(article.id);
      assert.equal(receiver.received.length, 0, 'publishing only queues: nothing is sent inside the publish');
      await t.runJobs();
      const [got] = receiver.at('/ok');
      assert.ok(got, 'the receiver got the webhook');
      assert.match(String(got.headers['webhook-id']), /^msg_/);
      assert.match(String(got.headers['webhook-signature']), /^v1,[A-Za-z0-9+/=]+$/);
      assert.equal(got.headers['content-type'], 'application/json');
      const body = verified(secret, got);
      assert.equal(body.type, 'article.published');
      const contentApi = JSON.parse(JSON.stringify(new ApiMapper('http://news.test').article(await t.services.articles.getVisible(article.id))));
      assert.deepEqual(body.data, contentApi);
      assert.throws(() => new Webhook(`whsec_${Buffer.alloc(32, 7).toString('base64')}`).verify(got.body, got.headers as Record<string, string>), /signature/i);
      assert.throws(() => verified(secret, { ...got, body: got.body.replace('Flood', 'Fake') }), 'a changed body fails verification');
      const [d] = await deliveriesOf(endpoint.id);
      assert.equal(d!.status, 'succeeded');
      assert.equal(d!.responseStatus, 200);
      assert.equal(d!.attempts, 1);
      assert.ok(d!.latencyMs !== null && d!.latencyMs >= 0);
    });

    test('each workflow event is sent to the endpoints subscribed to it', async () => {
      const { secret } = await register('/all');
      await register('/killed-only', ['article.killed']);
      const a = await draft('Storm warning');
      await t.services.newsroom.workflow.save(editor, a.id, a.revision, { headline: 'Storm warning (draft edit)' });
      let current = await publish(a.id);
      current = await t.services.newsroom.workflow.save(editor, a.id, current.revision, { dek: 'Updated dek' });
      current = await t.services.newsroom.workflow.transition(editor, a.id, { action: 'correct', note: 'Fixed the place name.' });
      current = await t.services.newsroom.workflow.transition(editor, a.id, { action: 'unpublish' });
      current = await t.services.newsroom.workflow.transition(editor, a.id, { action: 'kill' });
      await t.runJobs();
      const types = receiver.at('/all').map((r) => verified(secret, r).type);
      assert.deepEqual(types, ['article.published', 'article.updated', 'article.corrected', 'article.unpublished', 'article.killed']);
      const bodies = receiver.at('/all').map((r) => verified(secret, r));
      assert.equal(bodies[1]!.data.dek, 'Updated dek');
      assert.deepEqual(bodies[2]!.data.corrections.map((c: { note: string }) => c.note), ['Fixed the place name.']);
      assert.deepEqual(bodies[3]!.data, { id: a.id, status: 'unpublished', url: `http://news.test/news/${a.id}` });
      assert.equal(bodies[4]!.data.status, 'killed');
      assert.equal(receiver.at('/killed-only').length, 1);
      assert.equal(JSON.parse(receiver.at('/killed-only')[0]!.body).type, 'article.killed');
    });

    test('an embargoed publish is announced when the embargo passes, not before', async () => {
      const { endpoint, secret } = await register('/embargo', ['article.published']);
      const a = await draft('Embargoed results');
      const until = t.clock.now + 3_600_000;
      await t.services.newsroom.workflow.transition(editor, a.id, { action: 'embargo', at: new Date(until).toISOString() });
      await publish(a.id);
      await t.runJobs();
      assert.equal(receiver.at('/embargo').length, 0, 'nothing while embargoed');
      const [pending] = await deliveriesOf(endpoint.id);
      assert.equal(pending!.nextAttemptAt, until);
      t.clock.set(until);
      await t.runJobs();
      const [got] = receiver.at('/embargo');
      assert.ok(got);
      assert.equal(verified(secret, got).data.id, a.id);
    });

    test('media.ready is sent when renditions are made (through the renditions job)', async () => {
      const { secret } = await register('/media', ['media.ready']);
      const { twoToneJpeg, tempFile } = await import('../helpers/media-files.js');
      const path = tempFile('p.jpg', await twoToneJpeg(800, 600));
      const item = await t.services.media.ingest({ path, filename: 'p.jpg', declaredMime: 'image/jpeg', alt: 'Alt' });
      await t.runJobs();
      const [got] = receiver.at('/media');
      assert.ok(got);
      const body = verified(secret, got);
      assert.equal(body.type, 'media.ready');
      assert.equal(body.data.id, item.id);
      assert.equal(body.data.state, 'ready');
      assert.ok(body.data.renditions.length > 0);
    });

    test('a 500 is retried with exponential backoff (same webhook-id) until it succeeds', async () => {
      receiver.on('/flaky', (n) => (n <= 2 ? { status: 500, body: 'boom' } : { status: 204 }));
      const { endpoint, secret } = await register('/flaky');
      const a = await draft();
      await publish(a.id);
      await t.runJobs();
      let [d] = await deliveriesOf(endpoint.id);
      assert.equal(d!.status, 'pending');
      assert.equal(d!.responseStatus, 500);
      assert.equal(d!.error, 'HTTP 500');
      assert.equal(d!.responseExcerpt, 'boom');
      assert.equal(d!.nextAttemptAt, t.clock.now + 5000, 'first backoff: 5 s');
      assert.equal(await t.runJobs(), 0, 'not before its backoff');
      t.clock.set(t.clock.now + 5000);
      await t.runJobs();
      [d] = await deliveriesOf(endpoint.id);
      assert.equal(d!.nextAttemptAt, t.clock.now + 20_000, 'second backoff: 20 s');
      t.clock.set(t.clock.now + 20_000);
      await t.runJobs();
      [d] = await deliveriesOf(endpoint.id);
      assert.equal(d!.status, 'succeeded');
      assert.equal(d!.attempts, 3);
      assert.equal(d!.responseStatus, 204);
      const got = receiver.at('/flaky');
      assert.equal(got.length, 3);
      assert.equal(new Set(got.map((r) => r.headers['webhook-id'])).size, 1, 'retries keep the webhook-id');
      for (const r of got) verified(secret, r);
      assert.equal((await t.services.webhooks.get(endpoint.id)).failureStreak, 0);
    });

    test('a receiver that never answers times out, is retried, and is given up after the cap', async () => {
      receiver.on('/slow', () => 'hang');
      const { endpoint } = await register('/slow');
      await publish((await draft()).id);
      await t.runJobs();
      let [d] = await deliveriesOf(endpoint.id);
      assert.equal(d!.status, 'pending');
      assert.match(d!.error!, /timed out/);
      assert.ok(d!.latencyMs! >= 1400, `latency ${d!.latencyMs}`);
      assert.equal(d!.responseStatus, null);
      for (const wait of [5000, 20_000]) {
        t.clock.set(t.clock.now + wait);
        await t.runJobs();
      }
      [d] = await deliveriesOf(endpoint.id);
      assert.equal(d!.status, 'failed');
      assert.equal(d!.attempts, 3);
      assert.equal(d!.nextAttemptAt, null);
      assert.equal(receiver.at('/slow').length, 3, 'three attempts were observed by the receiver');
      t.clock.set(t.clock.now + 3_600_000);
      assert.equal(await t.runJobs(), 0, 'capped: no more attempts');
      // Retry now sends it once more.
      receiver.on('/slow', () => ({ status: 200 }));
      await t.services.webhooks.retryNow(endpoint.id, d!.id);
      await t.runJobs();
      [d] = await deliveriesOf(endpoint.id);
      assert.equal(d!.status, 'succeeded');
      assert.equal(d!.attempts, 4, 'the log counts the manual attempt too');
      assert.equal(receiver.at('/slow').length, 4);
    });

    test('redirects are not followed and answers are read only up to a small limit', async () => {
      receiver.on('/moved', () => ({ status: 302, headers: { location: '/ok' } }));
      receiver.on('/big', () => ({ status: 200, body: 'x'.repeat(2_000_000) }));
      const moved = await register('/moved');
      const big = await register('/big');
      await publish((await draft()).id);
      await t.runJobs();
      const [m] = await deliveriesOf(moved.endpoint.id);
      assert.equal(m!.responseStatus, 302);
      assert.match(m!.error!, /redirects are not followed/);
      assert.equal(receiver.at('/ok').length, 0, 'the redirect target was never called');
      const [b] = await deliveriesOf(big.endpoint.id);
      assert.equal(b!.status, 'succeeded');
      assert.ok(b!.responseExcerpt!.length <= 1000);
    });

    test('an endpoint that keeps failing is switched off with a notice, and sends nothing more', async () => {
      receiver.on('/down', () => ({ status: 503 }));
      const { endpoint } = await register('/down');
      for (let i = 0; i < 5; i++) await publish((await draft(`Story ${i}`)).id);
      await t.runJobs();
      const after = await t.services.webhooks.get(endpoint.id);
      assert.equal(after.enabled, false);
      assert.match(after.disabledReason!, /Switched off automatically .* after 5 failed attempts in a row \(last: HTTP 503\)/);
      const audit = await t.services.newsroom.audit.list(20);
      assert.ok(audit.items.some((e) => e.action === 'webhook.disabled' && e.subject === `webhook:${endpoint.id}`));
      const sent = receiver.at('/down').length;
      assert.equal(sent, 5);
      await publish((await draft('After switch-off')).id);
      t.clock.set(t.clock.now + 3_600_000);
      await t.runJobs();
      assert.equal(receiver.at('/down').length, sent, 'nothing more is sent to a switched-off endpoint');
      // Switching it back on clears the notice and the streak.
      const back = await t.services.webhooks.update(owner, endpoint.id, { enabled: true });
      assert.equal(back.enabled, true);
      assert.equal(back.disabledReason, null);
      assert.equal(back.failureStreak, 0);
    });

    test('secret rotation: both secrets sign during the overlap, then only the new one', async () => {
      const { endpoint, secret: oldSecret } = await register('/rotate');
      const { secret: newSecret } = await t.services.webhooks.rotateSecret(owner, endpoint.id);
      assert.notEqual(newSecret, oldSecret);
      await publish((await draft('One')).id);
      await t.runJobs();
      const first = receiver.at('/rotate')[0]!;
      assert.equal(String(first.headers['webhook-signature']).split(' ').length, 2);
      verified(newSecret, first);
      verified(oldSecret, first);
      t.clock.set(t.clock.now + 25 * 3_600_000);
      await publish((await draft('Two')).id);
      await t.runJobs();
      const second = receiver.at('/rotate')[1]!;
      assert.equal(String(second.headers['webhook-signature']).split(' ').length, 1);
      verified(newSecret, second);
      assert.throws(() => verified(oldSecret, second));
    });

    test('private, loopback and link-local targets are refused unless allowed; DNS answers are checked too', async () => {
      const strict = await createTestDb(engine);
      try {
        const o = actor(await makeUser(strict, 'owner'));
        for (const url of ['http://127.0.0.1:9/x', 'http://localhost:9/x', 'http://169.254.169.254/latest/meta-data', 'http://10.0.0.5/', 'http://192.168.1.1/', 'http://[::1]/', 'http://[::ffff:127.0.0.1]/', 'http://[fe80::1]/', 'ftp://example.org/', 'http://user:pw@example.org/', 'not a url']) {
          await assert.rejects(strict.services.webhooks.create(o, { url, events: ['article.published'] }), (err: Error & { code?: string }) => {
            assert.equal(err.code, 'VALIDATION_FAILED', url);
            assert.match(err.message, /cannot receive webhooks|URL/, url);
            return true;
          });
        }
        // Connect-time check: a host name resolving to loopback is refused by the sender itself.
        await assert.rejects(postJson(`http://localhost:${new URL(receiver.url).port}/ok`, '{}', {}, { timeoutMs: 1000, maxResponseBytes: 100, allowed: [] }), TargetRefusedError);
        assert.equal(receiver.at('/ok').length, 0);
      } finally {
        await strict.cleanup();
      }
    });

    test('webhook jobs run on their own runners: the main runner never waits on a receiver', async () => {
      receiver.on('/slow', () => 'hang');
      await register('/slow');
      const a = await draft();
      await t.services.newsroom.workflow.transition(editor, a.id, { action: 'schedule', at: new Date(t.clock.now + 60_000).toISOString() });
      await publish((await draft('Now')).id);
      const handlers = createJobHandlers(t.services);
      const main = new JobRunner(t.services.repos.jobs, handlers, () => t.clock.now, { names: MAIN_RUNNER_NAMES });
      assert.equal(await main.runDue(), 0, 'the pending webhook job is not the main runner’s');
      t.clock.set(t.clock.now + 60_000);
      assert.equal(await main.runDue(), 1, 'the scheduled publish runs, webhooks or not');
      assert.equal((await t.services.newsroom.workflow.get(a.id)).status, 'published');
      const [hooks] = webhookRunners(t.services.repos.jobs, handlers, () => t.clock.now, 1);
      assert.equal(await hooks!.runDue(), 2, 'both article.published deliveries');
      const jobs = await t.services.repos.jobs.list({ name: JobName.WebhookDeliver });
      assert.equal(jobs.length, 2);
    });
  });
}
