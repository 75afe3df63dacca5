import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { IdParam } from './common.schemas.js';

/**
 * Admin API schemas for webhook endpoints and their delivery log. The newsroom app
 * imports the Static types below, so a renamed field fails its type check.
 */
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Iso = Type.String({ format: 'date-time' });

export const WEBHOOK_EVENT_NAMES = ['article.published', 'article.updated', 'article.unpublished', 'article.corrected', 'article.killed', 'media.ready', 'breaking.alert', 'live.alert'] as const;
const EventName = Type.Unsafe<(typeof WEBHOOK_EVENT_NAMES)[number]>(Type.Union(WEBHOOK_EVENT_NAMES.map((e) => Type.Literal(e))));

export const WebhookEndpointSchema = Type.Object({
  id: Type.Integer(),
  url: Type.String(),
  description: Type.String(),
  events: Type.Array(EventName),
  enabled: Type.Boolean(),
  secretHint: Type.String({ description: 'The secret, masked (whsec_…abcd); shown whole only on creation and rotation' }),
  previousSecretUntil: Nullable(Iso),
  failureStreak: Type.Integer({ description: 'Failed attempts in a row' }),
  disabledReason: Nullable(Type.String({ description: 'Notice shown when the endpoint was switched off automatically' })),
  disabledAt: Nullable(Iso),
  createdAt: Iso,
  updatedAt: Iso,
});
export type WebhookEndpointDto = Static<typeof WebhookEndpointSchema>;

export const WebhookDeliverySchema = Type.Object({
  id: Type.Integer(),
  messageId: Type.String({ description: 'webhook-id header: the same on every retry' }),
  event: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('succeeded'), Type.Literal('failed')]),
  attempts: Type.Integer(),
  responseStatus: Nullable(Type.Integer()),
  latencyMs: Nullable(Type.Integer()),
  error: Nullable(Type.String()),
  responseExcerpt: Nullable(Type.String()),
  createdAt: Iso,
  lastAttemptAt: Nullable(Iso),
  nextAttemptAt: Nullable(Iso),
  payload: Type.String({ description: 'The JSON body sent' }),
});
export type WebhookDeliveryDto = Static<typeof WebhookDeliverySchema>;

export const CreateWebhookBody = Type.Object(
  {
    url: Type.String({ minLength: 1, maxLength: 2000 }),
    description: Type.Optional(Type.String({ maxLength: 500 })),
    events: Type.Array(Type.String({ maxLength: 50 }), { minItems: 1, maxItems: 20 }),
  },
  { additionalProperties: false },
);
export type CreateWebhookDto = Static<typeof CreateWebhookBody>;

export const PatchWebhookBody = Type.Object(
  {
    url: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
    description: Type.Optional(Type.String({ maxLength: 500 })),
    events: Type.Optional(Type.Array(Type.String({ maxLength: 50 }), { minItems: 1, maxItems: 20 })),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type PatchWebhookDto = Static<typeof PatchWebhookBody>;

export const WebhookWithSecretSchema = Type.Object({ endpoint: WebhookEndpointSchema, secret: Type.String({ description: 'whsec_… (Standard Webhooks); keep it with the receiver' }) });
export type WebhookWithSecretDto = Static<typeof WebhookWithSecretSchema>;

export const WebhookListSchema = Type.Object({ items: Type.Array(WebhookEndpointSchema), events: Type.Array(EventName) });
export type WebhookListDto = Static<typeof WebhookListSchema>;

export const DeliveryListSchema = Type.Object({ items: Type.Array(WebhookDeliverySchema), nextCursor: Nullable(Type.String()) });
export type DeliveryListDto = Static<typeof DeliveryListSchema>;

export const DeliveryListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(Type.String({ pattern: '^[0-9]{1,12}$', description: 'nextCursor of the previous page' })),
  },
  { additionalProperties: false },
);

export const DeliveryParams = Type.Object({ id: IdParam, deliveryId: IdParam }, { additionalProperties: false });
