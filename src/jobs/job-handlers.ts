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
      await services.relatedEngine.refreshNeighbours((payload as { articleId: number }).articleId);
    },
    [JobName.ArticleDue]: async (payload) => {
      // Re-runs what a publish runs (index, own list, the lists it now enters): idempotent.
      await services.publishing.notifyChanged((payload as { articleId: number }).articleId);
    },
  };
}
