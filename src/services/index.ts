import { join } from 'node:path';
import type { Config } from '../config/config.js';
import type { DatabaseHandle } from '../db/database.js';
import { createRepositories, type Repositories } from '../db/repositories/index.js';
import { JobQueue } from '../jobs/job-queue.js';
import { LocalStore } from '../storage/local-store.js';
import { ArticleService } from './article.service.js';
import { CatalogService } from './catalog.service.js';
import { ContentCache } from './content-cache.js';
import { systemClock, type Clock } from './clock.js';
import { DemoService } from './demo.service.js';
import { PublishingService } from './publishing.service.js';

/** The composition root: repositories and services over one database. */
export interface Services {
  repos: Repositories;
  catalog: CatalogService;
  contentCache: ContentCache;
  articles: ArticleService;
  publishing: PublishingService;
  demo: DemoService;
  mediaStore: LocalStore;
  jobs: JobQueue;
  clock: Clock;
}

export function createServices(
  handle: DatabaseHandle,
  config: Pick<Config, 'dataDir' | 'mediaSitePrefix'> & Partial<Pick<Config, 'contentCacheSeconds'>>,
  options: { clock?: Clock; warn?: (message: string) => void } = {},
): Services {
  const clock = options.clock ?? systemClock;
  const repos = createRepositories(handle.db, handle.engine);
  const catalog = new CatalogService(repos.taxonomy);
  const mediaStore = new LocalStore(join(config.dataDir, 'media'));
  const publishing = new PublishingService(handle.db, repos, clock);
  const contentCache = new ContentCache(() => repos.counters.contentVersion(), (config.contentCacheSeconds ?? 0) * 1000, clock);
  return {
    repos,
    catalog,
    contentCache,
    articles: new ArticleService(repos.articles, repos.related, catalog, clock, contentCache),
    publishing,
    demo: new DemoService(handle.db, repos, publishing, catalog, mediaStore, config, clock, options.warn),
    mediaStore,
    jobs: new JobQueue(repos.jobs, clock),
    clock,
  };
}
