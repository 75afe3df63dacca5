import { mediaPath } from '../domain/article.js';
import type { BreakingItem, LiveEntry } from '../domain/live.js';
import type { LiveBlogPage } from '../services/live/live.service.js';
import type { BreakingItemDto, LiveBlogDto, LiveEntryDto } from './schemas/live.schemas.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** Live coverage on the way out (content API, admin API). */
export class LiveMapper {
  constructor(private readonly baseUrl: string) {}

  breaking(item: BreakingItem): BreakingItemDto {
    return { ...item, createdAt: iso(item.createdAt), expiresAt: iso(item.expiresAt) };
  }

  entry(e: LiveEntry): LiveEntryDto {
    return {
      ...e,
      media: e.media ? { id: e.media.id, kind: e.media.kind, url: `${this.baseUrl}${mediaPath(e.media.key)}`, alt: e.media.alt, caption: e.media.caption, credit: e.media.credit } : null,
      createdAt: iso(e.createdAt),
      updatedAt: iso(e.updatedAt),
    };
  }

  blog(p: LiveBlogPage, page: number, perPage: number): LiveBlogDto {
    return {
      id: p.articleId,
      ended: p.endedAt !== null,
      endedAt: p.endedAt === null ? null : iso(p.endedAt),
      pinned: p.pinned.map((e) => this.entry(e)),
      items: p.entries.map((e) => this.entry(e)),
      page,
      totalPages: Math.max(1, Math.ceil(p.total / perPage)),
      total: p.total,
      cursor: String(p.cursor),
    };
  }
}
