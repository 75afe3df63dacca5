import { readFileSync } from 'node:fs';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Services } from '../../services/index.js';

/** A push service URL: browsers' are https and a few hundred characters at most. */
const Endpoint = Type.String({ minLength: 8, maxLength: 1000, description: 'PushSubscription.endpoint' });
const Subscription = Type.Object(
  {
    language: Type.String({ minLength: 2, maxLength: 10, pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$', description: 'Language whose alerts to receive' }),
    endpoint: Endpoint,
    keys: Type.Object(
      {
        p256dh: Type.String({ minLength: 80, maxLength: 100, description: 'Browser public key (base64url)' }),
        auth: Type.String({ minLength: 16, maxLength: 30, description: 'Authentication secret (base64url)' }),
      },
      { additionalProperties: false },
    ),
    expirationTime: Type.Optional(Type.Union([Type.Null(), Type.Integer({ minimum: 0, maximum: 9_007_199_254_740_991 })])),
  },
  { additionalProperties: false },
);

/** A subscription is well under 2 KiB; larger bodies are refused (413) before they are parsed. */
const SUBSCRIPTION_BODY_BYTES = 4096;

/**
 * Web Push alerts (public): the VAPID public key a page subscribes with, and
 * subscribing/unsubscribing a browser (rate-limited per address, PUSH_RATE_PER_MINUTE).
 * 404 problem+json when VAPID is not configured.
 */
export function pushRoutes(services: Services): FastifyPluginAsyncTypebox {
  const push = services.push;
  const worker = readFileSync(new URL('../../site/assets/push-sw.js', import.meta.url), 'utf8');
  return async (app) => {
    // The service worker keeps one stable address (browsers re-check it themselves): short cache.
    app.get('/push/sw.js', async (_request, reply) => {
      push.publicKey(); // 404 when Web Push is off
      return reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=300').header('service-worker-allowed', '/').send(worker);
    });
    app.get('/push/key', async (_request, reply) => reply.header('cache-control', 'public, max-age=300').send({ publicKey: push.publicKey() }));
    app.post('/push/subscriptions', { bodyLimit: SUBSCRIPTION_BODY_BYTES, config: { rateLimit: 'push' }, schema: { body: Subscription } }, async (request, reply) => {
      const saved = await push.subscribe(request.body);
      return reply.code(201).header('cache-control', 'no-store').send(saved);
    });
    app.delete('/push/subscriptions', { bodyLimit: SUBSCRIPTION_BODY_BYTES, config: { rateLimit: 'push' }, schema: { body: Type.Object({ endpoint: Endpoint }, { additionalProperties: false }) } }, async (request, reply) => {
      await push.unsubscribe(request.body.endpoint);
      return reply.code(204).header('cache-control', 'no-store').send();
    });
  };
}
