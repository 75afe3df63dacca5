import type { Generated } from 'kysely';

/** Webhook endpoints and their delivery log (migration 015). */
export interface WebhookTables {
  webhook_endpoints: WebhookEndpointTable;
  webhook_deliveries: WebhookDeliveryTable;
}

// Adds the tables to the one Database type without editing the shared list in schema.ts.
declare module '../schema.js' {
  interface Database extends WebhookTables {}
}

export interface WebhookEndpointTable {
  id: Generated<number>;
  url: string;
  description: string;
  /** JSON array of event types, e.g. `["article.published"]`. */
  events_json: string;
  /** `whsec_` + base64 key (Standard Webhooks); kept to sign, shown to owners. */
  secret: string;
  /** The secret before the last rotation: still signs (beside the new one) until `previous_secret_until`. */
  previous_secret: string | null;
  previous_secret_until: number | null;
  enabled: number;
  /** Failed attempts in a row; a success resets it. */
  failure_streak: number;
  /** Why it was switched off automatically (shown as a notice), or null. */
  disabled_reason: string | null;
  disabled_at: number | null;
  created_at: number;
  updated_at: number;
}

export type WebhookDeliveryStatus = 'pending' | 'succeeded' | 'failed';

export interface WebhookDeliveryTable {
  id: Generated<number>;
  endpoint_id: number;
  /** `webhook-id`: the same on every retry, so receivers can deduplicate. */
  message_id: string;
  event: string;
  /** The exact JSON body sent (fixed when the event happened). */
  payload: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  response_status: number | null;
  latency_ms: number | null;
  error: string | null;
  /** The first bytes of the receiver's answer. */
  response_excerpt: string | null;
  created_at: number;
  last_attempt_at: number | null;
  next_attempt_at: number | null;
}
