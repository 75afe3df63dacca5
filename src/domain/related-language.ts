import type { RelatedItem } from './article.js';

/**
 * The related box of a page in `language`: a related story in another language whose
 * story has a version in the page's language shows as that version (same place in the
 * list); then stories in the page's language come first, each part in list order.
 * `versions` maps a related id to its version in the page's language.
 */
export function relatedForLanguage(
  items: readonly RelatedItem[],
  language: string,
  versions: ReadonlyMap<number, Omit<RelatedItem, 'sort' | 'pinned' | 'score'>>,
  selfId: number,
): RelatedItem[] {
  // A version already in the list (or the page itself) is not shown a second time.
  const listed = new Set<number>([selfId, ...items.map((i) => i.id)]);
  const out: RelatedItem[] = [];
  for (const item of items) {
    const version = item.language === language ? undefined : versions.get(item.id);
    if (version && !listed.has(version.id)) {
      listed.add(version.id);
      out.push({ ...item, ...version });
    } else out.push(item);
  }
  return [...out.filter((i) => i.language === language), ...out.filter((i) => i.language !== language)];
}
