import { join } from 'node:path';
import type { Config } from '../config/config.js';
import type { DatabaseHandle } from '../db/database.js';
import { createRepositories, type Repositories } from '../db/repositories/index.js';
import { JobQueue } from '../jobs/job-queue.js';
import { LocalStore } from '../storage/local-store.js';
import type { MediaStore } from '../storage/media-store.js';
import { S3Store } from '../storage/s3-store.js';
import { TempArea } from '../storage/temp-area.js';
import { ArticleService } from './article.service.js';
import { CatalogService } from './catalog.service.js';
import { ContentCache } from './content-cache.js';
import { systemClock, type Clock } from './clock.js';
import { DemoService } from './demo.service.js';
import { MediaService } from './media.service.js';
import { createNewsroom, type Newsroom } from './newsroom.js';
import { PublishingService } from './publishing.service.js';
import type { RelatedEngineService } from './related-engine.service.js';
import { createSearchServices } from './search-wiring.js';
import type { SearchService } from './search.service.js';

/** Local disk under DATA_DIR/media, or S3-compatible storage (MEDIA_STORE=s3). */
export function createMediaStore(config: Pick<Config, 'dataDir'> & Partial<Pick<Config, 'mediaStore' | 's3'>>): MediaStore {
  if (config.mediaStore === 's3' && config.s3) {
    return new S3Store({ ...config.s3, endpoint: config.s3.endpoint || undefined, accessKeyId: config.s3.accessKeyId || undefined, secretAccessKey: config.s3.secretAccessKey || undefined });
  }
  return new LocalStore(join(config.dataDir, 'media'));
}

/** The composition root: repositories and services over one database. */
export interface Services {
  repos: Repositories;
  catalog: CatalogService;
  contentCache: ContentCache;
  articles: ArticleService;
  publishing: PublishingService;
  search: SearchService;
  relatedEngine: RelatedEngineService;
  demo: DemoService;
  mediaStore: MediaStore;
  media: MediaService;
  jobs: JobQueue;
  /** Accounts, workflow, revisions, taxonomy management, audit (the admin API's services). */
  newsroom: Newsroom;
  clock: Clock;
  /** Work folders under DATA_DIR/tmp (uploads, media probing), swept at start-up. */
  temp: TempArea;
}

export function createServices(
  handle: DatabaseHandle,
  config: Pick<Config, 'dataDir' | 'mediaSitePrefix'> &
    Partial<Pick<Config, 'contentCacheSeconds' | 'mediaStore' | 's3' | 'mediaMaxMegapixels'>> &
    Partial<Pick<Config, 'relatedNeighbours'>>,
  options: { clock?: Clock; warn?: (message: string) => void } = {},
): Services {
  const clock = options.clock ?? systemClock;
  const repos = createRepositories(handle.db, handle.engine);
  const catalog = new CatalogService(repos.taxonomy);
  const mediaStore = createMediaStore(config);
  const jobs = new JobQueue(repos.jobs, clock);
  const temp = new TempArea(join(config.dataDir, 'tmp'));
  const publishing = new PublishingService(handle.db, repos, clock);
  // Made before media: media uploads, edits and deletions write its audit log.
  const newsroom = createNewsroom(handle.db, repos, catalog, jobs, clock, publishing);
  const media = new MediaService(
    handle.db,
    repos.media,
    mediaStore,
    jobs,
    { sitePrefix: config.mediaSitePrefix, maxImageMegapixels: config.mediaMaxMegapixels ?? 100, temp },
    clock,
    newsroom.audit,
  );
  const contentCache = new ContentCache(() => repos.counters.contentVersion(), (config.contentCacheSeconds ?? 0) * 1000, clock);
  const articles = new ArticleService(repos.articles, repos.related, catalog, clock, contentCache);
  const searchServices = createSearchServices(handle, { publishing, articles, related: repos.related, jobs, clock, warn: options.warn, neighbours: config.relatedNeighbours });
  return {
    repos,
    catalog,
    contentCache,
    articles,
    ...searchServices,
    publishing,
    demo: new DemoService(handle.db, repos, publishing, catalog, media, mediaStore, clock, options.warn),
    mediaStore,
    jobs,
    media,
    newsroom,
    clock,
    temp,
  };
}
