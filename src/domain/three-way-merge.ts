import { diffArrays } from 'diff';

/**
 * Three-way merge of two sequences edited from a common base (diff3-style), with the
 * rule editors expect: edits to different items both survive, even when the items are
 * neighbours; only edits that touch the same base items (or insert different things
 * at the same place) are conflicts.
 */

/** One side's change: base items [start, end) were replaced by `items`. */
interface Hunk<T> {
  start: number;
  end: number;
  items: T[];
}

export type SequenceChunk<T> = { ok: T[] } | { conflict: { base: T[]; theirs: T[]; mine: T[] } };

function hunksOf<T>(base: readonly T[], edited: readonly T[], key: (t: T) => string): Hunk<T>[] {
  const hunks: Hunk<T>[] = [];
  let pos = 0;
  let editedPos = 0;
  let open: Hunk<T> | null = null;
  const parts = diffArrays(base.map(key), edited.map(key));
  for (const part of parts) {
    const n = part.count ?? part.value.length;
    if (!part.added && !part.removed) {
      open = null;
      pos += n;
      editedPos += n;
      continue;
    }
    if (!open) {
      open = { start: pos, end: pos, items: [] };
      hunks.push(open);
    }
    if (part.removed) {
      pos += n;
      open.end = pos;
    } else {
      open.items.push(...edited.slice(editedPos, editedPos + n));
      editedPos += n;
    }
  }
  return hunks;
}

/** Whether two hunks from different sides touch the same base items or insertion point. */
function overlaps<T>(a: Hunk<T>, b: Hunk<T>): boolean {
  const aInsert = a.start === a.end;
  const bInsert = b.start === b.end;
  if (aInsert && bInsert) return a.start === b.start;
  if (aInsert) return a.start > b.start && a.start < b.end;
  if (bInsert) return b.start > a.start && b.start < a.end;
  return Math.max(a.start, b.start) < Math.min(a.end, b.end);
}

/** Base items [start, end) with one side's hunks (all inside that range) applied. */
function apply<T>(base: readonly T[], start: number, end: number, hunks: Hunk<T>[]): T[] {
  const out: T[] = [];
  let pos = start;
  for (const h of hunks) {
    out.push(...base.slice(pos, h.start), ...h.items);
    pos = h.end;
  }
  out.push(...base.slice(pos, end));
  return out;
}

/**
 * Merges `theirs` and `mine`, both edited from `base`. Returns the merged sequence as
 * chunks: agreed runs (`ok`) and conflicts carrying the base, their and my versions of
 * the disputed stretch. Identical edits on both sides are not a conflict.
 */
export function mergeSequences<T>(base: readonly T[], theirs: readonly T[], mine: readonly T[], key: (t: T) => string): SequenceChunk<T>[] {
  type Tagged = Hunk<T> & { side: 'theirs' | 'mine' };
  const all: Tagged[] = [
    ...hunksOf(base, theirs, key).map((h) => ({ ...h, side: 'theirs' as const })),
    ...hunksOf(base, mine, key).map((h) => ({ ...h, side: 'mine' as const })),
  ].sort((a, b) => a.start - b.start || a.end - b.end || (a.side === 'theirs' ? -1 : 1));

  // Group hunks that overlap across sides (transitively) into regions.
  const regions: Tagged[][] = [];
  for (const h of all) {
    const region = regions.at(-1);
    if (region && region.some((o) => o.side !== h.side && overlaps(o, h))) region.push(h);
    else regions.push([h]);
  }
  // A later region may reach back into an earlier one through a same-side neighbour: merge them.
  for (let i = regions.length - 1; i > 0; i--) {
    const prev = regions[i - 1]!;
    const cur = regions[i]!;
    if (cur.some((h) => prev.some((p) => p.side !== h.side && overlaps(p, h)))) {
      prev.push(...cur);
      regions.splice(i, 1);
    }
  }

  const chunks: SequenceChunk<T>[] = [];
  const pushOk = (items: T[]) => {
    if (items.length === 0) return;
    const last = chunks.at(-1);
    if (last && 'ok' in last) last.ok.push(...items);
    else chunks.push({ ok: [...items] });
  };
  let pos = 0;
  for (const region of regions) {
    const start = Math.min(...region.map((h) => h.start));
    const end = Math.max(...region.map((h) => h.end));
    pushOk(base.slice(pos, start));
    const ofTheirs = region.filter((h) => h.side === 'theirs');
    const ofMine = region.filter((h) => h.side === 'mine');
    const t = apply(base, start, end, ofTheirs);
    const m = apply(base, start, end, ofMine);
    if (ofTheirs.length === 0) pushOk(m);
    else if (ofMine.length === 0) pushOk(t);
    else if (t.map(key).join('\u0000') === m.map(key).join('\u0000') && t.length === m.length) pushOk(t);
    else chunks.push({ conflict: { base: base.slice(start, end), theirs: t, mine: m } });
    pos = end;
  }
  pushOk(base.slice(pos));
  return chunks;
}
