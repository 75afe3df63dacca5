import type { WebhookDeliveryRow, WebhookEndpointRow } from '../../db/repositories/webhook.repository.js';
import { isWebhookEvent, type WebhookEvent } from './webhook-events.js';

/** Webhook endpoints and deliveries as the service hands them out (times in epoch ms). */
export interface WebhookEndpoint {
  id: number;
  url: string;
  description: string;
  events: WebhookEvent[];
  enabled: boolean;
  /** Shown masked: `whsec_…abcd`. */
  secretHint: string;
  /** Until when the previous secret still signs (after a rotation), or null. */
  previousSecretUntil: number | null;
  failureStreak: number;
  /** The notice shown when the endpoint was switched off automatically. */
  disabledReason: string | null;
  disabledAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface WebhookDelivery {
  id: number;
  endpointId: number;
  messageId: string;
  event: string;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: number;
  responseStatus: number | null;
  latencyMs: number | null;
  error: string | null;
  responseExcerpt: string | null;
  createdAt: number;
  lastAttemptAt: number | null;
  nextAttemptAt: number | null;
  payload: string;
}

export interface EndpointInput {
  url?: string;
  description?: string;
  events?: string[];
  enabled?: boolean;
}


export function endpointOf(row: WebhookEndpointRow): WebhookEndpoint {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: (JSON.parse(row.events_json) as string[]).filter(isWebhookEvent),
    enabled: row.enabled === 1,
    secretHint: `whsec_…${row.secret.slice(-4)}`,
    previousSecretUntil: row.previous_secret ? row.previous_secret_until : null,
    failureStreak: row.failure_streak,
    disabledReason: row.disabled_reason,
    disabledAt: row.disabled_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function deliveryOf(row: WebhookDeliveryRow): WebhookDelivery {
  return {
    id: row.id,
    endpointId: row.endpoint_id,
    messageId: row.message_id,
    event: row.event,
    status: row.status,
    attempts: row.attempts,
    responseStatus: row.response_status,
    latencyMs: row.latency_ms,
    error: row.error,
    responseExcerpt: row.response_excerpt,
    createdAt: row.created_at,
    lastAttemptAt: row.last_attempt_at,
    nextAttemptAt: row.next_attempt_at,
    payload: row.payload,
  };
}
