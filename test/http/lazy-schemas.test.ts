import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import Fastify from 'fastify';
import { Type } from '@sinclair/typebox';
import { LazySchemas } from '../../src/http/lazy-schemas.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

/** Issue 14 item 5: route schemas compile on first use, so a start does not pay for every route. */
describe('route schemas compiled on first use', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp('sqlite');
  });
  after(async () => t?.cleanup());

  it('a ready app has compiled none of its route schemas, and a request compiles only its route’s', async () => {
    const lazy = t.app.lazySchemas;
    const routesWithSchemas = t.app.routeTable.filter((r) => r.schema && (r.schema.querystring || r.schema.body || r.schema.params || r.schema.response));
    assert.ok(routesWithSchemas.length >= 50, `${routesWithSchemas.length} routes have schemas`);
    assert.equal(lazy.compiled, 0);
    const res = await t.app.inject('/api/v1/articles?limit=3');
    assert.equal(res.statusCode, 200);
    const afterOne = lazy.compiled;
    assert.ok(afterOne >= 1 && afterOne <= 4, `one route's querystring and response schemas: ${afterOne}`);
    await t.app.inject('/api/v1/articles?limit=4');
    assert.equal(lazy.compiled, afterOne, 'compiled once, not per request');
  });

  it('building and readying the app loads no schema compiler (Ajv is ~90 modules)', () => {
    const script = `
      import { createRequire } from 'node:module';
      import { createTestApp } from './test/helpers/app.ts';
      const t = await createTestApp('sqlite');
      const loaded = Object.keys(createRequire(import.meta.url).cache);
      await t.cleanup();
      process.stdout.write(JSON.stringify(['ajv', '@fastify/ajv-compiler'].filter((name) => loaded.some((path) => path.includes('/node_modules/' + name + '/')))));`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), []);
  });

  it('validates as before: coercion, defaults, and an editor-readable 400 for bad input', async () => {
    const ok = await t.app.inject('/api/v1/articles?limit=2');
    assert.equal(ok.statusCode, 200);
    const bad = await t.app.inject('/api/v1/articles?limit=abc');
    assert.equal(bad.statusCode, 400);
    assert.match(String(bad.headers['content-type']), /application\/problem\+json/);
    assert.match(JSON.stringify(bad.json()), /limit/);
    const tooMany = await t.app.inject('/api/v1/articles?limit=5000');
    assert.equal(tooMany.statusCode, 400);
    const unknown = await t.app.inject('/api/v1/articles?nonsense=1');
    assert.equal(unknown.statusCode, 400, 'unknown query parameters stay errors');
  });

  it('compileAll compiles every route schema of the app without error', () => {
    const lazy = t.app.lazySchemas;
    const before = lazy.compiled;
    lazy.compileAll();
    assert.ok(lazy.compiled > before + 50, `${lazy.compiled - before} more schemas compiled`);
    const again = lazy.compiled;
    lazy.compileAll();
    assert.equal(lazy.compiled, again, 'nothing is left pending');
  });

  it('a schema that does not compile fails compileAll and its route’s requests, not the start', async () => {
    const lazy = new LazySchemas();
    const app = Fastify({ schemaController: { compilersFactory: lazy.factories } });
    app.get('/broken', { schema: { querystring: { type: 'object', properties: { n: { type: 'nonsense' } } } } }, async () => ({ ok: true }));
    app.get('/fine', { schema: { querystring: Type.Object({ n: Type.Integer({ default: 7 }) }), response: { 200: Type.Object({ n: Type.Integer(), twice: Type.Integer() }) } } }, async (request) => {
      const { n } = request.query as { n: number };
      return { n, twice: n * 2, extra: 'dropped by the serializer' };
    });
    try {
      await app.ready();
      assert.throws(() => lazy.compileAll(), /schema is invalid/);
      assert.equal((await app.inject('/broken')).statusCode, 500);
      const fine = await app.inject('/fine?n=21');
      assert.deepEqual(fine.json(), { n: 21, twice: 42 }, 'coerced to a number, and serialized by the response schema');
      assert.deepEqual((await app.inject('/fine')).json(), { n: 7, twice: 14 }, 'defaults apply');
    } finally {
      await app.close();
    }
  });

  it('refuses a header schema at start-up (its names would not be lower-cased)', async () => {
    const lazy = new LazySchemas();
    const app = Fastify({ schemaController: { compilersFactory: lazy.factories } });
    app.get('/h', { schema: { headers: Type.Object({ 'X-Key': Type.String() }) } }, async () => ({}));
    await assert.rejects(async () => app.ready(), /header schemas are not supported/);
    await app.close().catch(() => {});
  });
});
