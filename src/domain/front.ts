import type { ArticleSummary } from './article.js';

/**
 * Fronts: the home page (`home`) and each section front (the section's slug) have a lead
 * slot and ordered top stories. Editors place stories, optionally until an expiry; empty
 * slots fill from the newest published stories. Pure rules, no I/O.
 */
export const HOME_FRONT = 'home';
/** How many top stories a front can hold (placed and filled together). */
export const FRONT_TOP_SLOTS = 6;
/** How far back an automatic lead looks for a story with a picture or video. */
export const AUTO_LEAD_LOOKBACK = 60;

export interface Placement {
  articleId: number;
  /** Epoch ms after which the placement stops showing (the slot fills again); null = until removed. */
  expiresAt: number | null;
}

/** What an editor saves: the lead placement and the top stories in order. */
export interface FrontArrangement {
  lead: Placement | null;
  top: Placement[];
}

export const EMPTY_ARRANGEMENT: FrontArrangement = { lead: null, top: [] };

/** Problems an editor can fix, in words an editor reads; empty when the arrangement is fine. */
export function arrangementProblems(a: FrontArrangement, now: number): string[] {
  const problems: string[] = [];
  if (a.top.length > FRONT_TOP_SLOTS) {
    problems.push(`A front holds at most ${FRONT_TOP_SLOTS} top stories; this one has ${a.top.length}.`);
  }
  const seen = new Set<number>();
  for (const p of [...(a.lead ? [a.lead] : []), ...a.top]) {
    if (seen.has(p.articleId)) problems.push(`Story ${p.articleId} is placed twice; a story can take only one place on a front.`);
    seen.add(p.articleId);
    if (p.expiresAt !== null && p.expiresAt <= now) {
      problems.push(`The placement of story ${p.articleId} expires in the past (${new Date(p.expiresAt).toISOString()}); choose a later time or none.`);
    }
  }
  return problems;
}

/** Placements still showing at `now`. */
export function activeArrangement(a: FrontArrangement, now: number): FrontArrangement {
  const live = (p: Placement | null) => p !== null && (p.expiresAt === null || p.expiresAt > now);
  return { lead: live(a.lead) ? a.lead : null, top: a.top.filter(live) };
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
 * stories not shown yet, those with a picture or video first.
 *
 * @param visible placed articles readers can see now, by id (others are skipped)
 * @param candidates newest visible stories of the front's scope, newest first
 */
export function fillFront(
  arrangement: FrontArrangement,
  visible: ReadonlyMap<number, ArticleSummary>,
  candidates: readonly ArticleSummary[],
  topSlots = FRONT_TOP_SLOTS,
): FilledFront {
  const shown = new Set<number>();
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
