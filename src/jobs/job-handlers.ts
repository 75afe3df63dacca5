import { LIVE_PRUNE_EVERY_MS } from '../services/live/live-wiring.js';
import type { Services } from '../services/index.js';
import { JobName } from './job-names.js';
import type { JobHandlers } from './job-runner.js';

/** One idempotent handler per job name (the runner refuses to start if one is missing). */
export function createJobHandlers(services: Services): JobHandlers {
  return {
    [JobName.MediaRenditions]: async (payload, job) => {
      const { mediaId } = payload as { mediaId: number };
      try {
        await services.media.makeRenditions(mediaId);
        await services.webhooks.mediaReady(mediaId).catch(() => {});
      } catch (err) {
        // Out of retries: say so on the item (pages keep using the original).
        if (job.attempts >= job.max_attempts) await services.media.markFailed(mediaId, err instanceof Error ? err.message : String(err));
        throw err;
      }
    },
    [JobName.PublishScheduled]: async (payload) => {
      // Publishes this article if still due, then anything else overdue (idempotent).
      await services.newsroom.workflow.publishScheduled((payload as { articleId: number }).articleId);
      await services.newsroom.workflow.publishDue();
    },
    [JobName.RelatedNeighbours]: async (payload) => {
      const { articleId } = payload as { articleId: number };
      await services.relatedEngine.refreshNeighbours(articleId);
      // The boxes that took (or dropped) the article changed after the publish's own purge.
      await services.pageCaching.purge.articleChanged(articleId, 'related');
    },
    [JobName.ArticleDue]: async (payload) => {
      // Re-runs what a publish runs (index, own list, the lists it now enters): idempotent.
      await services.publishing.notifyChanged((payload as { articleId: number }).articleId);
    },
    [JobName.ArticleChanged]: async (payload) => {
      // What an inline save runs after its commit (index, related lists, page purges): idempotent.
      await services.publishing.notifyChanged((payload as { articleId: number }).articleId, 'content');
    },
    [JobName.WebhookDeliver]: async (payload, job) => {
      await services.webhooks.deliver((payload as { deliveryId: number }).deliveryId, job);
    },
    [JobName.WirePoll]: async (payload) => {
      // Records the source's own failures and schedules the next poll itself (with backoff).
      await services.wires.poll((payload as { sourceId: number }).sourceId);
    },
    [JobName.CdnPurge]: async (payload) => {
      await services.pageCaching.cdn.purge((payload as { keys: string[] }).keys);
    },
    [JobName.PushSend]: async (payload) => {
      const p = payload as { subscriptionId: number; message: string };
      await services.push.send(p.subscriptionId, p.message);
    },
    [JobName.LiveEventsPrune]: async () => {
      await services.live.service.pruneEvents(services.live.settings.keepEventsMs, LIVE_PRUNE_EVERY_MS);
    },
    [JobName.BreakingExpired]: async (payload) => {
      const p = payload as { language: string; id: number };
      await services.live.service.breakingExpired(p.language, p.id);
    },
  };
}
