import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../services/index.js';
import { WEBHOOK_EVENTS } from '../../services/webhooks/webhook-events.js';
import type { WebhookDelivery, WebhookEndpoint } from '../../services/webhooks/webhook.service.js';
import { principalOf, requireCapability } from '../plugins/auth.js';
import { IdParams } from '../schemas/admin.schemas.js';
import {
  CreateWebhookBody,
  DeliveryListQuery,
  DeliveryListSchema,
  DeliveryParams,
  PatchWebhookBody,
  WebhookDeliverySchema,
  WebhookEndpointSchema,
  WebhookListSchema,
  WebhookWithSecretSchema,
  type WebhookDeliveryDto,
  type WebhookEndpointDto,
} from '../schemas/webhooks.schemas.js';

const tags = ['admin'];
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function endpointDto(e: WebhookEndpoint): WebhookEndpointDto {
  return { ...e, previousSecretUntil: iso(e.previousSecretUntil), disabledAt: iso(e.disabledAt), createdAt: iso(e.createdAt)!, updatedAt: iso(e.updatedAt)! };
}

export function deliveryDto(d: WebhookDelivery): WebhookDeliveryDto {
  const { endpointId: _endpoint, ...rest } = d;
  return { ...rest, createdAt: iso(d.createdAt)!, lastAttemptAt: iso(d.lastAttemptAt), nextAttemptAt: iso(d.nextAttemptAt) };
}

/** Webhook endpoints (owners: the `apiKeys.manage` capability covers integrations), their log, retries and secrets. */
export function adminWebhooksRoutes(services: Services): FastifyPluginAsyncTypebox {
  const webhooks = services.webhooks;
  const guard = requireCapability('apiKeys.manage');
  return async (app) => {
    app.get('/webhooks', { preHandler: guard, schema: { tags, summary: 'Webhook endpoints and the events they can receive', response: { 200: WebhookListSchema } } }, async () => ({
      items: (await webhooks.list()).map(endpointDto),
      events: [...WEBHOOK_EVENTS],
    }));

    app.post(
      '/webhooks',
      { preHandler: guard, schema: { tags, summary: 'Register an endpoint; the signing secret is returned once', body: CreateWebhookBody, response: { 201: WebhookWithSecretSchema } } },
      async (request, reply) => {
        const { endpoint, secret } = await webhooks.create(principalOf(request), request.body);
        return reply.code(201).send({ endpoint: endpointDto(endpoint), secret });
      },
    );

    app.patch(
      '/webhooks/:id',
      { preHandler: guard, schema: { tags, summary: 'Change URL, description, events, or switch on/off', params: IdParams, body: PatchWebhookBody, response: { 200: WebhookEndpointSchema } } },
      async (request) => endpointDto(await webhooks.update(principalOf(request), request.params.id, request.body)),
    );

    app.delete('/webhooks/:id', { preHandler: guard, schema: { tags, summary: 'Remove an endpoint and its log', params: IdParams } }, async (request, reply) => {
      await webhooks.remove(principalOf(request), request.params.id);
      return reply.code(204).send();
    });

    app.post(
      '/webhooks/:id/rotate-secret',
      { preHandler: guard, schema: { tags, summary: 'New secret; the old one keeps signing beside it for 24 hours', params: IdParams, response: { 200: WebhookWithSecretSchema } } },
      async (request) => {
        const { endpoint, secret } = await webhooks.rotateSecret(principalOf(request), request.params.id);
        return { endpoint: endpointDto(endpoint), secret };
      },
    );

    app.post(
      '/webhooks/:id/test',
      { preHandler: guard, schema: { tags, summary: 'Send a webhook.test message to this endpoint', params: IdParams, response: { 202: WebhookDeliverySchema } } },
      async (request, reply) => reply.code(202).send(deliveryDto(await webhooks.sendTest(request.params.id))),
    );

    app.get(
      '/webhooks/:id/deliveries',
      { preHandler: guard, schema: { tags, summary: 'Delivery log, newest first', params: IdParams, querystring: DeliveryListQuery, response: { 200: DeliveryListSchema } } },
      async (request) => {
        const limit = request.query.limit ?? 50;
        const items = await webhooks.deliveries(request.params.id, limit + 1, request.query.cursor ? Number(request.query.cursor) : undefined);
        const more = items.length > limit;
        if (more) items.length = limit;
        return { items: items.map(deliveryDto), nextCursor: more ? String(items.at(-1)!.id) : null };
      },
    );

    app.post(
      '/webhooks/:id/deliveries/:deliveryId/retry',
      { preHandler: guard, schema: { tags, summary: 'Send this delivery again now (same webhook-id and body)', params: DeliveryParams, response: { 202: WebhookDeliverySchema } } },
      async (request, reply) => reply.code(202).send(deliveryDto(await webhooks.retryNow(request.params.id, request.params.deliveryId))),
    );
  };
}
