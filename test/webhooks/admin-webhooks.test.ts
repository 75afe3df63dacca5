import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Webhook } from 'standardwebhooks';
import { buildApp } from '../../src/http/app.js';
import { createTestDb, DIALECTS, type TestDb } from '../helpers/databases.js';
import { makeSection } from '../helpers/factories.js';
import { actor, login, makeUser, type Client } from '../helpers/newsroom.js';
import { WebhookReceiver } from '../helpers/webhook-receiver.js';

for (const engine of DIALECTS) {
  describe(`webhooks admin API on ${engine}`, () => {
    let t: TestDb;
    let app: FastifyInstance;
    let receiver: WebhookReceiver;
    let owner: Client;
    let editor: Client;
    let section: number;

    before(async () => {
      receiver = await new WebhookReceiver().start();
      t = await createTestDb(engine, { webhooks: { webhookAllowPrivate: ['127.0.0.1/32'], webhookTimeoutMs: 5000, webhookMaxAttempts: 3 } });
      app = await buildApp(
        { siteName: 'Dateline Test', baseUrl: 'http://news.test', timeZone: 'UTC', datelineFormat: 'ddd MMM D, YYYY HH:mm:ss', languages: ['en'], logLevel: 'silent', requestLog: false, dataDir: t.dataDir },
        t.services,
      );
      await app.ready();
      owner = await login(app, await makeUser(t, 'owner'));
      editor = await login(app, await makeUser(t, 'editor'));
      section = await makeSection(t);
    });
    after(async () => {
      await app.close();
      await t.cleanup();
      await receiver.stop();
    });

    const publishOne = async (headline: string) => {
      const ed = actor(editor.user!);
      const a = await t.services.newsroom.workflow.create(ed, { headline, sectionId: section, bodyHtml: '<p>Text.</p>' });
      await t.services.newsroom.workflow.transition(ed, a.id, { action: 'publish' });
      return a.id;
    };

    test('owners register an endpoint and get its secret once; others may not', async () => {
      const res = await owner.post('/api/admin/webhooks', { url: `${receiver.url}/hook`, description: 'Partner A', events: ['article.published', 'article.killed'] });
      assert.equal(res.statusCode, 201, res.body);
      const body = res.json();
      assert.match(body.secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
      assert.equal(body.endpoint.secretHint, `whsec_…${body.secret.slice(-4)}`);
      assert.deepEqual(body.endpoint.events, ['article.published', 'article.killed']);
      const list = (await owner.get('/api/admin/webhooks')).json();
      assert.equal(list.items.length, 1);
      assert.ok(!JSON.stringify(list).includes(body.secret), 'the list never shows the secret');
      assert.deepEqual(list.events, ['article.published', 'article.updated', 'article.unpublished', 'article.corrected', 'article.killed', 'media.ready', 'breaking.alert', 'live.alert']);
      assert.equal((await editor.get('/api/admin/webhooks')).statusCode, 403);
      assert.equal((await editor.post('/api/admin/webhooks', { url: `${receiver.url}/x`, events: ['article.published'] })).statusCode, 403);
      assert.equal((await app.inject({ method: 'GET', url: '/api/admin/webhooks' })).statusCode, 401);
    });

    test('bad input is a 4xx problem with a readable message', async () => {
      const cases: [Record<string, unknown>, number, RegExp][] = [
        [{ url: 'http://10.1.2.3/hook', events: ['article.published'] }, 422, /private address/],
        [{ url: 'http://169.254.169.254/', events: ['article.published'] }, 422, /linkLocal address/],
        [{ url: 'gopher://x.example/', events: ['article.published'] }, 422, /https/],
        [{ url: `${receiver.url}/x`, events: ['article.exploded'] }, 422, /Unknown event "article.exploded"/],
        [{ url: `${receiver.url}/x`, events: [] }, 400, /events/],
        [{ events: ['article.published'] }, 400, /url/],
        [{ url: `${receiver.url}/x`, events: ['article.published'], colour: 'red' }, 400, /colour|additional/],
      ];
      for (const [payload, status, message] of cases) {
        const res = await owner.post('/api/admin/webhooks', payload);
        assert.equal(res.statusCode, status, JSON.stringify(payload));
        assert.match(String(res.headers['content-type']), /application\/problem\+json/);
        assert.match(res.json().detail, message, JSON.stringify(payload));
      }
      assert.equal((await owner.patch('/api/admin/webhooks/99999', { enabled: false })).statusCode, 404);
      assert.equal((await owner.get('/api/admin/webhooks/abc/deliveries')).statusCode, 400);
      assert.equal((await owner.get('/api/admin/webhooks/1/deliveries?cursor=zz')).statusCode, 400);
    });

    test('the delivery log shows status, latency and response code, and retry now sends again', async () => {
      receiver.on('/log', (n) => (n === 1 ? { status: 500, body: 'down' } : { status: 200, body: 'thanks' }));
      const created = (await owner.post('/api/admin/webhooks', { url: `${receiver.url}/log`, events: ['article.published'] })).json();
      const id = created.endpoint.id;
      await publishOne('Logged story');
      await t.runJobs();
      let log = (await owner.get(`/api/admin/webhooks/${id}/deliveries`)).json();
      assert.equal(log.items.length, 1);
      const d = log.items[0];
      assert.equal(d.event, 'article.published');
      assert.equal(d.status, 'pending');
      assert.equal(d.responseStatus, 500);
      assert.equal(d.attempts, 1);
      assert.equal(typeof d.latencyMs, 'number');
      assert.match(d.nextAttemptAt, /^\d{4}-/);
      assert.equal(JSON.parse(d.payload).data.headline, 'Logged story');
      const retried = await owner.post(`/api/admin/webhooks/${id}/deliveries/${d.id}/retry`);
      assert.equal(retried.statusCode, 202);
      await t.runJobs(); // due now, not after the backoff
      log = (await owner.get(`/api/admin/webhooks/${id}/deliveries`)).json();
      assert.equal(log.items[0].status, 'succeeded');
      assert.equal(log.items[0].responseStatus, 200);
      assert.equal(log.items[0].responseExcerpt, 'thanks');
      const sent = receiver.at('/log');
      assert.equal(sent.length, 2);
      new Webhook(created.secret).verify(sent[1]!.body, sent[1]!.headers as Record<string, string>);
      assert.equal((await owner.post(`/api/admin/webhooks/${id}/deliveries/999999/retry`)).statusCode, 404);
    });

    test('test event, secret rotation, switch off and on, delete', async () => {
      const created = (await owner.post('/api/admin/webhooks', { url: `${receiver.url}/manage`, events: ['article.updated'] })).json();
      const id = created.endpoint.id;
      const testRes = await owner.post(`/api/admin/webhooks/${id}/test`);
      assert.equal(testRes.statusCode, 202);
      assert.equal(testRes.json().event, 'webhook.test');
      const rotated = await owner.post(`/api/admin/webhooks/${id}/rotate-secret`);
      assert.equal(rotated.statusCode, 200);
      const { secret, endpoint } = rotated.json();
      assert.notEqual(secret, created.secret);
      assert.match(endpoint.previousSecretUntil, /^\d{4}-/);
      await t.runJobs();
      const [msg] = receiver.at('/manage');
      assert.equal(JSON.parse(new Webhook(secret).verify(msg!.body, msg!.headers as Record<string, string>) ? msg!.body : '{}').type, 'webhook.test');
      const off = await owner.patch(`/api/admin/webhooks/${id}`, { enabled: false, description: 'Paused' });
      assert.equal(off.json().enabled, false);
      assert.equal(off.json().description, 'Paused');
      assert.equal((await owner.patch(`/api/admin/webhooks/${id}`, { enabled: true })).json().enabled, true);
      assert.equal((await owner.del(`/api/admin/webhooks/${id}`)).statusCode, 204);
      assert.equal((await owner.get(`/api/admin/webhooks/${id}/deliveries`)).statusCode, 404);
    });
  });
}
