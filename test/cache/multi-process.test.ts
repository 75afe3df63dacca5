import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.js';
import { buildApp } from '../../src/http/app.js';
import { createServices, type Services } from '../../src/services/index.js';
import { createTestDb, DIALECTS, type TestDb } from '../helpers/databases.js';
import { makeArticle, makeSection } from '../helpers/factories.js';
import { actor, makeUser } from '../helpers/newsroom.js';

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
if (!redisUp && process.env.CI === 'true') throw new Error(`Redis is required in CI (${REDIS_URL})`);

interface Node {
  handle: DatabaseHandle;
  services: Services;
  app: FastifyInstance;
  base: string;
  logs: string[];
  close(): Promise<void>;
}

/** A second app "node" over the same database, with its own page cache and purge bus. */
async function startNode(t: TestDb, redisUrl: string, prefix: string): Promise<Node> {
  const handle = openDatabase(t.handle.description, { poolSize: 4 });
  const services = createServices(handle, { dataDir: t.dataDir, mediaSitePrefix: 'test', contentCacheSeconds: 5, redisUrl, redisPrefix: prefix }, { clock: () => t.clock.now });
  const app = await buildApp(
    { siteName: 'Node', baseUrl: 'http://news.test', timeZone: 'UTC', datelineFormat: 'ddd MMM D, YYYY HH:mm:ss', languages: ['en'], logLevel: 'silent', requestLog: false, dataDir: t.dataDir },
    services,
  );
  const logs: string[] = [];
  services.pageCaching.log = (_level, message) => logs.push(message);
  await app.listen({ port: 0, host: '127.0.0.1' });
  await services.pageCaching.start();
  return {
    handle,
    services,
    app,
    base: `http://127.0.0.1:${(app.server.address() as { port: number }).port}`,
    logs,
    async close() {
      await services.pageCaching.stop();
      await app.close();
      await handle.close();
    },
  };
}

async function visibleWithin(node: Node, path: string, pattern: RegExp, limitMs: number): Promise<number> {
  const start = performance.now();
  for (;;) {
    const text = await (await fetch(node.base + path)).text();
    if (pattern.test(text)) return performance.now() - start;
    if (performance.now() - start > limitMs) throw new Error(`${path} did not show ${pattern} within ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

for (const engine of DIALECTS) {
  for (const mode of ['redis', 'database log', 'redis down'] as const) {
    describe(`two app processes on ${engine}, purges via ${mode}`, { skip: mode === 'redis' && !redisUp }, () => {
      let t: TestDb;
      let one: Node;
      let two: Node;
      let editor: ReturnType<typeof actor>;
      let world: number;
      let sportPage: string;
      before(async () => {
        t = await createTestDb(engine);
        const prefix = `test:${randomBytes(4).toString('hex')}:`;
        const url = mode === 'redis' ? REDIS_URL : mode === 'redis down' ? 'redis://127.0.0.1:1' : '';
        one = await startNode(t, url, prefix);
        two = await startNode(t, url, prefix);
        editor = actor(await makeUser(t, 'editor'));
        world = await makeSection(t, 'world', 'World');
        const sport = await makeSection(t, 'sport', 'Sport');
        await makeArticle(t, world, { headline: 'Port strike enters third day', bodyHtml: '<p>Dockers walked out.</p>' });
        await makeArticle(t, sport, { headline: 'Rowing crew wins gold', bodyHtml: '<p>Oars in unison.</p>' });
        sportPage = '/section/sport';
        // Let both take in the purges of the setup above before warming.
        await Promise.all([one.services.pageCaching.pollLog(true), two.services.pageCaching.pollLog(true)]);
        if (mode === 'redis') for (let i = 0; i < 100 && !(one.services.pageCaching.bus?.healthy && two.services.pageCaching.bus?.healthy); i++) await new Promise((r) => setTimeout(r, 20));
      });
      after(async () => {
        await one?.close();
        await two?.close();
        await t?.cleanup();
      });

      test('a publish on one process is visible on the other; unaffected entries stay', async () => {
        for (const node of [one, two]) for (let i = 0; i < 2; i++) for (const p of ['/section/world', sportPage]) await (await fetch(node.base + p)).text();
        assert.ok(two.services.pageCaching.cache!.has('/section/world'));
        const draft = await one.services.newsroom.workflow.create(editor, { headline: 'Strike ends with a deal', sectionId: world, bodyHtml: '<p>Agreed.</p>' });
        await one.services.newsroom.workflow.transition(editor, draft.id, { action: 'publish' });
        // Through Redis the log's poll applies nothing while the bus is healthy, so only the message
        // can have purged two's page: asserted by the bus's health after, not by the clock (a loaded
        // machine is slow either way).
        const ms = await visibleWithin(two, '/section/world', /Strike ends with a deal/, 10_000);
        if (mode === 'redis') assert.ok(two.services.pageCaching.bus?.healthy, `delivered through Redis (${ms.toFixed(0)} ms)`);
        assert.ok(two.services.pageCaching.cache!.has(sportPage), 'the sport page kept its entry on the other process');
        assert.ok(one.services.pageCaching.cache!.has(sportPage));
      });

      if (mode === 'redis down') {
        test('a process without Redis keeps serving and says so once', async () => {
          const res = await fetch(two.base + '/section/world');
          assert.equal(res.status, 200);
          await new Promise((r) => setTimeout(r, 600));
          assert.equal(two.logs.filter((l) => /Redis is unreachable/.test(l)).length, 1, two.logs.join('\n'));
          const ready = await fetch(two.base + '/readyz');
          assert.equal(ready.status, 503, '/readyz reports Redis');
        });
      }
    });
  }
}
