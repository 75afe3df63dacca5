import type { AdminArticle, AdminArticleSummary } from '../domain/admin-article.js';
import { articlePath } from '../domain/article.js';
import type { User } from '../domain/user.js';
import type { AuditEntry } from '../services/audit.service.js';
import type { ApiKeyInfo } from '../services/newsroom-users.service.js';
import type { Revision, RevisionSummary } from '../services/revision.service.js';
import type { ApiMapper } from './mappers.js';
import type * as Contract from './schemas/admin-contract.js';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** Newsroom domain objects to admin API shapes (docs/admin-api.md): ISO times, absolute URLs. */
export class AdminMapper {
  constructor(
    private readonly baseUrl: string,
    private readonly api: ApiMapper,
  ) {}

  user(u: User): Contract.User {
    return { id: u.id, email: u.email, name: u.name, role: u.role, disabled: u.disabled, createdAt: iso(u.createdAt)!, lastLoginAt: iso(u.lastLoginAt) };
  }

  session(s: { user: User; csrfToken: string }): Contract.SessionInfo {
    return { user: this.user(s.user), csrfToken: s.csrfToken };
  }

  inviteUrl(token: string): string {
    return `${this.baseUrl}/admin/invite?token=${encodeURIComponent(token)}`;
  }

  apiKey(k: ApiKeyInfo) {
    return { ...k, createdAt: iso(k.createdAt)!, lastUsedAt: iso(k.lastUsedAt), revokedAt: iso(k.revokedAt) };
  }

  audit(e: AuditEntry) {
    return { at: iso(e.at)!, userId: e.userId, userName: e.userName, action: e.action, subject: e.subject, detail: e.detail };
  }

  articleSummary(a: AdminArticleSummary): Contract.AdminArticleSummary {
    return {
      id: a.id,
      status: a.status,
      revision: a.revision,
      language: a.language,
      direction: a.direction,
      slug: a.slug,
      headline: a.headline,
      dek: a.dek,
      sectionId: a.sectionId,
      contentTypeId: a.contentTypeId,
      byline: a.byline,
      source: a.source,
      place: a.place,
      leadMediaId: a.leadMediaId,
      leadMedia: this.api.media(a.leadMedia),
      tags: a.tags,
      authorId: a.authorId,
      authorName: a.authorName,
      scheduledAt: iso(a.scheduledAt),
      embargoUntil: iso(a.embargoUntil),
      publishedAt: iso(a.publishedAt),
      firstPublishedAt: iso(a.firstPublishedAt),
      updatedAt: iso(a.updatedAt)!,
      publicUrl: a.status === 'published' ? `${this.baseUrl}${articlePath(a)}` : null,
      previewUrl: `${this.baseUrl}/admin/preview/${a.id}`,
    };
  }

  article(a: AdminArticle): Contract.AdminArticle {
    return {
      ...this.articleSummary(a),
      bodyHtml: a.bodyHtml,
      related: a.related,
      corrections: a.corrections.map((c) => ({ at: iso(c.at)!, note: c.note })),
    };
  }

  revisionSummary(r: RevisionSummary): Contract.RevisionSummary {
    return { number: r.number, createdAt: iso(r.createdAt)!, userId: r.userId, userName: r.userName, autosave: r.autosave, action: r.action, headline: r.headline };
  }

  revision(r: Revision) {
    const { createdAt, ...rest } = r;
    return { ...rest, createdAt: iso(createdAt)! };
  }
}
