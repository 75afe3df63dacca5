import type { ArticleSummary } from './article.js';
import { text, type LocalText, type TextValue } from '../site/i18n.js';

/**
 * Fronts: the home page (`home`) and each section front (the section's slug) have a lead
 * slot, ordered top stories and ordered blocks. Editors place stories, optionally until an
 * expiry; empty slots fill from the newest published stories. Pure rules, no I/O.
 */
export const HOME_FRONT = 'home';
/** How many top stories a front can hold (placed and filled together). */
export const FRONT_TOP_SLOTS = 6;
/** How far back an automatic lead looks for a story with a picture or video. */
export const AUTO_LEAD_LOOKBACK = 60;
/** How many blocks a front can hold. */
export const FRONT_MAX_BLOCKS = 12;
/** How many stories one block shows at most (a section/topic block's count, a hand-picked block's stories). */
export const BLOCK_MAX_ITEMS = 12;
/** Stories an automatic section block shows (the home page of a front never arranged). */
export const DEFAULT_BLOCK_COUNT = 4;
/** Longest block title, in characters. */
export const BLOCK_TITLE_MAX = 120;

export interface Placement {
  articleId: number;
  /** Epoch ms after which the placement stops showing (the slot fills again); null = until removed. */
  expiresAt: number | null;
}

/**
 * A block of stories below the lead and top stories:
 * - `section`: a section's newest stories not shown above it;
 * - `tag`: a topic's newest stories not shown above it;
 * - `curated`: stories an editor placed by hand, in order, each optionally until a time.
 * `title` null shows the section's or topic's name.
 */
export type FrontBlock =
  | { kind: 'section'; sectionId: number; title: string | null; count: number }
  | { kind: 'tag'; tagId: number; title: string | null; count: number }
  | { kind: 'curated'; title: string; items: Placement[] };

export type FrontBlockKind = FrontBlock['kind'];

/**
 * What an editor saves: the lead placement, the top stories and the blocks, in order.
 * `blocks` null means never arranged: the home page shows a block per section in
 * navigation order, a section front shows none.
 */
export interface FrontArrangement {
  lead: Placement | null;
  top: Placement[];
  blocks: FrontBlock[] | null;
}

export const EMPTY_ARRANGEMENT: FrontArrangement = { lead: null, top: [], blocks: null };

/** The blocks a front shows when editors never arranged them. */
export function defaultBlocks(frontName: string, sectionIdsInNavigationOrder: readonly number[]): FrontBlock[] {
  if (frontName !== HOME_FRONT) return [];
  return sectionIdsInNavigationOrder.map((sectionId) => ({ kind: 'section', sectionId, title: null, count: DEFAULT_BLOCK_COUNT }));
}

/** Every placement of an arrangement (lead, top, then hand-picked block stories), in order. */
export function allPlacements(a: FrontArrangement): Placement[] {
  return [...(a.lead ? [a.lead] : []), ...a.top, ...(a.blocks ?? []).flatMap((b) => (b.kind === 'curated' ? b.items : []))];
}

/** How a block is named in messages: its title, else its kind and number. */
export function blockLabel(b: FrontBlock, index: number): TextValue {
  return b.title?.trim() ? `"${b.title.trim()}"` : text('frontWhereBlock', { n: index + 1 });
}

/** Problems an editor can fix, in words an editor reads; empty when the arrangement is fine. */
export function arrangementProblems(a: FrontArrangement, now: number): LocalText[] {
  const problems: LocalText[] = [];
  if (a.top.length > FRONT_TOP_SLOTS) {
    problems.push(text('frontTooManyTop', { max: FRONT_TOP_SLOTS, count: a.top.length }));
  }
  const blocks = a.blocks ?? [];
  if (blocks.length > FRONT_MAX_BLOCKS) problems.push(text('frontTooManyBlocks', { max: FRONT_MAX_BLOCKS, count: blocks.length }));
  blocks.forEach((b, i) => {
    const label = blockLabel(b, i);
    if (b.title !== null && b.title.trim().length > BLOCK_TITLE_MAX) {
      problems.push(text('frontBlockTitleLong', { n: i + 1, max: BLOCK_TITLE_MAX, length: b.title.trim().length }));
    }
    if (b.kind === 'curated') {
      if (!b.title.trim()) problems.push(text('frontCuratedNeedsTitle', { n: i + 1 }));
      if (b.items.length > BLOCK_MAX_ITEMS) problems.push(text('frontBlockTooManyItems', { block: label, max: BLOCK_MAX_ITEMS, count: b.items.length }));
    } else if (!Number.isInteger(b.count) || b.count < 1 || b.count > BLOCK_MAX_ITEMS) {
      problems.push(text('frontBlockCount', { block: label, max: BLOCK_MAX_ITEMS, count: String(b.count) }));
    }
  });
  const seen = new Set<number>();
  for (const p of allPlacements(a)) {
    if (seen.has(p.articleId)) problems.push(text('frontPlacedTwice', { id: String(p.articleId) }));
    seen.add(p.articleId);
    if (p.expiresAt !== null && p.expiresAt <= now) {
      problems.push(text('frontExpiryPast', { id: String(p.articleId), at: new Date(p.expiresAt).toISOString() }));
    }
  }
  return problems;
}

const live = (now: number) => (p: Placement | null): p is Placement => p !== null && (p.expiresAt === null || p.expiresAt > now);

/** Placements still showing at `now`. */
export function activeArrangement(a: FrontArrangement, now: number): FrontArrangement {
  const isLive = live(now);
  return {
    lead: isLive(a.lead) ? a.lead : null,
    top: a.top.filter(isLive),
    blocks: a.blocks === null ? null : a.blocks.map((b) => (b.kind === 'curated' ? { ...b, items: b.items.filter(isLive) } : b)),
  };
}

export interface FilledFront {
  lead: ArticleSummary | null;
  /** Whether the lead was placed by an editor (else picked automatically). */
  leadPlaced: boolean;
  top: ArticleSummary[];
  /** How many of `top` (from the start) editors placed. */
  topPlaced: number;
}

/**
 * Fills a front: placed stories that readers can see keep their slots; an empty lead
 * takes the newest story with a picture or video among `candidates` (newest first), so a
 * burst of picture-less wire copy cannot take it; empty top slots take the newest
 * stories not shown yet, those with a picture or video first. Stories placed in
 * hand-picked blocks (`reserved`) are left for their blocks.
 *
 * @param visible placed articles readers can see now, by id (others are skipped)
 * @param candidates newest visible stories of the front's scope, newest first
 */
export function fillFront(
  arrangement: Pick<FrontArrangement, 'lead' | 'top'>,
  visible: ReadonlyMap<number, ArticleSummary>,
  candidates: readonly ArticleSummary[],
  topSlots = FRONT_TOP_SLOTS,
  reserved: ReadonlySet<number> = new Set(),
): FilledFront {
  const shown = new Set<number>(reserved);
  let lead = arrangement.lead ? (visible.get(arrangement.lead.articleId) ?? null) : null;
  const leadPlaced = lead !== null;
  const placedTop = arrangement.top.map((p) => visible.get(p.articleId)).filter((a): a is ArticleSummary => a !== undefined);
  for (const a of placedTop) shown.add(a.id);
  if (!lead) {
    const pool = candidates.filter((c) => !shown.has(c.id));
    lead = pool.find((c) => c.leadMedia !== null) ?? pool[0] ?? null;
  }
  if (lead) shown.add(lead.id);
  const top = placedTop.filter((a) => a.id !== lead?.id).slice(0, topSlots);
  const topPlaced = top.length;
  // Stories with a picture or video first (newest first), then the rest: a flood of
  // picture-less wire copy fills "Latest", not every top slot.
  const pictured = candidates.filter((c) => c.leadMedia !== null);
  const plain = candidates.filter((c) => c.leadMedia === null);
  for (const c of [...pictured, ...plain]) {
    if (top.length >= topSlots) break;
    if (shown.has(c.id)) continue;
    top.push(c);
    shown.add(c.id);
  }
  return { lead, leadPlaced, top, topPlaced };
}

/** A block as readers see it: the block, its stories, and how many of them (from the start) an editor placed. */
export interface FilledBlock {
  block: FrontBlock;
  articles: ArticleSummary[];
  placed: number;
}

/**
 * Fills blocks in order. A story shows once per front: blocks skip what the lead, the top
 * stories (`shownAbove`) and earlier blocks show, and section or topic blocks leave the
 * stories placed in hand-picked blocks (`reserved`) to those. A hand-picked block shows
 * its placed stories readers can see; a section or topic block its `count` newest candidates.
 *
 * @param visible placed articles readers can see now, by id
 * @param candidatesOf newest visible stories of a section or topic block (by index), newest first;
 *   fetch at least `count` plus the stories earlier blocks and `reserved` can take
 */
export function fillBlocks(
  blocks: readonly FrontBlock[],
  shownAbove: Iterable<number>,
  visible: ReadonlyMap<number, ArticleSummary>,
  candidatesOf: (index: number) => readonly ArticleSummary[],
  reserved: ReadonlySet<number> = new Set(),
): FilledBlock[] {
  const shown = new Set(shownAbove);
  return blocks.map((block, i) => {
    const articles: ArticleSummary[] = [];
    if (block.kind === 'curated') {
      for (const p of block.items) {
        const a = visible.get(p.articleId);
        if (!a || shown.has(a.id) || articles.length >= BLOCK_MAX_ITEMS) continue;
        articles.push(a);
        shown.add(a.id);
      }
      return { block, articles, placed: articles.length };
    }
    for (const c of candidatesOf(i)) {
      if (articles.length >= block.count) break;
      if (shown.has(c.id) || reserved.has(c.id)) continue;
      articles.push(c);
      shown.add(c.id);
    }
    return { block, articles, placed: 0 };
  });
}

/** The most stories blocks before `index` can show (how far a block's candidates must reach past them). */
export function storiesBefore(blocks: readonly FrontBlock[], index: number): number {
  return blocks.slice(0, index).reduce((n, b) => n + (b.kind === 'curated' ? b.items.length : b.count), 0);
}

/** What restoring needs to know about the ids an old arrangement names, as they stand now. */
export interface RestoreFacts {
  /** The story's headline and status, or undefined when it was deleted. */
  story(articleId: number): { headline: string; status: string } | undefined;
  sectionExists(sectionId: number): boolean;
  tagExists(tagId: number): boolean;
}

/**
 * An old arrangement made placeable again: placements that expired by `now`, stories
 * deleted or killed since, and blocks whose section or topic is gone are left out, each
 * with a sentence saying so.
 */
export function restorableArrangement(old: FrontArrangement, now: number, facts: RestoreFacts): { arrangement: FrontArrangement; leftOut: string[] } {
  const leftOut: string[] = [];
  const keep = (p: Placement): boolean => {
    const s = facts.story(p.articleId);
    if (!s) leftOut.push(`Story ${p.articleId} was deleted and is left out.`);
    else if (s.status === 'killed') leftOut.push(`"${s.headline}" was killed and is left out.`);
    else if (p.expiresAt !== null && p.expiresAt <= now) leftOut.push(`"${s.headline}" was placed until ${new Date(p.expiresAt).toISOString()}, which has passed; it is left out.`);
    else return true;
    return false;
  };
  const blocks =
    old.blocks === null
      ? null
      : old.blocks.flatMap((b, i): FrontBlock[] => {
          if (b.kind === 'curated') return [{ ...b, items: b.items.filter(keep) }];
          if (b.kind === 'section' && !facts.sectionExists(b.sectionId)) {
            leftOut.push(`Block ${i + 1} showed section ${b.sectionId}, which no longer exists; it is left out.`);
            return [];
          }
          if (b.kind === 'tag' && !facts.tagExists(b.tagId)) {
            leftOut.push(`Block ${i + 1} showed topic ${b.tagId}, which no longer exists; it is left out.`);
            return [];
          }
          return [b];
        });
  return { arrangement: { lead: old.lead && keep(old.lead) ? old.lead : null, top: old.top.filter(keep), blocks }, leftOut };
}
