import type { DatabaseHandle } from '../../db/database.js';
import { DistributionRepository } from '../../db/repositories/distribution.repository.js';
import type { Repositories } from '../../db/repositories/index.js';
import type { CatalogService } from '../catalog.service.js';
import type { Clock } from '../clock.js';
import type { ContentCache } from '../content-cache.js';
import { FeedService } from './feed.service.js';
import { SitemapService } from './sitemap.service.js';

export { distributionSettings, type DistributionConfig, type DistributionSettings } from './distribution-settings.js';

/** Feeds and sitemaps: the front door of distribution (structured data is pure, in structured-data.ts). */
export interface Distribution {
  feeds: FeedService;
  sitemaps: SitemapService;
}

export function createDistribution(handle: DatabaseHandle, repos: Repositories, catalog: CatalogService, cache: ContentCache, clock: Clock): Distribution {
  const repository = new DistributionRepository(handle.db, handle.engine);
  return {
    feeds: new FeedService(repos.articles, repository, catalog, cache, clock),
    sitemaps: new SitemapService(repos.articles, repository, catalog, cache, clock, undefined, repos.translations),
  };
}
