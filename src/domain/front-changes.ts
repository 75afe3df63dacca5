import type { FrontArrangement, FrontBlock, Placement } from './front.js';

/** Names for the ids an arrangement holds, so changes read in words. */
export interface FrontNames {
  headline(articleId: number): string;
  section(sectionId: number): string;
  tag(tagId: number): string;
}

/** How a block reads in a sentence: `the "Picks" block`, `the World section block`. */
export function describeBlock(b: FrontBlock, names: FrontNames): string {
  if (b.kind === 'curated') return `the hand-picked block "${b.title}"`;
  const source = b.kind === 'section' ? `the ${names.section(b.sectionId)} section` : `the topic ${names.tag(b.tagId)}`;
  return b.title ? `the block "${b.title}" (${source.replace(/^the /, '')})` : `${source} block`;
}

const blockIdentity = (b: FrontBlock) => (b.kind === 'curated' ? `c:${b.title}` : b.kind === 'section' ? `s:${b.sectionId}` : `t:${b.tagId}`);
const expiry = (p: Placement) => (p.expiresAt === null ? 'until removed' : `until ${new Date(p.expiresAt).toISOString().slice(0, 16).replace('T', ' ')} UTC`);

function listChanges(what: string, before: Placement[], after: Placement[], names: FrontNames): string[] {
  const out: string[] = [];
  const was = new Map(before.map((p, i) => [p.articleId, { p, i }]));
  const is = new Map(after.map((p, i) => [p.articleId, { p, i }]));
  for (const [id, { i }] of is) if (!was.has(id)) out.push(`Placed "${names.headline(id)}" in ${what} at position ${i + 1}.`);
  for (const id of was.keys()) if (!is.has(id)) out.push(`Removed "${names.headline(id)}" from ${what}.`);
  const keptBefore = before.filter((p) => is.has(p.articleId)).map((p) => p.articleId);
  const keptAfter = after.filter((p) => was.has(p.articleId)).map((p) => p.articleId);
  if (keptBefore.join() !== keptAfter.join()) out.push(`Reordered ${what}.`);
  for (const [id, { p }] of is) {
    const old = was.get(id);
    if (old && old.p.expiresAt !== p.expiresAt) out.push(`"${names.headline(id)}" in ${what} now shows ${expiry(p)}.`);
  }
  return out;
}

/**
 * What changed from one saved arrangement to the next, in sentences an editor reads
 * ("Made "X" the lead.", "Added the World section block."). `before` null: the first save.
 * Blocks arranged for the first time are compared with the `automatic` blocks that showed.
 */
export function describeFrontChanges(before: FrontArrangement | null, after: FrontArrangement, names: FrontNames, automatic: readonly FrontBlock[] = []): string[] {
  const b = before ?? { lead: null, top: [], blocks: null };
  const out: string[] = [];
  if (b.lead?.articleId !== after.lead?.articleId) {
    if (after.lead) out.push(`Made "${names.headline(after.lead.articleId)}" the lead${b.lead ? ` instead of "${names.headline(b.lead.articleId)}"` : ''}.`);
    else if (b.lead) out.push(`Removed "${names.headline(b.lead.articleId)}" as the lead; the newest story with a picture leads.`);
  } else if (after.lead && b.lead && after.lead.expiresAt !== b.lead.expiresAt) {
    out.push(`The lead now shows ${expiry(after.lead)}.`);
  }
  out.push(...listChanges('the top stories', b.top, after.top, names));

  if ((b.blocks === null) !== (after.blocks === null)) {
    out.push(after.blocks === null ? 'Went back to automatic blocks.' : 'Arranged the blocks by hand.');
  }
  if (after.blocks === null) return out.length ? out : ['No change to the placements.'];
  const was = b.blocks ?? automatic;
  const is = after.blocks;
  const wasIds = new Set(was.map(blockIdentity));
  const isIds = new Set(is.map(blockIdentity));
  // A hand-picked block is known by its title, so a retitled one looks new: pair the
  // hand-picked blocks that appeared with those that went, in order, as renames.
  const appeared = is.filter((x) => x.kind === 'curated' && !wasIds.has(blockIdentity(x)));
  const went = was.filter((x) => x.kind === 'curated' && !isIds.has(blockIdentity(x)));
  const renamedFrom = new Map<FrontBlock, FrontBlock>(appeared.slice(0, went.length).map((x, i) => [x, went[i]!]));
  const renamedTo = new Map([...renamedFrom].map(([x, old]) => [old, x]));
  const identity = (x: FrontBlock) => blockIdentity(renamedTo.get(x) ?? x);
  const wasById = new Map(was.map((x) => [identity(x), x]));
  const isById = new Map(is.map((x) => [blockIdentity(x), x]));
  for (const x of is) {
    const old = wasById.get(blockIdentity(x));
    if (!old) {
      out.push(`Added ${describeBlock(x, names)}.`);
      continue;
    }
    if (x.kind !== 'curated' && old.kind !== 'curated') {
      const source = x.kind === 'section' ? names.section(x.sectionId) : names.tag(x.tagId);
      if ((old.title ?? '') !== (x.title ?? '')) out.push(`Renamed ${describeBlock(old, names)} to "${x.title ?? source}".`);
      if (old.count !== x.count) out.push(`${capitalize(describeBlock(x, names))} shows ${x.count} stories instead of ${old.count}.`);
    }
    if (x.kind === 'curated' && old.kind === 'curated') {
      if (old.title !== x.title) out.push(`Renamed ${describeBlock(old, names)} to "${x.title}".`);
      out.push(...listChanges(describeBlock(x, names), old.items, x.items, names));
    }
  }
  for (const x of was) if (!isById.has(identity(x))) out.push(`Removed ${describeBlock(x, names)}.`);
  const orderWas = was.map(identity).filter((id) => isById.has(id));
  const orderIs = is.map(blockIdentity).filter((id) => wasById.has(id));
  if (orderWas.join('|') !== orderIs.join('|')) out.push('Reordered the blocks.');
  return out.length ? out : ['No change to the placements.'];
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
