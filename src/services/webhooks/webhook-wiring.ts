import type { Kysely } from 'kysely';
import type { Config } from '../../config/config.js';
import type { Repositories } from '../../db/repositories/index.js';
import type { Database } from '../../db/schema.js';
import type { JobQueue } from '../../jobs/job-queue.js';
import type { Clock } from '../clock.js';
import type { Newsroom } from '../newsroom.js';
import { DEFAULT_WEBHOOK_SETTINGS, WebhookService, type WebhookPayloadMapper } from './webhook.service.js';

/**
 * The webhook service, listening to the newsroom's committed changes. Listening only
 * queues deliveries (a few inserts), so publishing never waits for a receiver.
 */
export function createWebhookService(
  db: Kysely<Database>,
  repos: Repositories,
  jobs: JobQueue,
  payloads: WebhookPayloadMapper,
  config: Partial<Pick<Config, 'baseUrl' | 'webhookAllowPrivate' | 'webhookTimeoutMs' | 'webhookMaxAttempts' | 'webhookDisableAfter'>>,
  clock: Clock,
  newsroom: Newsroom,
  warn?: (message: string) => void,
): WebhookService {
  const service = new WebhookService(
    db,
    repos.webhooks,
    repos.articles,
    repos.media,
    jobs,
    payloads,
    {
      ...DEFAULT_WEBHOOK_SETTINGS,
      baseUrl: config.baseUrl ?? '',
      allowPrivate: config.webhookAllowPrivate ?? DEFAULT_WEBHOOK_SETTINGS.allowPrivate,
      timeoutMs: config.webhookTimeoutMs ?? DEFAULT_WEBHOOK_SETTINGS.timeoutMs,
      maxAttempts: config.webhookMaxAttempts ?? DEFAULT_WEBHOOK_SETTINGS.maxAttempts,
      disableAfter: config.webhookDisableAfter ?? DEFAULT_WEBHOOK_SETTINGS.disableAfter,
    },
    clock,
    newsroom.audit,
    warn,
  );
  newsroom.workflow.onArticleChanged((articleId, change) => service.articleChanged(articleId, change));
  return service;
}
