import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import { AdminArticleRepository } from './admin-article.repository.js';
import { AdminTaxonomyRepository } from './admin-taxonomy.repository.js';
import { ApiKeyRepository } from './api-key.repository.js';
import { AuditRepository } from './audit.repository.js';
import { RevisionRepository } from './revision.repository.js';
import { SessionRepository } from './session.repository.js';
import { UserRepository } from './user.repository.js';

/** The newsroom's repositories over one database. */
export interface NewsroomRepositories {
  users: UserRepository;
  sessions: SessionRepository;
  apiKeys: ApiKeyRepository;
  audit: AuditRepository;
  revisions: RevisionRepository;
  adminArticles: AdminArticleRepository;
  adminTaxonomy: AdminTaxonomyRepository;
}

export function createNewsroomRepositories(db: Kysely<Database>): NewsroomRepositories {
  return {
    users: new UserRepository(db),
    sessions: new SessionRepository(db),
    apiKeys: new ApiKeyRepository(db),
    audit: new AuditRepository(db),
    revisions: new RevisionRepository(db),
    adminArticles: new AdminArticleRepository(db),
    adminTaxonomy: new AdminTaxonomyRepository(db),
  };
}
