import { timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import { DomainError } from '../../domain/errors.js';
import { text } from '../../site/i18n.js';
import type { Services } from '../../services/index.js';
import type { Registry } from 'prom-client';

const CHECK_TIMEOUT_MS = 2000;

async function check(work: () => Promise<unknown>): Promise<{ ok: boolean; error?: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      work(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return { ok: true };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

function tokenMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.replace(/^Bearer\s+/i, '') ?? '');
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}

/** Operators' endpoints: liveness, readiness, Prometheus metrics. Never cached. */
export function opsRoutes(services: Services, registry: Registry, options: { metricsToken: string }): FastifyPluginAsync {
  return async (app) => {
    const noStore = { 'cache-control': 'no-store' };

    app.get('/healthz', async (_request, reply) => reply.headers(noStore).send({ status: 'ok' }));

    app.get('/readyz', async (_request, reply) => {
      const caching = services.pageCaching;
      const checks: Record<string, { ok: boolean; error?: string }> = {
        database: await check(() => caching.ops.ping()),
        mediaStore: await check(() => services.mediaStore.exists('.readyz-probe')),
      };
      if (caching.config.redisUrl) checks.redis = await check(() => caching.bus?.ping() ?? Promise.reject(new Error('not started')));
      // Shutting down: the load balancer should stop sending new requests here.
      if (caching.draining) checks.shutdown = { ok: false, error: 'shutting down' };
      const ok = Object.values(checks).every((c) => c.ok);
      return reply.code(ok ? 200 : 503).headers(noStore).send({ status: ok ? 'ready' : 'not ready', checks });
    });

    app.get('/metrics', async (request, reply) => {
      if (options.metricsToken) {
        if (!tokenMatches(request.headers.authorization, options.metricsToken)) {
          throw new DomainError('UNAUTHENTICATED', text('metricsToken'));
        }
      } else if (!LOOPBACK.has(request.socket.remoteAddress ?? '')) {
        throw new DomainError('FORBIDDEN', text('metricsLoopback'));
      }
      return reply.headers(noStore).type(registry.contentType).send(await registry.metrics());
    });
  };
}
