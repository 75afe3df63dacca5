/**
 * Surrogate keys and the pure rule that maps a content change to exactly the keys it
 * affects. Every cacheable response names what it shows (see `src/http/surrogate-keys.ts`):
 * `article-{id}` for each article shown (full, teaser, list or related item),
 * `related-{id}` for a response showing article {id}'s related list, `section-{id}`,
 * `tag-{id}`, `lang-{code}` and `latest` for newest-first lists, `front-{name}`,
 * `translations-{group}` for pages listing a story's versions in other languages,
 * `feed`, `sitemap`. A purge of a key drops every cached response that names it.
 */

/** What readers can see of one article, as far as lists and pages depend on it. */
export interface ArticlePublicState {
  id: number;
  /** Published and due: readers see it. */
  visible: boolean;
  sectionId: number;
  language: string;
  tagIds: readonly number[];
  /** List order: a changed time moves it within every list it is in. */
  publishedAt: number | null;
  /** Its story's translation group: the other versions' pages link to it (read from the article now, not stored). */
  translationGroup?: string | null;
}

export interface ArticleChangeFacts {
  /** The state last seen before the change (null: the article did not exist). */
  before: ArticlePublicState | null;
  /** The state now (null: the article was deleted). */
  after: ArticlePublicState | null;
  /** The article's own text, media or metadata may have changed (false for a related-list-only change). */
  contentChanged: boolean;
  /** Articles whose visible related list is now different (their boxes and related JSON). */
  relatedListsChanged: readonly number[];
}

export const articleKey = (id: number) => `article-${id}`;
export const relatedKey = (id: number) => `related-${id}`;
export const sectionKey = (id: number) => `section-${id}`;
export const tagKey = (id: number) => `tag-${id}`;
export const langKey = (code: string) => `lang-${code}`;
export const frontKey = (name: string) => `front-${name}`;
/** Pages of a story's versions, which link to each other (hreflang, the language switcher). */
export const translationKey = (group: string) => `translations-${group}`;
/**
 * The `translations-{group}` key of a story, also before it has a group: its first
 * translation starts the group named after its id (TranslationService.translate), so a
 * page that shows the story (its own page, a related box) is purged when a version appears.
 */
export const storyTranslationKey = (a: { id: number; translationGroup: string | null }) => translationKey(a.translationGroup ?? String(a.id));
export const LATEST_KEY = 'latest';
export const FEED_KEY = 'feed';
export const SITEMAP_KEY = 'sitemap';

/** Keys of every newest-first list an article (in this state) appears in. */
function listKeys(s: ArticlePublicState): string[] {
  return [sectionKey(s.sectionId), ...s.tagIds.map(tagKey), LATEST_KEY, langKey(s.language)];
}

/**
 * The keys a committed article change affects, and nothing else:
 * - invisible before and after (draft work): nothing readers see changed;
 * - entering or leaving the public site: the article, every list it enters or leaves
 *   (its sections, tags, language, the site-wide newest, which fill home and fronts),
 *   feeds and sitemaps;
 * - an edit of a visible article: the article (every page showing it carries its key),
 *   the sitemap (last-modified), and the lists it moves between or within (section,
 *   tags, language, or a new publication time);
 * - related lists that changed: those boxes.
 */
export function purgeKeysForArticleChange(facts: ArticleChangeFacts): string[] {
  const keys = new Set<string>();
  const before = facts.before?.visible ? facts.before : null;
  const after = facts.after?.visible ? facts.after : null;
  const id = (facts.after ?? facts.before)?.id;

  if (id !== undefined && (before || after)) {
    if (!before || !after) {
      keys.add(articleKey(id));
      for (const k of listKeys((before ?? after)!)) keys.add(k);
      keys.add(FEED_KEY);
      keys.add(SITEMAP_KEY);
    } else if (facts.contentChanged || !sameState(before, after)) {
      keys.add(articleKey(id));
      keys.add(SITEMAP_KEY);
      if (before.publishedAt !== after.publishedAt) {
        // Its place in every list changes.
        for (const k of [...listKeys(before), ...listKeys(after)]) keys.add(k);
        keys.add(FEED_KEY);
      } else {
        if (before.sectionId !== after.sectionId) {
          keys.add(sectionKey(before.sectionId));
          keys.add(sectionKey(after.sectionId));
        }
        if (before.language !== after.language) {
          keys.add(langKey(before.language));
          keys.add(langKey(after.language));
        }
        const was = new Set(before.tagIds);
        const is = new Set(after.tagIds);
        for (const t of was) if (!is.has(t)) keys.add(tagKey(t));
        for (const t of is) if (!was.has(t)) keys.add(tagKey(t));
      }
    }
  }
  // The story's other versions link to this one (hreflang, switcher): they follow its appearance, slug and removal.
  const group = facts.after?.translationGroup;
  if (group && id !== undefined && keys.has(articleKey(id))) keys.add(translationKey(group));
  for (const holder of facts.relatedListsChanged) keys.add(relatedKey(holder));
  return [...keys].sort();
}

function sameState(a: ArticlePublicState, b: ArticlePublicState): boolean {
  return (
    a.sectionId === b.sectionId &&
    a.language === b.language &&
    a.publishedAt === b.publishedAt &&
    a.tagIds.length === b.tagIds.length &&
    a.tagIds.every((t) => b.tagIds.includes(t))
  );
}

/** A media item changed (alt text, caption, focal point, renditions): the visible articles showing it. */
export function purgeKeysForMediaChange(visibleArticleIdsShowingIt: readonly number[]): string[] {
  return [...new Set(visibleArticleIdsShowingIt.map(articleKey))].sort();
}

/** A front's placements changed: the pages showing that front. */
export function purgeKeysForFrontChange(frontName: string): string[] {
  return [frontKey(frontName)];
}

/** A surrogate key is a short token of letters, digits and `-_.:`; anything else is refused. */
export const SURROGATE_KEY_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
