import type { ArticleContent } from './admin-article.js';
import { blockKey, joinBlocks, splitBlocks, type BodyBlock } from './body-blocks.js';
import { mergeSequences } from './three-way-merge.js';

/**
 * Three-way merge of an article: what a save that met a newer revision needs. `base`
 * is the revision both edits started from, `theirs` the current (newer) revision,
 * `mine` the edit that could not be saved.
 *
 * - A field changed on one side only takes that side, without asking.
 * - A field changed on both sides to different values is a conflict.
 * - The body merges block by block (paragraphs, headings, list items…): edits to
 *   different blocks both survive; only edits to the same blocks are conflicts.
 * - Related stories: only the editor's pins (and their order) are content; the
 *   engine-scored items are recomputed and never conflict.
 */

/** Fields merged as one value each. */
export const MERGED_FIELDS = ['headline', 'dek', 'sectionId', 'contentTypeId', 'language', 'byline', 'source', 'place', 'leadMediaId', 'tags', 'pins'] as const;
export type MergedField = (typeof MERGED_FIELDS)[number];

export interface FieldConflict {
  field: MergedField;
  base: unknown;
  theirs: unknown;
  mine: unknown;
}

/** The merged body: agreed stretches of HTML and conflicting stretches to resolve. */
export type BodyChunk = { ok: string } | { conflict: { base: string; theirs: string; mine: string } };

export interface ArticleMerge {
  /**
   * The merged content. Where a field conflicts it holds their value and where the
   * body conflicts their blocks, until the editor resolves it (`resolveMerge`).
   */
  merged: ArticleContent;
  conflicts: FieldConflict[];
  body: BodyChunk[];
  /** Fields (and `bodyHtml`) taken from each side without asking. */
  fromTheirs: string[];
  fromMine: string[];
}

/** An editor's choice for one conflict. */
export type Choice = 'theirs' | 'mine' | 'both';

export interface Resolution {
  fields?: Partial<Record<MergedField, 'theirs' | 'mine'>>;
  /** One choice per conflicting body chunk, in order; `both` keeps theirs then mine. */
  body?: Choice[];
}

function pinsOf(c: ArticleContent): number[] {
  return c.related.filter((r) => r.pinned).map((r) => r.id);
}

function valueOf(c: ArticleContent, field: MergedField): unknown {
  return field === 'pins' ? pinsOf(c) : c[field];
}

function key(v: unknown): string {
  return JSON.stringify(v);
}

/** Tags compare as a set: the order they were typed in is not content. */
function comparable(field: MergedField, v: unknown): string {
  if (field === 'tags') return key([...(v as { kind: string; name: string }[])].map((t) => `${t.kind}:${t.name.toLowerCase()}`).sort());
  return key(v);
}

function setField(target: ArticleContent, field: MergedField, value: unknown, scoredFrom: ArticleContent): void {
  if (field === 'pins') {
    const pins = value as number[];
    const scored = scoredFrom.related.filter((r) => !r.pinned && !pins.includes(r.id));
    target.related = [...pins.map((id) => ({ id, pinned: true })), ...scored];
  } else {
    (target as unknown as Record<string, unknown>)[field] = value;
  }
}

const blockKeyOf = (b: BodyBlock) => blockKey(b);

/** Merges `mine` into `theirs` against their common `base`. Pure. */
export function mergeArticle(base: ArticleContent, theirs: ArticleContent, mine: ArticleContent): ArticleMerge {
  const merged: ArticleContent = { ...theirs, tags: [...theirs.tags], related: [...theirs.related] };
  const conflicts: FieldConflict[] = [];
  const fromTheirs: string[] = [];
  const fromMine: string[] = [];
  for (const field of MERGED_FIELDS) {
    const b = valueOf(base, field);
    const t = valueOf(theirs, field);
    const m = valueOf(mine, field);
    const theirsChanged = comparable(field, t) !== comparable(field, b);
    const mineChanged = comparable(field, m) !== comparable(field, b);
    if (mineChanged && !theirsChanged) {
      setField(merged, field, m, theirs);
      fromMine.push(field);
    } else if (theirsChanged && !mineChanged) {
      fromTheirs.push(field);
    } else if (theirsChanged && mineChanged && comparable(field, t) !== comparable(field, m)) {
      conflicts.push({ field, base: b, theirs: t, mine: m });
    }
  }

  const chunks = mergeSequences(splitBlocks(base.bodyHtml), splitBlocks(theirs.bodyHtml), splitBlocks(mine.bodyHtml), blockKeyOf);
  const body: BodyChunk[] = chunks.map((c) =>
    'ok' in c ? { ok: joinBlocks(c.ok) } : { conflict: { base: joinBlocks(c.conflict.base), theirs: joinBlocks(c.conflict.theirs), mine: joinBlocks(c.conflict.mine) } },
  );
  merged.bodyHtml = resolveBody(body, []);
  if (body.every((c) => 'ok' in c)) {
    if (merged.bodyHtml !== normalizeBody(theirs.bodyHtml)) fromMine.push('bodyHtml');
    if (merged.bodyHtml !== normalizeBody(mine.bodyHtml)) fromTheirs.push('bodyHtml');
  }
  return { merged, conflicts, body, fromTheirs, fromMine };
}

/** Body HTML in the form the merge produces (one list per run of items). */
export function normalizeBody(html: string): string {
  return joinBlocks(splitBlocks(html));
}

/** The merged body with one choice per conflicting chunk (missing choices keep theirs). */
export function resolveBody(body: readonly BodyChunk[], choices: readonly Choice[]): string {
  let n = 0;
  let html = '';
  for (const c of body) {
    if ('ok' in c) html += c.ok;
    else {
      const choice = choices[n++] ?? 'theirs';
      if (choice === 'theirs' || choice === 'both') html += c.conflict.theirs;
      if (choice === 'mine' || choice === 'both') html += c.conflict.mine;
    }
  }
  return normalizeBody(html);
}

/** The merged content with the editor's choices applied (unresolved conflicts keep theirs). */
export function resolveMerge(merge: ArticleMerge, resolution: Resolution, theirs: ArticleContent): ArticleContent {
  const out: ArticleContent = { ...merge.merged, tags: [...merge.merged.tags], related: [...merge.merged.related] };
  for (const c of merge.conflicts) {
    if (resolution.fields?.[c.field] === 'mine') setField(out, c.field, c.mine, theirs);
  }
  out.bodyHtml = resolveBody(merge.body, resolution.body ?? []);
  return out;
}

/** Whether the merge needs an editor's decision. */
export function hasConflicts(merge: ArticleMerge): boolean {
  return merge.conflicts.length > 0 || merge.body.some((c) => 'conflict' in c);
}
