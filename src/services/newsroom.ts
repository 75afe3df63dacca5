import type { Kysely } from 'kysely';
import type { Repositories } from '../db/repositories/index.js';
import { asDerivedWrites } from '../db/derived-writes.js';
import { createNewsroomRepositories, type NewsroomRepositories } from '../db/repositories/newsroom-repositories.js';
import type { Database } from '../db/schema.js';
import { JobName } from '../jobs/job-names.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { AuditService } from './audit.service.js';
import { AuthService, DEFAULT_AUTH_POLICY, type AuthPolicy } from './auth.service.js';
import type { CatalogService } from './catalog.service.js';
import type { Clock } from './clock.js';
import type { LoginThrottle } from './limits/local-limits.js';
import { NewsroomTaxonomyService } from './newsroom-taxonomy.service.js';
import type { PublishingService } from './publishing.service.js';
import { NewsroomUsersService } from './newsroom-users.service.js';
import { RevisionService } from './revision.service.js';
import { WorkflowService, type PublishScheduler } from './workflow.service.js';

/** The newsroom's services: accounts, workflow, revisions, taxonomy management, audit. */
export interface Newsroom {
  repos: NewsroomRepositories;
  audit: AuditService;
  auth: AuthService;
  users: NewsroomUsersService;
  workflow: WorkflowService;
  revisions: RevisionService;
  taxonomy: NewsroomTaxonomyService;
}

/** Dedupe key of an article's scheduled publish: rescheduling replaces the pending job. */
export const publishJobKey = (articleId: number) => `publish:${articleId}`;

/** Scheduled publishing on the job table: survives restarts, runs once across processes. */
export function jobScheduler(jobs: JobQueue): PublishScheduler {
  return {
    schedule: async (articleId, runAt, trx) => {
      await jobs.enqueue(JobName.PublishScheduled, { articleId }, { runAt, key: publishJobKey(articleId) }, trx);
    },
    cancel: async (articleId, trx) => {
      await jobs.cancel(publishJobKey(articleId), trx);
    },
  };
}

export function createNewsroom(
  db: Kysely<Database>,
  repos: Repositories,
  catalog: CatalogService,
  jobs: JobQueue,
  clock: Clock,
  publishing: PublishingService,
  policy: AuthPolicy = DEFAULT_AUTH_POLICY,
  throttle?: LoginThrottle,
  /**
   * 'inline': search, related lists and page purges follow a change before the save
   * returns. 'job': an article.changed job does it a moment later, so an editor's save
   * runs a dozen statements instead of sixty (ARTICLE_INDEXING).
   */
  indexing: 'inline' | 'job' = 'inline',
): Newsroom {
  const nrepos = createNewsroomRepositories(db);
  const audit = new AuditService(nrepos.audit, clock);
  const auth = new AuthService(db, nrepos, audit, clock, policy, throttle ?? nrepos.sessions);
  const workflow = new WorkflowService(db, repos, nrepos, catalog, audit, jobScheduler(jobs), clock);
  // Search, related lists and cached pages follow every committed change readers could see
  // (a new draft, or an edit of one never published, has nothing for them to follow).
  workflow.onArticleChanged(async (articleId, _change, readersSawIt) => {
    if (!readersSawIt) return;
    if (indexing === 'job') await jobs.enqueue(JobName.ArticleChanged, { articleId }, { key: `changed:${articleId}` });
    else await asDerivedWrites(() => publishing.notifyChanged(articleId, 'content'));
  });
  return {
    repos: nrepos,
    audit,
    auth,
    users: new NewsroomUsersService(db, nrepos, auth, audit, clock),
    workflow,
    revisions: new RevisionService(nrepos, workflow, repos),
    taxonomy: new NewsroomTaxonomyService(nrepos.adminTaxonomy, repos.taxonomy, nrepos.adminArticles, catalog, audit),
  };
}
