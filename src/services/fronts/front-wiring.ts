import type { DatabaseHandle } from '../../db/database.js';
import { FrontRepository } from '../../db/repositories/front.repository.js';
import type { Repositories } from '../../db/repositories/index.js';
import type { AuditService } from '../audit.service.js';
import type { CatalogService } from '../catalog.service.js';
import type { Clock } from '../clock.js';
import type { ContentCache } from '../content-cache.js';
import { FrontService } from './front.service.js';

/** Builds the front service over the shared repositories (called from the composition root). */
export function createFrontService(
  handle: DatabaseHandle,
  repos: Repositories,
  catalog: CatalogService,
  audit: AuditService,
  cache: ContentCache,
  clock: Clock,
): FrontService {
  return new FrontService(handle.engine, new FrontRepository(handle.db), repos.articles, catalog, audit, cache, clock);
}
