import type { FastifyInstance } from 'fastify';
import { DomainError } from '../../domain/errors.js';
import type { RateBucket, SharedLimits } from '../../services/limits/shared-limits.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Counts each request of a client address against this group's limit (429 RATE_LIMITED past it). */
    rateLimit?: RateBucket;
  }
}

/**
 * Rate limits per client address on the routes that name a bucket. Counted before the
 * body is read, so a flood costs no parsing; shared over Redis when it is configured.
 */
export function registerRateLimits(app: FastifyInstance, limits: SharedLimits): void {
  app.addHook('onRequest', async (request, reply) => {
    const bucket = request.routeOptions.config?.rateLimit;
    if (!bucket) return;
    try {
      await limits.take(bucket, request.ip);
    } catch (err) {
      const seconds = err instanceof DomainError ? err.extensions?.retryAfterSeconds : undefined;
      if (typeof seconds === 'number') reply.header('retry-after', String(seconds));
      throw err;
    }
  });
}
