import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { purgeKeysForArticleChange, purgeKeysForFrontChange, purgeKeysForMediaChange, type ArticlePublicState } from '../../src/domain/purge-keys.js';

const state = (over: Partial<ArticlePublicState> = {}): ArticlePublicState => ({
  id: 7,
  visible: true,
  sectionId: 2,
  language: 'en',
  tagIds: [10, 11],
  publishedAt: 1000,
  ...over,
});

const arbState = fc.record({
  id: fc.constant(7),
  visible: fc.boolean(),
  sectionId: fc.integer({ min: 1, max: 4 }),
  language: fc.constantFrom('en', 'ar', 'fa'),
  tagIds: fc.uniqueArray(fc.integer({ min: 1, max: 8 }), { maxLength: 4 }),
  publishedAt: fc.option(fc.integer({ min: 0, max: 5 }), { nil: null }),
});

describe('purge keys for an article change', () => {
  test('publishing purges the article, its lists, feeds and sitemaps', () => {
    const keys = purgeKeysForArticleChange({ before: state({ visible: false }), after: state(), contentChanged: true, relatedListsChanged: [3] });
    assert.deepEqual(keys, ['article-7', 'feed', 'lang-en', 'latest', 'related-3', 'section-2', 'sitemap', 'tag-10', 'tag-11'].sort());
  });

  test('unpublishing purges the same lists it leaves', () => {
    const keys = purgeKeysForArticleChange({ before: state(), after: state({ visible: false }), contentChanged: true, relatedListsChanged: [] });
    assert.deepEqual(keys, ['article-7', 'feed', 'lang-en', 'latest', 'section-2', 'sitemap', 'tag-10', 'tag-11'].sort());
  });

  test('an edit of a visible article purges the article and sitemap only', () => {
    assert.deepEqual(purgeKeysForArticleChange({ before: state(), after: state(), contentChanged: true, relatedListsChanged: [] }), ['article-7', 'sitemap']);
  });

  test('moving section or tags purges exactly the lists it moves between', () => {
    const keys = purgeKeysForArticleChange({ before: state(), after: state({ sectionId: 3, tagIds: [11, 12] }), contentChanged: true, relatedListsChanged: [] });
    assert.deepEqual(keys, ['article-7', 'section-2', 'section-3', 'sitemap', 'tag-10', 'tag-12']);
  });

  test('draft work purges nothing; a pinned-list change purges only that box', () => {
    assert.deepEqual(purgeKeysForArticleChange({ before: state({ visible: false }), after: state({ visible: false, sectionId: 1 }), contentChanged: true, relatedListsChanged: [] }), []);
    assert.deepEqual(purgeKeysForArticleChange({ before: null, after: state({ visible: false }), contentChanged: true, relatedListsChanged: [] }), []);
    assert.deepEqual(purgeKeysForArticleChange({ before: state(), after: state(), contentChanged: false, relatedListsChanged: [7] }), ['related-7']);
  });

  test('media and front changes', () => {
    assert.deepEqual(purgeKeysForMediaChange([4, 2, 4]), ['article-2', 'article-4']);
    assert.deepEqual(purgeKeysForFrontChange('home'), ['front-home']);
  });

  test('property: every list the article is in before or after is purged when it enters, leaves or moves; nothing when never visible', () => {
    fc.assert(
      fc.property(fc.option(arbState, { nil: null }), fc.option(arbState, { nil: null }), fc.boolean(), fc.uniqueArray(fc.integer({ min: 1, max: 20 })), (before, after, contentChanged, lists) => {
        const keys = new Set(purgeKeysForArticleChange({ before, after, contentChanged, relatedListsChanged: lists }));
        for (const h of lists) assert.ok(keys.has(`related-${h}`));
        const b = before?.visible ? before : null;
        const a = after?.visible ? after : null;
        const nonRelated = [...keys].filter((k) => !k.startsWith('related-'));
        if (!b && !a) {
          assert.deepEqual(nonRelated, []);
          return;
        }
        // Membership of a list changes: that list is purged.
        const lists_ = (s: ArticlePublicState | null) => new Set(s ? [`section-${s.sectionId}`, `lang-${s.language}`, 'latest', ...s.tagIds.map((t) => `tag-${t}`)] : []);
        const was = lists_(b);
        const is = lists_(a);
        for (const k of was) if (!is.has(k)) assert.ok(keys.has(k), `left ${k}`);
        for (const k of is) if (!was.has(k)) assert.ok(keys.has(k), `entered ${k}`);
        if (!b || !a) {
          assert.ok(keys.has('article-7') && keys.has('feed') && keys.has('sitemap'));
        } else if (b.publishedAt === a.publishedAt) {
          // Exact: lists it stays in, with the same time, keep their entries.
          for (const k of was) if (is.has(k)) assert.ok(!keys.has(k), `over-purged ${k}`);
          assert.ok(!keys.has('feed'));
        }
        // Never a key of anything the change does not touch.
        for (const k of nonRelated) assert.ok(was.has(k) || is.has(k) || ['article-7', 'feed', 'sitemap'].includes(k), `unexpected ${k}`);
      }),
      { numRuns: 500 },
    );
  });
});
