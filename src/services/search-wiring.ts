import type { DatabaseHandle } from '../db/database.js';
import type { RelatedRepository } from '../db/repositories/related.repository.js';
import { SearchRepository } from '../db/repositories/search.repository.js';
import { JobName } from '../jobs/job-names.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { ArticleService } from './article.service.js';
import type { Clock } from './clock.js';
import type { PublishingService } from './publishing.service.js';
import { RelatedEngineService } from './related-engine.service.js';
import { SearchService } from './search.service.js';

/**
 * Search and the related engine over one database, listening to publishing: every
 * committed change re-indexes the article, then refreshes the related lists it touches,
 * synchronously. A failure there is reported and never undoes the committed change;
 * `dateline reindex` repairs the index.
 */
export function createSearchServices(
  handle: DatabaseHandle,
  deps: {
    publishing: PublishingService;
    articles: ArticleService;
    related: RelatedRepository;
    jobs: JobQueue;
    clock: Clock;
    warn?: (message: string) => void;
    /**
     * 'inline' (default): a change refreshes its neighbours' related lists before the
     * save returns. 'job': they are refreshed by a related.neighbours job a moment later,
     * so a publish under load waits for one list, not nine (RELATED_NEIGHBOURS).
     */
    neighbours?: 'inline' | 'job';
    /** The site's name and its publisher's: never shared entities. */
    houseNames?: string[];
  },
): { search: SearchService; relatedEngine: RelatedEngineService } {
  const repo = new SearchRepository(handle.db, handle.engine);
  const search = new SearchService(repo, deps.articles, deps.clock);
  search.houseNames = (deps.houseNames ?? []).filter((n) => n.trim());
  const relatedEngine = new RelatedEngineService(repo, deps.related, search, deps.clock);
  const warn = deps.warn ?? ((m: string) => process.emitWarning(m));
  deps.publishing.onArticleChanged({
    async articleChanged(id, change) {
      try {
        // A new pinned list changes no text: only the article's own engine items move below the pins.
        if (change === 'related') {
          await relatedEngine.refresh(id);
          return;
        }
        const indexed = await search.index(id);
        const publishedAt = indexed?.publishedAt ?? null;
        const deferred = await relatedEngine.updateLists(id, deps.neighbours === 'job' ? 'later' : 'now', indexed ?? undefined);
        if (deferred) await deps.jobs.enqueue(JobName.RelatedNeighbours, { articleId: id }, { key: `neighbours:${id}` });
        // Embargoed: other lists take it when it is due (the job re-runs this then).
        if (publishedAt !== null && publishedAt > deps.clock()) {
          await deps.jobs.enqueue(JobName.ArticleDue, { articleId: id }, { runAt: publishedAt, key: `due:${id}` });
        }
      } catch (err) {
        warn(`search/related update of article ${id} failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    },
  });
  return { search, relatedEngine };
}
