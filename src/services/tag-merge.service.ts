import type { Kysely } from 'kysely';
import type { AdminTaxonomyRepository } from '../db/repositories/admin-taxonomy.repository.js';
import type { TagUsageRepository } from '../db/repositories/tag-usage.repository.js';
import type { Database } from '../db/schema.js';
import type { Tag } from '../domain/article.js';
import { DomainError } from '../domain/errors.js';
import { text } from '../site/i18n.js';
import type { Principal } from '../domain/roles.js';
import type { AuditService } from './audit.service.js';

/** A tag with the number of articles that carry it. */
export type TagWithUsage = Tag & { articleCount: number };

/**
 * Merging duplicate tags ("UN" into "United Nations"): the source's articles move to
 * the target, the source goes, and every moved article is re-indexed (search terms and
 * related lists read tags).
 */
export class TagMergeService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly tags: AdminTaxonomyRepository,
    private readonly usage: TagUsageRepository,
    private readonly audit: AuditService,
    private readonly articleChanged: (articleId: number) => Promise<void>,
  ) {}

  async withUsage(tags: Tag[]): Promise<TagWithUsage[]> {
    const counts = await this.usage.articleCounts(tags.map((t) => t.id));
    return tags.map((t) => ({ ...t, articleCount: counts.get(t.id) ?? 0 }));
  }

  async merge(actor: Principal, sourceId: number, targetId: number): Promise<{ tag: TagWithUsage; moved: number }> {
    if (sourceId === targetId) throw new DomainError('VALIDATION_FAILED', text('tagMergeSelf'));
    const [source, target] = await Promise.all([this.tags.findTag(sourceId), this.tags.findTag(targetId)]);
    if (!source) throw new DomainError('TAG_NOT_FOUND', text('tagMergeSourceGone', { id: String(sourceId) }));
    if (!target) throw new DomainError('TAG_NOT_FOUND', text('tagMergeTargetGone', { id: String(targetId) }));
    const moved = await this.db.transaction().execute(async (trx) => {
      const ids = await this.usage.articleIdsOf(sourceId, trx);
      await this.usage.merge(sourceId, targetId, trx);
      await this.audit.record(actor, 'tag.merge', `tag:${targetId}`, `"${source.name}" (${source.kind}, ${ids.length} article${ids.length === 1 ? '' : 's'}) merged into "${target.name}"`, trx);
      return ids;
    });
    for (const id of moved) await this.articleChanged(id);
    const [tag] = await this.withUsage([target]);
    return { tag: tag!, moved: moved.length };
  }
}
