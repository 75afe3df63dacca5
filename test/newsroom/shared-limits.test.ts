import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.js';
import { buildApp } from '../../src/http/app.js';
import { createServices, type Services } from '../../src/services/index.js';
import { createTestDb, DIALECTS, type TestDb } from '../helpers/databases.js';
import { makeUser } from '../helpers/newsroom.js';
import { PrivateRedis, REDIS_SERVER_AVAILABLE } from '../helpers/redis-server.js';

const LIMIT = 5;

interface Node {
  services: Services;
  app: FastifyInstance;
  logs: string[];
  close(): Promise<void>;
}

/** An app "process" over the test's database with its own limits (in-process counter, Redis connection). */
async function startNode(t: TestDb, redisUrl: string, prefix: string): Promise<Node> {
  const handle: DatabaseHandle = openDatabase(t.handle.description, { poolSize: 2 });
  const services = createServices(handle, { dataDir: t.dataDir, mediaSitePrefix: 'test', contentCacheSeconds: 5, redisUrl, redisPrefix: prefix, authRatePerMinute: LIMIT }, { clock: () => t.clock.now });
  const app = await buildApp(
    { siteName: 'Node', baseUrl: 'http://news.test', timeZone: 'UTC', datelineFormat: 'ddd MMM D, YYYY HH:mm:ss', languages: ['en'], logLevel: 'silent', requestLog: false, dataDir: t.dataDir },
    services,
  );
  await app.ready();
  const logs: string[] = [];
  services.limits.log = (_level, message) => logs.push(message);
  await services.limits.start();
  return {
    services,
    app,
    logs,
    async close() {
      await services.limits.stop();
      await app.close();
      await handle.close();
    },
  };
}

let guess = 0;
const signIn = (node: Node, email: string, password: string, address: string) =>
  node.app.inject({ method: 'POST', url: '/api/admin/session', payload: { email, password }, remoteAddress: address });

async function throttleRows(t: TestDb, key: string): Promise<number> {
  return (await t.handle.db.selectFrom('login_throttle').select('key').where('key', '=', key).execute()).length;
}

async function until(what: string, ok: () => boolean, limitMs = 8000): Promise<void> {
  const start = Date.now();
  while (!ok()) {
    if (Date.now() - start > limitMs) throw new Error(`${what}: not within ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Five wrong passwords for `email`, each from its own address (so only the account lock counts). */
async function lockAccount(node: Node, email: string, tag: string): Promise<void> {
  for (let i = 1; i <= 5; i++) {
    const res = await signIn(node, email, 'wrong password!', `10.${tag}.0.${i}`);
    assert.equal(res.statusCode, i < 5 ? 401 : 429, res.body);
    if (i === 5) assert.equal(res.json().code, 'LOGIN_LOCKED');
  }
}

for (const engine of DIALECTS) {
  describe(`rate limits and sign-in lockouts on ${engine}, without Redis`, () => {
    let t: TestDb;
    let one: Node;
    let two: Node;
    before(async () => {
      t = await createTestDb(engine);
      one = await startNode(t, '', '');
      two = await startNode(t, '', '');
    });
    after(async () => {
      await one?.close();
      await two?.close();
      await t?.cleanup();
    });

    test('each process counts its own requests: the sixth in a minute is 429 RATE_LIMITED with Retry-After', async () => {
      for (let i = 0; i < LIMIT; i++) assert.equal((await signIn(one, `nobody${++guess}@news.test`, 'guess guess', '10.1.0.1')).statusCode, 401);
      const refused = await signIn(one, `nobody${++guess}@news.test`, 'guess guess', '10.1.0.1');
      assert.equal(refused.statusCode, 429);
      assert.match(String(refused.headers['content-type']), /application\/problem\+json/);
      assert.equal(refused.json().code, 'RATE_LIMITED');
      assert.match(refused.json().detail, /Try again in \d+ seconds?/);
      const retryAfter = Number(refused.headers['retry-after']);
      assert.ok(retryAfter >= 1 && retryAfter <= 60, String(refused.headers['retry-after']));
      // Other addresses and the other process are not affected.
      assert.equal((await signIn(one, `nobody${++guess}@news.test`, 'guess guess', '10.1.0.2')).statusCode, 401);
      assert.equal((await signIn(two, `nobody${++guess}@news.test`, 'guess guess', '10.1.0.1')).statusCode, 401);
      // Password-reset requests share the bucket.
      assert.equal((await one.app.inject({ method: 'POST', url: '/api/admin/password-resets', payload: { email: 'a@news.test' }, remoteAddress: '10.1.0.1' })).statusCode, 429);
      const metrics = (await one.app.inject('/metrics')).body;
      assert.match(metrics, /^dateline_rate_limited_total 2$/m);
      assert.match(metrics, /^dateline_limits_redis_up 0$/m);
    });

    test('lockouts stay in the database, so both processes share them', async () => {
      const u = await makeUser(t, 'author');
      await lockAccount(one, u.email, '2');
      assert.equal((await signIn(two, u.email, u.password, '10.2.1.1')).json().code, 'LOGIN_LOCKED');
      assert.equal(await throttleRows(t, `account:${u.email}`), 1);
    });
  });

  describe(`rate limits and sign-in lockouts on ${engine}, shared in Redis`, { skip: !REDIS_SERVER_AVAILABLE && 'redis-server is not installed' }, () => {
    let t: TestDb;
    let redis: PrivateRedis;
    let one: Node;
    let two: Node;
    before(async () => {
      t = await createTestDb(engine);
      redis = await PrivateRedis.start();
      const prefix = `test:${randomBytes(4).toString('hex')}:`;
      one = await startNode(t, redis.url, prefix);
      two = await startNode(t, redis.url, prefix);
      assert.ok(one.services.limits.redisReady && two.services.limits.redisReady);
    });
    after(async () => {
      await one?.close();
      await two?.close();
      await redis?.stop();
      await t?.cleanup();
    });

    test('one count for every process: three requests here and two there use up the minute', async () => {
      for (let i = 0; i < 3; i++) assert.equal((await signIn(one, `nobody${++guess}@news.test`, 'guess guess', '10.5.0.1')).statusCode, 401);
      for (let i = 0; i < 2; i++) assert.equal((await signIn(two, `nobody${++guess}@news.test`, 'guess guess', '10.5.0.1')).statusCode, 401);
      assert.equal((await signIn(two, `nobody${++guess}@news.test`, 'guess guess', '10.5.0.1')).json().code, 'RATE_LIMITED');
      assert.equal((await signIn(one, `nobody${++guess}@news.test`, 'guess guess', '10.5.0.1')).json().code, 'RATE_LIMITED');
      assert.equal((await signIn(one, `nobody${++guess}@news.test`, 'guess guess', '10.5.0.2')).statusCode, 401, 'another address has its own count');
    });

    test('a lockout made on one process holds on the other, kept in Redis (not the database); lifting it works everywhere', async () => {
      const u = await makeUser(t, 'author');
      await lockAccount(one, u.email, '6');
      const locked = await signIn(two, u.email, u.password, '10.6.1.1');
      assert.equal(locked.statusCode, 429);
      assert.equal(locked.json().code, 'LOGIN_LOCKED');
      assert.ok(Number(locked.headers['retry-after']) > 800, 'the lock lasts its 15 minutes');
      assert.equal(await throttleRows(t, `account:${u.email}`), 0, 'nothing written to the database');
      await two.services.newsroom.auth.liftLockout(u.email);
      assert.equal((await signIn(one, u.email, u.password, '10.6.1.2')).statusCode, 200);
    });

    test('Redis stopped mid-run: requests keep succeeding, limits count per process, lockouts go to the database, said once; then sharing resumes', async () => {
      await redis.stop();
      await until('both processes notice', () => !one.services.limits.redisReady && !two.services.limits.redisReady);
      for (let i = 0; i < LIMIT; i++) {
        const res = await signIn(one, `nobody${++guess}@news.test`, 'guess guess', '10.7.0.1');
        assert.equal(res.statusCode, 401, res.body);
      }
      // A refusal does no password hashing: its time is the limiter's alone.
      const started = performance.now();
      const refused = await signIn(one, `nobody${++guess}@news.test`, 'guess guess', '10.7.0.1');
      const took = performance.now() - started;
      assert.equal(refused.json().code, 'RATE_LIMITED', 'the local limiter took over');
      assert.ok(took < 500, `no request waits on the missing Redis (${took.toFixed(0)} ms)`);
      assert.equal((await signIn(two, `nobody${++guess}@news.test`, 'guess guess', '10.7.0.1')).statusCode, 401, 'counted per process meanwhile');
      const u = await makeUser(t, 'author');
      await lockAccount(one, u.email, '8');
      assert.equal((await signIn(two, u.email, u.password, '10.8.1.1')).json().code, 'LOGIN_LOCKED', 'the database shares the lock meanwhile');
      assert.equal(await throttleRows(t, `account:${u.email}`), 1);
      for (const node of [one, two]) assert.equal(node.logs.filter((l) => /Redis is unreachable/.test(l)).length, 1, node.logs.join('\n'));
      const during = (await one.app.inject('/metrics')).body;
      assert.match(during, /^dateline_limits_redis_up 0$/m);
      assert.ok(Number(/^dateline_limits_fallbacks_total (\d+)$/m.exec(during)?.[1]) >= LIMIT, 'checks made without Redis are counted');

      await redis.resume();
      await until('both reconnect', () => one.services.limits.redisReady && two.services.limits.redisReady);
      for (const node of [one, two]) assert.equal(node.logs.filter((l) => /Redis is back/.test(l)).length, 1, node.logs.join('\n'));
      assert.match((await one.app.inject('/metrics')).body, /^dateline_limits_redis_up 1$/m);
      for (let i = 0; i < 3; i++) assert.equal((await signIn(one, `nobody${++guess}@news.test`, 'guess guess', '10.9.0.1')).statusCode, 401);
      for (let i = 0; i < 2; i++) assert.equal((await signIn(two, `nobody${++guess}@news.test`, 'guess guess', '10.9.0.1')).statusCode, 401);
      assert.equal((await signIn(two, `nobody${++guess}@news.test`, 'guess guess', '10.9.0.1')).json().code, 'RATE_LIMITED', 'shared again');
    });
  });
}
