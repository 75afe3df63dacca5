import type { Kysely } from 'kysely';
import type { ArticleRepository } from '../../db/repositories/article.repository.js';
import type { JobRow } from '../../db/repositories/job.repository.js';
import type { MediaRepository } from '../../db/repositories/media.repository.js';
import type { WebhookEndpointRow, WebhookRepository } from '../../db/repositories/webhook.repository.js';
import type { Database } from '../../db/schema.js';
import type { Article, Media } from '../../domain/article.js';
import { DomainError } from '../../domain/errors.js';
import { text } from '../../site/i18n.js';
import type { Principal } from '../../domain/roles.js';
import { JobName } from '../../jobs/job-names.js';
import type { JobQueue } from '../../jobs/job-queue.js';
import { retryDelayMs } from '../../jobs/job-runner.js';
import type { AuditService } from '../audit.service.js';
import type { Clock } from '../clock.js';
import { checkTarget, parseAllowList, postJson, TargetRefusedError } from './safe-http.js';
import { eventOfChange, isWebhookEvent, TEST_EVENT, WEBHOOK_EVENTS, type WebhookEvent } from './webhook-events.js';
import { newMessageId, newWebhookSecret, webhookHeaders } from './webhook-signature.js';
import { deliveryOf, endpointOf, type EndpointInput, type WebhookDelivery, type WebhookEndpoint } from './webhook-records.js';

export type { EndpointInput, WebhookDelivery, WebhookEndpoint } from './webhook-records.js';

/** Turns content into the content API's JSON (the http layer's ApiMapper, passed in at the composition root). */
export interface WebhookPayloadMapper {
  article(a: Article): unknown;
  media(m: Media | null): unknown;
}

export interface WebhookSettings {
  allowPrivate: readonly string[];
  timeoutMs: number;
  maxAttempts: number;
  disableAfter: number;
  /** Answers are read up to this many bytes. */
  maxResponseBytes: number;
  /** How long the secret before a rotation keeps signing beside the new one. */
  rotationOverlapMs: number;
  baseUrl: string;
}

export const DEFAULT_WEBHOOK_SETTINGS: WebhookSettings = {
  allowPrivate: [],
  timeoutMs: 5000,
  maxAttempts: 8,
  disableAfter: 20,
  maxResponseBytes: 4096,
  rotationOverlapMs: 24 * 3_600_000,
  baseUrl: '',
};

const MAX_URL = 2000;
const MAX_DESCRIPTION = 500;

const deliveryJobKey = (deliveryId: number) => `webhook:${deliveryId}`;

/**
 * Standard Webhooks for partners. A committed change only writes a delivery row and a
 * job (milliseconds, whatever the receivers do); the job runners reserved for webhook
 * jobs send it, signed, with a short deadline, no redirects, a capped read and no
 * private targets, retrying with exponential backoff up to a cap. Endpoints that keep
 * failing are switched off with a notice.
 */
export class WebhookService {
  private readonly allowed;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly repo: WebhookRepository,
    private readonly articles: ArticleRepository,
    private readonly media: MediaRepository,
    private readonly jobs: JobQueue,
    private readonly payloads: WebhookPayloadMapper,
    private readonly settings: WebhookSettings,
    private readonly clock: Clock,
    private readonly audit: AuditService | null = null,
    private readonly warn: (message: string) => void = () => {},
  ) {
    this.allowed = parseAllowList(settings.allowPrivate);
  }

  // ——— endpoints (owners, in the newsroom app) ———

  async list(): Promise<WebhookEndpoint[]> {
    return (await this.repo.listEndpoints()).map(endpointOf);
  }

  async get(id: number): Promise<WebhookEndpoint> {
    return endpointOf(await this.row(id));
  }

  private async row(id: number): Promise<WebhookEndpointRow> {
    const row = await this.repo.findEndpoint(id);
    if (!row) throw new DomainError('NOT_FOUND', text('webhookNotFound', { id: String(id) }));
    return row;
  }

  private async checkUrl(raw: string): Promise<string> {
    const url = raw.trim();
    if (!url) throw new DomainError('VALIDATION_FAILED', text('webhookNeedsUrl'));
    if (url.length > MAX_URL) throw new DomainError('VALIDATION_FAILED', text('webhookUrlTooLong', { max: MAX_URL }));
    try {
      return (await checkTarget(url, this.allowed)).toString();
    } catch (err) {
      if (err instanceof TargetRefusedError) throw new DomainError('VALIDATION_FAILED', text('webhookUrlRefused', { reason: err.message }));
      throw err;
    }
  }

  private checkEvents(events: string[]): WebhookEvent[] {
    const unknown = events.filter((e) => !isWebhookEvent(e));
    if (unknown.length) throw new DomainError('VALIDATION_FAILED', text('webhookUnknownEvent', { event: unknown[0]!, events: WEBHOOK_EVENTS.join(', ') }));
    const chosen = WEBHOOK_EVENTS.filter((e) => events.includes(e));
    if (!chosen.length) throw new DomainError('VALIDATION_FAILED', text('webhookNeedsEvent'));
    return chosen;
  }

  private checkDescription(description: string): string {
    const d = description.trim();
    if (d.length > MAX_DESCRIPTION) throw new DomainError('VALIDATION_FAILED', text('webhookDescriptionTooLong', { max: MAX_DESCRIPTION }));
    return d;
  }

  /** Registers an endpoint; the secret is returned here (and on rotation) for the receiver to verify with. */
  async create(actor: Principal, input: EndpointInput): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    const url = await this.checkUrl(input.url ?? '');
    const events = this.checkEvents(input.events ?? []);
    const now = this.clock();
    const secret = newWebhookSecret();
    const id = await this.repo.insertEndpoint({
      url,
      description: this.checkDescription(input.description ?? ''),
      events_json: JSON.stringify(events),
      secret,
      previous_secret: null,
      previous_secret_until: null,
      enabled: input.enabled === false ? 0 : 1,
      failure_streak: 0,
      disabled_reason: null,
      disabled_at: null,
      created_at: now,
      updated_at: now,
    });
    await this.audit?.record(actor, 'webhook.create', `webhook:${id}`, `${url} (${events.join(', ')})`);
    return { endpoint: await this.get(id), secret };
  }

  /** Changes URL, description, events or the switch; switching on clears the failure streak and notice. */
  async update(actor: Principal, id: number, input: EndpointInput): Promise<WebhookEndpoint> {
    const current = await this.row(id);
    const changes: Partial<WebhookEndpointRow> = { updated_at: this.clock() };
    if (input.url !== undefined) changes.url = await this.checkUrl(input.url);
    if (input.events !== undefined) changes.events_json = JSON.stringify(this.checkEvents(input.events));
    if (input.description !== undefined) changes.description = this.checkDescription(input.description);
    if (input.enabled !== undefined) {
      changes.enabled = input.enabled ? 1 : 0;
      if (input.enabled && current.enabled === 0) Object.assign(changes, { failure_streak: 0, disabled_reason: null, disabled_at: null });
    }
    await this.repo.updateEndpoint(id, changes);
    await this.audit?.record(actor, 'webhook.update', `webhook:${id}`, Object.keys(changes).filter((k) => k !== 'updated_at').join(', '));
    return this.get(id);
  }

  /** A new secret; the old one keeps signing beside it for `rotationOverlapMs` so receivers can switch without losing messages. */
  async rotateSecret(actor: Principal, id: number): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    const current = await this.row(id);
    const secret = newWebhookSecret();
    const now = this.clock();
    await this.repo.updateEndpoint(id, { secret, previous_secret: current.secret, previous_secret_until: now + this.settings.rotationOverlapMs, updated_at: now });
    await this.audit?.record(actor, 'webhook.rotate-secret', `webhook:${id}`, current.url);
    return { endpoint: await this.get(id), secret };
  }

  async remove(actor: Principal, id: number): Promise<void> {
    const current = await this.row(id);
    await this.repo.deleteEndpoint(id);
    await this.audit?.record(actor, 'webhook.delete', `webhook:${id}`, current.url);
  }

  async deliveries(endpointId: number, limit: number, before?: number): Promise<WebhookDelivery[]> {
    await this.row(endpointId);
    return (await this.repo.listDeliveries(endpointId, limit, before)).map(deliveryOf);
  }

  /** "Retry now": sends the delivery again at once (same webhook-id and body), whatever its state. */
  async retryNow(endpointId: number, deliveryId: number): Promise<WebhookDelivery> {
    const d = await this.repo.findDelivery(deliveryId);
    if (!d || d.endpoint_id !== endpointId) throw new DomainError('NOT_FOUND', text('webhookDeliveryNotFound', { endpoint: String(endpointId), id: String(deliveryId) }));
    const now = this.clock();
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('webhook_deliveries').set({ status: 'pending', next_attempt_at: now }).where('id', '=', deliveryId).execute();
      await this.jobs.enqueue(JobName.WebhookDeliver, { deliveryId }, { key: deliveryJobKey(deliveryId), maxAttempts: this.settings.maxAttempts, runAt: now }, trx);
    });
    return deliveryOf((await this.repo.findDelivery(deliveryId))!);
  }

  /** Sends a `webhook.test` message to this endpoint only. */
  async sendTest(endpointId: number): Promise<WebhookDelivery> {
    const endpoint = await this.row(endpointId);
    const [id] = await this.enqueue([endpoint], TEST_EVENT, { message: 'Test event from Dateline: your endpoint receives signed webhooks.' }, this.clock());
    return deliveryOf((await this.repo.findDelivery(id!))!);
  }

  // ——— events ———

  /** Called after every committed newsroom change (workflow listener): queues the event it means, if any. */
  async articleChanged(articleId: number, change: string): Promise<void> {
    // Most sites have no endpoint: then the article need not be read at all.
    const endpoints = await this.repo.enabledEndpoints();
    if (endpoints.length === 0) return;
    const article = await this.articles.findById(articleId);
    if (!article) return;
    const now = this.clock();
    const visible = article.status === 'published' && article.publishedAt !== null && article.publishedAt <= now;
    const event = eventOfChange(change, { status: article.status, visible, wasPublished: article.firstPublishedAt !== null });
    if (!event) return;
    const data =
      event === 'article.unpublished' || event === 'article.killed'
        ? { id: article.id, status: article.status, url: `${this.settings.baseUrl}/news/${article.id}` }
        : this.payloads.article(article);
    // An embargoed publish is announced when readers can see it.
    const runAt = event === 'article.published' && article.publishedAt !== null && article.publishedAt > now ? article.publishedAt : now;
    await this.enqueueForEvent(event, data, runAt, endpoints);
  }

  /** Called when a media item's renditions are ready. */
  async mediaReady(mediaId: number): Promise<void> {
    const item = await this.media.findById(mediaId);
    if (!item) return;
    await this.enqueueForEvent('media.ready', this.payloads.media(item), this.clock());
  }

  /** A breaking item or a live entry marked as an alert (the data names its language). */
  async liveAlert(event: 'breaking.alert' | 'live.alert', data: Record<string, unknown>): Promise<void> {
    const url = typeof data.url === 'string' && data.url.startsWith('/') ? `${this.settings.baseUrl}${data.url}` : data.url;
    const blogUrl = typeof data.blogId === 'number' ? `${this.settings.baseUrl}/news/${data.blogId}` : undefined;
    await this.enqueueForEvent(event, { ...data, ...(url ? { url } : {}), ...(blogUrl ? { url: blogUrl } : {}) }, this.clock());
  }

  private async enqueueForEvent(event: WebhookEvent, data: unknown, runAt: number, enabled?: WebhookEndpointRow[]): Promise<void> {
    const endpoints = (enabled ?? (await this.repo.enabledEndpoints())).filter((e) => (JSON.parse(e.events_json) as string[]).includes(event));
    if (endpoints.length) await this.enqueue(endpoints, event, data, runAt);
  }

  private async enqueue(endpoints: WebhookEndpointRow[], event: string, data: unknown, runAt: number): Promise<number[]> {
    const now = this.clock();
    // Standard Webhooks' suggested envelope: type, timestamp, data.
    const body = JSON.stringify({ type: event, timestamp: new Date(runAt).toISOString(), data });
    return this.db.transaction().execute(async (trx) => {
      const ids: number[] = [];
      for (const endpoint of endpoints) {
        const id = await this.repo.insertDelivery(
          {
            endpoint_id: endpoint.id,
            message_id: newMessageId(),
            event,
            payload: body,
            status: 'pending',
            attempts: 0,
            response_status: null,
            latency_ms: null,
            error: null,
            response_excerpt: null,
            created_at: now,
            last_attempt_at: null,
            next_attempt_at: runAt,
          },
          trx,
        );
        await this.jobs.enqueue(JobName.WebhookDeliver, { deliveryId: id }, { runAt, key: deliveryJobKey(id), maxAttempts: this.settings.maxAttempts }, trx);
        ids.push(id);
      }
      return ids;
    });
  }

  // ——— delivery (the webhook.deliver job) ———

  /**
   * Sends one delivery attempt. Throws on failure so the job runner retries it with
   * backoff; the delivery row records every outcome for the log.
   */
  async deliver(deliveryId: number, job: Pick<JobRow, 'attempts' | 'max_attempts'>): Promise<void> {
    const delivery = await this.repo.findDelivery(deliveryId);
    if (!delivery) return;
    const endpoint = await this.repo.findEndpoint(delivery.endpoint_id);
    if (!endpoint) return;
    const now = this.clock();
    if (endpoint.enabled !== 1) {
      await this.repo.updateDelivery(deliveryId, { status: 'failed', error: 'Not sent: the endpoint is switched off.', next_attempt_at: null });
      return;
    }
    const secrets = [endpoint.secret];
    if (endpoint.previous_secret && endpoint.previous_secret_until !== null && endpoint.previous_secret_until > now) secrets.push(endpoint.previous_secret);
    // The signed timestamp is the real sending time (receivers reject old ones), not the scheduling clock.
    const headers = webhookHeaders(secrets, delivery.message_id, Math.floor(Date.now() / 1000), delivery.payload);
    const started = performance.now();
    let status: number | null = null;
    let excerpt: string | null = null;
    let error: string | null = null;
    try {
      const result = await postJson(endpoint.url, delivery.payload, headers, {
        timeoutMs: this.settings.timeoutMs,
        maxResponseBytes: this.settings.maxResponseBytes,
        allowed: this.allowed,
      });
      status = result.status;
      excerpt = result.excerpt.slice(0, 1000);
      if (status < 200 || status > 299) {
        error = status >= 300 && status < 400 ? `HTTP ${status}: redirects are not followed; register the final URL.` : `HTTP ${status}`;
      }
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    }
    const latency = Math.round(performance.now() - started);
    // The log counts every attempt, including those started by "Retry now" (a fresh job).
    const base = { attempts: delivery.attempts + 1, response_status: status, latency_ms: latency, response_excerpt: excerpt, last_attempt_at: now };
    if (error === null) {
      await this.repo.updateDelivery(deliveryId, { ...base, status: 'succeeded', error: null, next_attempt_at: null });
      if (endpoint.failure_streak !== 0) await this.repo.updateEndpoint(endpoint.id, { failure_streak: 0 });
      return;
    }
    const streak = await this.repo.recordFailure(endpoint.id, now);
    if (streak >= this.settings.disableAfter) {
      await this.disable(endpoint, streak, error);
      await this.repo.updateDelivery(deliveryId, { ...base, status: 'failed', error: `${error} (endpoint switched off)`, next_attempt_at: null });
      return;
    }
    const last = job.attempts >= job.max_attempts;
    await this.repo.updateDelivery(deliveryId, { ...base, status: last ? 'failed' : 'pending', error, next_attempt_at: last ? null : now + retryDelayMs(job.attempts) });
    throw new Error(`webhook delivery ${deliveryId} to ${endpoint.url} failed: ${error}`);
  }

  private async disable(endpoint: WebhookEndpointRow, streak: number, error: string): Promise<void> {
    const now = this.clock();
    const reason = `Switched off automatically on ${new Date(now).toISOString()} after ${streak} failed attempts in a row (last: ${error}). Fix the receiver, then switch it back on.`;
    await this.repo.updateEndpoint(endpoint.id, { enabled: 0, disabled_reason: reason, disabled_at: now, updated_at: now });
    await this.audit?.record(null, 'webhook.disabled', `webhook:${endpoint.id}`, `${endpoint.url}: ${reason}`);
    this.warn(`webhook endpoint ${endpoint.id} (${endpoint.url}) switched off: ${reason}`);
  }
}
