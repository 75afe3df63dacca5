import type WebPush from 'web-push';
import type { PushSubscriptionRepository } from '../../db/repositories/push-subscription.repository.js';
import { DomainError } from '../../domain/errors.js';
import { text } from '../../site/i18n.js';
import { isBrowserPushService, pushOrigin } from '../../domain/push.js';
import { JobName } from '../../jobs/job-names.js';
import type { JobQueue } from '../../jobs/job-queue.js';
import type { Clock } from '../clock.js';
import { checkTarget, parseAllowList, postBytes, TargetRefusedError } from '../webhooks/safe-http.js';
import { lazyRequire } from '../lazy-require.js';

// Loaded with the first delivery (its crypto stack is ~35 modules a start need not pay for).
const webpush = lazyRequire<typeof WebPush>('web-push');

export interface PushSettings {
  vapidPublicKey: string;
  vapidPrivateKey: string;
  vapidSubject: string;
  /** Ranges a push endpoint may be on although private (tests: 127.0.0.1/32). */
  allowPrivate: readonly string[];
  timeoutMs: number;
  /** Seconds the push service keeps an undelivered alert. */
  ttlSeconds: number;
  languages: readonly string[];
  /** PUSH_MAX_PER_ORIGIN: subscriptions one push service origin may hold unless it is a browser vendor's; 0 = no cap. */
  maxPerOrigin: number;
}

export interface SubscriptionInput {
  language: string;
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

const PUSH_HINT = 'push endpoints may only be on public addresses (allow it with PUSH_ALLOW_PRIVATE)';
const B64URL = /^[A-Za-z0-9_-]+={0,2}$/;

/**
 * Web Push alerts (VAPID): browsers subscribe per language; a breaking item or a live
 * entry marked as an alert queues one `push.send` job per subscriber of its language.
 * Off (every route answers 404) unless VAPID keys are configured.
 */
export class PushService {
  private readonly allowed;

  constructor(
    private readonly subscriptions: PushSubscriptionRepository,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
    private readonly settings: PushSettings,
  ) {
    this.allowed = parseAllowList(settings.allowPrivate);
  }

  get enabled(): boolean {
    return Boolean(this.settings.vapidPublicKey && this.settings.vapidPrivateKey && this.settings.vapidSubject);
  }

  publicKey(): string {
    this.requireEnabled();
    return this.settings.vapidPublicKey;
  }

  /** Saves (or moves to another language) one browser's subscription. */
  async subscribe(input: SubscriptionInput): Promise<{ id: number; language: string }> {
    this.requireEnabled();
    if (!this.settings.languages.includes(input.language)) throw new DomainError('VALIDATION_FAILED', text('siteHasNoLanguage', { language: input.language, languages: this.settings.languages.join(', ') }));
    const p256dh = Buffer.from(input.keys.p256dh, 'base64url');
    if (!B64URL.test(input.keys.p256dh) || p256dh.length !== 65 || p256dh[0] !== 4) throw new DomainError('VALIDATION_FAILED', text('pushBadP256dh'));
    const auth = Buffer.from(input.keys.auth, 'base64url');
    if (!B64URL.test(input.keys.auth) || auth.length !== 16) throw new DomainError('VALIDATION_FAILED', text('pushBadAuth'));
    let url: URL;
    try {
      url = await checkTarget(input.endpoint, this.allowed, PUSH_HINT);
    } catch (err) {
      if (err instanceof TargetRefusedError) throw new DomainError('VALIDATION_FAILED', text('pushEndpointRefused', { reason: err.message }));
      throw err;
    }
    if (url.protocol !== 'https:' && !this.settings.allowPrivate.length) throw new DomainError('VALIDATION_FAILED', text('pushEndpointHttps'));
    const origin = pushOrigin(url.href);
    const row = { language: input.language, endpoint: input.endpoint, origin, p256dh: input.keys.p256dh, auth: input.keys.auth, created_at: this.clock() };
    const cap = this.settings.maxPerOrigin;
    if (cap > 0 && !isBrowserPushService(origin) && (await this.subscriptions.idByEndpoint(input.endpoint)) === null && (await this.subscriptions.countOnOrigin(origin, cap)) >= cap) {
      throw new DomainError('PUSH_ORIGIN_FULL', text('pushOriginFull', { origin, max: cap }));
    }
    const id = await this.subscriptions.save(row);
    return { id, language: input.language };
  }

  /** Removes a browser's subscription; false when there was none. */
  async unsubscribe(endpoint: string): Promise<boolean> {
    this.requireEnabled();
    return this.subscriptions.deleteByEndpoint(endpoint);
  }

  count(language?: string): Promise<number> {
    return this.subscriptions.count(language);
  }

  /** Queues the alert for every subscriber of the language (one job each: retried alone). */
  async alert(language: string, message: { title: string; body: string; url: string }): Promise<number> {
    if (!this.enabled) return 0;
    const text = JSON.stringify(message);
    let queued = 0;
    for (let after = 0; ; ) {
      const ids = await this.subscriptions.idsForLanguage(language, after, 500);
      if (!ids.length) return queued;
      for (const id of ids) await this.jobs.enqueue(JobName.PushSend, { subscriptionId: id, message: text }, { maxAttempts: 5 });
      queued += ids.length;
      after = ids.at(-1)!;
    }
  }

  /** One delivery: encrypted (aes128gcm), VAPID-signed, over the guarded HTTP client. Throws to be retried. */
  async send(subscriptionId: number, message: string): Promise<void> {
    if (!this.enabled) return;
    const sub = await this.subscriptions.findById(subscriptionId);
    if (!sub) return; // unsubscribed meanwhile
    const details = webpush().generateRequestDetails(
      { endpoint: sub.endpoint, keys: { p256dh: sub.p256dh, auth: sub.auth } },
      message,
      {
        vapidDetails: { subject: this.settings.vapidSubject, publicKey: this.settings.vapidPublicKey, privateKey: this.settings.vapidPrivateKey },
        TTL: this.settings.ttlSeconds,
        contentEncoding: 'aes128gcm',
        urgency: 'high',
      },
    );
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(details.headers)) headers[k.toLowerCase()] = String(v);
    const result = await postBytes(details.endpoint, details.body as Buffer, headers, { allowed: this.allowed, timeoutMs: this.settings.timeoutMs, maxResponseBytes: 1024, refusalHint: PUSH_HINT });
    if (result.status === 404 || result.status === 410) {
      // The browser unsubscribed or the subscription expired: the push service says so for good.
      await this.subscriptions.deleteById(Number(sub.id));
      return;
    }
    if (result.status < 200 || result.status >= 300) throw new Error(`push service answered ${result.status}: ${result.excerpt.slice(0, 200)}`);
  }

  private requireEnabled(): void {
    if (!this.enabled) throw new DomainError('NOT_FOUND', text('pushOff'));
  }
}
