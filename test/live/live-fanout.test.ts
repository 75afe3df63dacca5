import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.js';
import { buildApp } from '../../src/http/app.js';
import { createServices, type Services } from '../../src/services/index.js';
import { createTestDb, DIALECTS, type TestDb } from '../helpers/databases.js';
import { makeArticle, makeSection } from '../helpers/factories.js';
import { actor, makeUser } from '../helpers/newsroom.js';
import { openSse } from '../helpers/sse.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const redisUp = await (async () => {
  const r = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await r.connect();
    await r.ping();
    return true;
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
})();

interface Node {
  services: Services;
  app: FastifyInstance;
  base: string;
  close(): Promise<void>;
}

/** An app process of its own over the shared database (its own hub, and Redis bus when given). */
async function startNode(t: TestDb, redisUrl: string, prefix: string): Promise<Node> {
  const handle: DatabaseHandle = openDatabase(t.handle.description, { poolSize: 4 });
  const services = createServices(handle, { dataDir: t.dataDir, mediaSitePrefix: 'test', contentCacheSeconds: 5, redisUrl, redisPrefix: prefix, languages: ['en'] }, { clock: () => t.clock.now });
  const app = await buildApp({ siteName: 'Node', baseUrl: 'http://news.test', timeZone: 'UTC', datelineFormat: 'ddd MMM D, YYYY HH:mm:ss', languages: ['en'], logLevel: 'silent', requestLog: false, dataDir: t.dataDir }, services);
  await app.listen({ port: 0, host: '127.0.0.1' });
  await services.live.start();
  return {
    services,
    app,
    base: `http://127.0.0.1:${(app.server.address() as { port: number }).port}`,
    async close() {
      services.live.stop();
      await app.close();
      await handle.close();
    },
  };
}

for (const engine of DIALECTS) {
  describe(`live fan-out across processes (${engine})`, () => {
    let t: TestDb;
    let blogId: number;
    let desk: ReturnType<typeof actor>;
    before(async () => {
      t = await createTestDb(engine, { webhooks: { webhookAllowPrivate: ['127.0.0.1/32'] } });
      const section = await makeSection(t);
      blogId = await makeArticle(t, section);
      desk = actor(await makeUser(t, 'editor'));
      await t.services.live.service.startBlog(desk, blogId);
    });
    after(async () => {
      t.services.live.stop();
      await t.cleanup();
    });

    test('through Redis: an entry written on one process reaches a reader held by another, carried by the message', { skip: redisUp ? false : `no Redis at ${REDIS_URL}` }, async () => {
      const prefix = `live-test-${process.pid}-${engine}:`;
      const [writer, holder] = [await startNode(t, REDIS_URL, prefix), await startNode(t, REDIS_URL, prefix)];
      try {
        await new Promise((r) => setTimeout(r, 200));
        assert.ok(holder.services.live.bus?.healthy, 'holder subscribed');
        const readers = await Promise.all(Array.from({ length: 5 }, () => openSse(`${holder.base}/live/events?language=en&blog=${blogId}`)));
        while (holder.services.live.hub.stats.readers < 5) await new Promise((r) => setTimeout(r, 10));
        const { reads: readsBefore, delivered: deliveredBefore, polls: pollsBefore } = holder.services.live.hub.stats;
        const writerReadsBefore = writer.services.live.hub.stats.reads;
        const started = Date.now();
        // Which way it came is in the hub's counts below (the message, or the 5 s safety poll), not
        // in the clock: a loaded machine is slow either way (npm run bench:live measures the delay).
        const entry = await writer.services.live.service.addEntry(desk, blogId, { kind: 'text', bodyHtml: '<p>Across processes</p>' });
        for (const r of readers) await r.waitFor(1, 10_000);
        console.log(`# ${engine}: delivered through Redis in ${Date.now() - started} ms`);
        for (const r of readers) assert.equal(JSON.parse(r.events[0]!.data).entry.id, entry.id);
        const stats = holder.services.live.hub.stats;
        if (stats.polls === pollsBefore) {
          // The Redis message carried the event: the holder wrote it out without reading the log.
          assert.equal(stats.delivered - deliveredBefore, 1, 'the event came with the message');
          assert.equal(stats.reads - readsBefore, 0, 'no database read for five readers');
        } else assert.ok(stats.reads - readsBefore <= 1, 'the safety poll read it once');
        assert.equal(writer.services.live.hub.stats.reads - writerReadsBefore, 0, 'the writer\'s own hub needs no read either');
        for (const r of readers) r.close();
      } finally {
        await writer.close();
        await holder.close();
      }
    });

    test('without Redis: the hub\'s poll of the log delivers', async () => {
      const [writer, holder] = [await startNode(t, '', ''), await startNode(t, '', '')];
      try {
        const reader = await openSse(`${holder.base}/live/events?language=en&blog=${blogId}`);
        while (holder.services.live.hub.stats.readers < 1) await new Promise((r) => setTimeout(r, 10));
        const started = Date.now();
        const polls = holder.services.live.hub.stats.polls;
        await writer.services.live.service.addEntry(desk, blogId, { kind: 'text', bodyHtml: '<p>Polled</p>' });
        await reader.waitFor(1, 10_000);
        assert.ok(holder.services.live.hub.stats.polls > polls, 'the poll of the log delivered it');
        console.log(`# ${engine}: delivered by the log's poll in ${Date.now() - started} ms`);
        reader.close();
      } finally {
        await writer.close();
        await holder.close();
      }
    });

    test('alerts: a breaking item and a live entry marked as alerts queue one webhook each, naming the language', async () => {
      await t.services.webhooks.create(desk, { url: 'http://127.0.0.1:9/hook', events: ['breaking.alert', 'live.alert'] });
      await t.services.live.service.setBreaking(desk, { language: 'en', headline: 'Airport closed', url: '/', alert: true });
      await t.services.live.service.setBreaking(desk, { language: 'en', headline: 'Not an alert', url: '/' });
      await t.services.live.service.addEntry(desk, blogId, { kind: 'text', bodyHtml: '<p>Runway reopened</p>', alert: true });
      await t.services.live.service.addEntry(desk, blogId, { kind: 'text', bodyHtml: '<p>Quiet entry</p>' });
      const rows = await t.handle.db.selectFrom('webhook_deliveries').select(['event', 'payload']).orderBy('id').execute();
      assert.deepEqual(rows.map((r) => r.event), ['breaking.alert', 'live.alert']);
      const breaking = JSON.parse(rows[0]!.payload);
      assert.equal(breaking.type, 'breaking.alert');
      assert.equal(breaking.data.language, 'en');
      assert.equal(breaking.data.headline, 'Airport closed');
      assert.equal(breaking.data.url, 'http://news.test/');
      const live = JSON.parse(rows[1]!.payload);
      assert.equal(live.data.language, 'en');
      assert.equal(live.data.text, 'Runway reopened');
      assert.equal(live.data.url, `http://news.test/news/${blogId}`);
    });
  });
}
