import { canOn, type Principal } from './roles.js';
/**
 * Accessibility rule of the media library: an article may go live only when every
 * image it shows has alt text: its lead image (a video's label counts as its alt)
 * and every inline `<img>` of its body. Returns what is missing, for the error message.
 */
export function missingAltText(lead: { kind: 'image' | 'video'; alt: string } | null, bodyHtml: string): string[] {
  const gaps = altTextGaps(lead, bodyHtml);
  const missing: string[] = [];
  if (gaps.lead) missing.push('the lead image');
  if (gaps.inline) missing.push(`${gaps.inline} image${gaps.inline > 1 ? 's' : ''} in the body`);
  return missing;
}

/** What `missingAltText` describes, as facts: the lead image lacks alt text; how many body images do. */
export function altTextGaps(lead: { kind: 'image' | 'video'; alt: string } | null, bodyHtml: string): { lead: boolean; inline: number } {
  const images = bodyHtml.match(/<img\b[^>]*>/gi) ?? [];
  return { lead: !!lead && lead.kind === 'image' && !lead.alt.trim(), inline: images.filter((tag) => !/\balt\s*=\s*"[^"]*\S[^"]*"/i.test(tag)).length };
}

/**
 * Media shown in a live (published or scheduled) article is part of that article: changing
 * its alt text, caption, credit, licence or focal point changes the live page, so it needs
 * the right to edit and publish every such article (an author: only their own; a
 * contributor: none). Returns the first article the principal may not change, or null.
 */
export function firstLiveArticleNotEditable<T extends { author_id: number | null }>(principal: Principal, liveArticles: readonly T[]): T | null {
  return liveArticles.find((a) => !canOn(principal, 'articles.edit', a.author_id) || !canOn(principal, 'articles.publish', a.author_id)) ?? null;
}
