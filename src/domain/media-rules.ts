import { canOn, type Principal } from './roles.js';
/**
 * Accessibility rule of the media library: an article may go live only when every
 * image it shows has alt text: its lead image (a video's label counts as its alt)
 * and every inline `<img>` of its body. Returns what is missing, for the error message.
 */
export function missingAltText(lead: { kind: 'image' | 'video'; alt: string } | null, bodyHtml: string): string[] {
  const missing: string[] = [];
  if (lead && lead.kind === 'image' && !lead.alt.trim()) missing.push('the lead image');
  const images = bodyHtml.match(/<img\b[^>]*>/gi) ?? [];
  const inline = images.filter((tag) => !/\balt\s*=\s*"[^"]*\S[^"]*"/i.test(tag)).length;
  if (inline) missing.push(`${inline} image${inline > 1 ? 's' : ''} in the body`);
  return missing;
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
