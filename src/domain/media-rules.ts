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
