import type { NewsroomRepositories } from '../db/repositories/newsroom-repositories.js';
import { contentOf, type AdminArticle, type ArticleContent, type RevisionSnapshot } from '../domain/admin-article.js';
import { mergeArticle, type ArticleMerge } from '../domain/article-merge.js';
import { trimTrailingEmptyParagraphs } from '../domain/body-blocks.js';
import { sanitizeBody } from './html-sanitizer.js';

/** Everything a client needs to merge a save that met a newer revision. */
export interface MergeProposal {
  /** The revision to save the merged version over. */
  revision: number;
  /** The revision both edits started from (the newest one at or below it if it was squashed). */
  base: { revision: number; content: ArticleContent } | null;
  theirs: ArticleContent;
  mine: ArticleContent;
  merge: ArticleMerge;
}

function contentOfSnapshot(s: RevisionSnapshot): ArticleContent {
  const { headline, dek, bodyHtml, sectionId, contentTypeId, language, byline, source, place, leadMediaId, tags, related } = s;
  return { headline, dek, bodyHtml, sectionId, contentTypeId, language, byline, source, place, leadMediaId, tags, related };
}

/**
 * Three-way merges for the admin API: finds the common base revision, normalizes the
 * edit that could not be saved like a save would, and merges (domain/article-merge.ts).
 */
export class ArticleMergeService {
  constructor(private readonly revisions: NewsroomRepositories['revisions']) {}

  /** The content of revision `number`, or of the newest one below it (autosaves squash). */
  async baseOf(articleId: number, number: number): Promise<{ revision: number; content: ArticleContent } | null> {
    const row = (await this.revisions.find(articleId, number)) ?? (await this.revisions.findPrevious(articleId, number));
    return row ? { revision: row.number, content: contentOfSnapshot(JSON.parse(row.snapshot_json) as RevisionSnapshot) } : null;
  }

  /**
   * Merges `input` (fields as a save sends them; absent ones are unchanged since the
   * base) into the current version against the base revision.
   */
  async propose(current: AdminArticle, baseRevision: number, input: Partial<ArticleContent>): Promise<MergeProposal> {
    const theirs = contentOf(current);
    const base = baseRevision <= current.revision ? await this.baseOf(current.id, baseRevision) : null;
    const start = base?.content ?? theirs;
    const given = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as Partial<ArticleContent>;
    const raw = { ...start, ...given };
    const mine: ArticleContent = {
      ...raw,
      headline: raw.headline.trim(),
      dek: raw.dek.trim(),
      byline: raw.byline.trim(),
      source: raw.source.trim(),
      place: raw.place.trim(),
      bodyHtml: trimTrailingEmptyParagraphs(sanitizeBody(raw.bodyHtml)),
      tags: raw.tags.map((t) => ({ kind: t.kind, name: t.name.trim() })).filter((t) => t.name),
      related: raw.related.map((r) => ({ id: r.id, pinned: r.pinned })),
    };
    return { revision: current.revision, base, theirs, mine, merge: mergeArticle(start, theirs, mine) };
  }
}
