import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ArticleSummary, Media } from '../../src/domain/article.js';
import { describeFrontChanges, type FrontNames } from '../../src/domain/front-changes.js';
import {
  activeArrangement,
  arrangementProblems,
  defaultBlocks,
  DEFAULT_BLOCK_COUNT,
  fillBlocks,
  fillFront,
  FRONT_MAX_BLOCKS,
  restorableArrangement,
  storiesBefore,
  type FrontArrangement,
  type FrontBlock,
} from '../../src/domain/front.js';
import { localText } from '../../src/site/i18n.js';

const NOW = Date.UTC(2026, 10, 23, 9);
/** An arrangement's problems as an English-speaking editor reads them. */
const inEnglish = (a: Parameters<typeof arrangementProblems>[0], now: number) => arrangementProblems(a, now).map((p) => localText('en', p));
const picture = { id: 1 } as unknown as Media;
/** A story; higher ids are newer. */
const story = (id: number, sectionId = 1, pictured = false): ArticleSummary => ({
  id,
  language: 'en',
  direction: 'ltr',
  slug: `s-${id}`,
  headline: `Story ${id}`,
  dek: '',
  byline: '',
  place: '',
  contentTypeId: 1,
  sectionId,
  status: 'published',
  publishedAt: NOW - (1000 - id) * 60_000,
  updatedAt: NOW,
  leadMedia: pictured ? picture : null,
});
const newestFirst = (xs: ArticleSummary[]) => xs.slice().sort((a, b) => b.id - a.id);
const byId = (xs: ArticleSummary[]) => new Map(xs.map((a) => [a.id, a]));
const ids = (xs: { id: number }[]) => xs.map((a) => a.id);

describe('front blocks (domain)', () => {
  test('a front never arranged: home shows one section block per section in navigation order, a section front none', () => {
    assert.deepEqual(defaultBlocks('home', [3, 1, 2]), [
      { kind: 'section', sectionId: 3, title: null, count: DEFAULT_BLOCK_COUNT },
      { kind: 'section', sectionId: 1, title: null, count: DEFAULT_BLOCK_COUNT },
      { kind: 'section', sectionId: 2, title: null, count: DEFAULT_BLOCK_COUNT },
    ]);
    assert.deepEqual(defaultBlocks('world', [1, 2]), []);
  });

  test('blocks fill in order and a story shows once per front (lead, top, earlier blocks)', () => {
    const world = newestFirst([1, 2, 3, 4, 5, 6, 7, 8].map((i) => story(i, 1)));
    const topic = newestFirst([8, 7, 3, 2].map((i) => story(i, 1)));
    const blocks: FrontBlock[] = [
      { kind: 'section', sectionId: 1, title: null, count: 3 },
      { kind: 'tag', tagId: 9, title: 'Elections', count: 3 },
    ];
    // Lead 8 and top 7 are shown above the blocks.
    const filled = fillBlocks(blocks, [8, 7], new Map(), (i) => (i === 0 ? world : topic));
    assert.deepEqual(ids(filled[0]!.articles), [6, 5, 4], 'the section block skips the lead and top');
    assert.deepEqual(ids(filled[1]!.articles), [3, 2], 'the topic block skips what the section block showed');
    assert.equal(filled[0]!.placed, 0);
  });

  test('a hand-picked block shows its visible placements in order; section blocks leave them to it', () => {
    const world = newestFirst([1, 2, 3, 4, 5].map((i) => story(i)));
    const visible = byId([story(5), story(2)]);
    const blocks: FrontBlock[] = [
      { kind: 'section', sectionId: 1, title: null, count: 2 },
      { kind: 'curated', title: 'Editor picks', items: [{ articleId: 2, expiresAt: null }, { articleId: 99, expiresAt: null }, { articleId: 5, expiresAt: null }] },
    ];
    const filled = fillBlocks(blocks, [], visible, () => world, new Set([5, 2]));
    assert.deepEqual(ids(filled[0]!.articles), [4, 3], 'placed stories are reserved for their block');
    assert.deepEqual(ids(filled[1]!.articles), [2, 5], 'an invisible placement (99) is skipped, the order kept');
    assert.equal(filled[1]!.placed, 2);
  });

  test('placements in hand-picked blocks are never taken by the automatic lead or top', () => {
    const candidates = newestFirst([1, 2, 3, 4].map((i) => story(i, 1, i === 4 || i === 2)));
    const filled = fillFront({ lead: null, top: [] }, new Map(), candidates, 2, new Set([4]));
    assert.equal(filled.lead?.id, 2, 'the newest pictured story not reserved leads');
    assert.deepEqual(ids(filled.top), [3, 1]);
  });

  test('a burst of 20 picture-less wire items does not take the automatic lead', () => {
    const pictured = story(10, 1, true);
    const wire = Array.from({ length: 20 }, (_, i) => story(100 + i));
    const filled = fillFront({ lead: null, top: [] }, new Map(), newestFirst([pictured, ...wire]));
    assert.equal(filled.lead?.id, 10);
    assert.equal(filled.leadPlaced, false);
  });

  test('expired placements stop showing, in the lead, the top and hand-picked blocks', () => {
    const a: FrontArrangement = {
      lead: { articleId: 1, expiresAt: NOW - 1 },
      top: [{ articleId: 2, expiresAt: NOW + 1 }, { articleId: 3, expiresAt: NOW }],
      blocks: [{ kind: 'curated', title: 'Picks', items: [{ articleId: 4, expiresAt: NOW - 5 }, { articleId: 5, expiresAt: null }] }],
    };
    const active = activeArrangement(a, NOW);
    assert.equal(active.lead, null);
    assert.deepEqual(active.top.map((p) => p.articleId), [2]);
    const block = active.blocks![0]!;
    assert.ok(block.kind === 'curated');
    assert.deepEqual(block.items.map((p) => p.articleId), [5]);
    assert.equal(activeArrangement({ ...a, blocks: null }, NOW).blocks, null, 'automatic blocks stay automatic');
  });

  test('problems read as an editor would write them', () => {
    const problems = inEnglish(
      {
        lead: { articleId: 1, expiresAt: null },
        top: [],
        blocks: [
          { kind: 'curated', title: '  ', items: [{ articleId: 1, expiresAt: null }, { articleId: 2, expiresAt: NOW - 1 }] },
          { kind: 'section', sectionId: 1, title: 'x'.repeat(121), count: 0 },
        ],
      },
      NOW,
    );
    assert.ok(problems.includes('Story 1 is placed twice; a story can take only one place on a front.'), problems.join('\n'));
    assert.ok(problems.includes('Hand-picked block 1 needs a title readers see above its stories.'));
    assert.ok(problems.some((p) => /^The placement of story 2 expires in the past/.test(p)));
    assert.ok(problems.includes('The title of block 2 can be at most 120 characters; it has 121.'));
    assert.ok(problems.some((p) => /shows 1 to 12 stories; 0 is not possible/.test(p)));
    const many = Array.from({ length: FRONT_MAX_BLOCKS + 1 }, (): FrontBlock => ({ kind: 'section', sectionId: 1, title: null, count: 1 }));
    assert.deepEqual(inEnglish({ lead: null, top: [], blocks: many }, NOW), [`A front holds at most 12 blocks; this one has 13.`]);
    assert.deepEqual(inEnglish({ lead: null, top: [], blocks: [{ kind: 'tag', tagId: 3, title: null, count: 12 }] }, NOW), []);
  });

  test('restoring leaves out what can no longer be placed, and says so', () => {
    const old: FrontArrangement = {
      lead: { articleId: 1, expiresAt: null },
      top: [{ articleId: 2, expiresAt: NOW - 60_000 }, { articleId: 3, expiresAt: null }],
      blocks: [
        { kind: 'curated', title: 'Picks', items: [{ articleId: 4, expiresAt: null }, { articleId: 5, expiresAt: NOW + 1 }] },
        { kind: 'section', sectionId: 8, title: null, count: 4 },
        { kind: 'tag', tagId: 9, title: null, count: 4 },
        { kind: 'section', sectionId: 1, title: null, count: 4 },
      ],
    };
    const stories: Record<number, { headline: string; status: string }> = {
      1: { headline: 'Killed one', status: 'killed' },
      2: { headline: 'Expired one', status: 'published' },
      3: { headline: 'Still fine', status: 'published' },
      5: { headline: 'Also fine', status: 'published' },
    };
    const { arrangement, leftOut } = restorableArrangement(old, NOW, { story: (id) => stories[id], sectionExists: (id) => id === 1, tagExists: () => false });
    assert.equal(arrangement.lead, null);
    assert.deepEqual(arrangement.top, [{ articleId: 3, expiresAt: null }]);
    assert.deepEqual(arrangement.blocks, [
      { kind: 'curated', title: 'Picks', items: [{ articleId: 5, expiresAt: NOW + 1 }] },
      { kind: 'section', sectionId: 1, title: null, count: 4 },
    ]);
    assert.deepEqual(leftOut, [
      'Story 4 was deleted and is left out.',
      'Block 2 showed section 8, which no longer exists; it is left out.',
      'Block 3 showed topic 9, which no longer exists; it is left out.',
      '"Killed one" was killed and is left out.',
      `"Expired one" was placed until ${new Date(NOW - 60_000).toISOString()}, which has passed; it is left out.`,
    ]);
    assert.deepEqual(restorableArrangement({ lead: null, top: [], blocks: null }, NOW, { story: () => undefined, sectionExists: () => false, tagExists: () => false }), {
      arrangement: { lead: null, top: [], blocks: null },
      leftOut: [],
    });
  });

  test('a block reaches past what earlier blocks can show', () => {
    const blocks: FrontBlock[] = [
      { kind: 'section', sectionId: 1, title: null, count: 4 },
      { kind: 'curated', title: 'P', items: [{ articleId: 1, expiresAt: null }, { articleId: 2, expiresAt: null }] },
      { kind: 'tag', tagId: 1, title: null, count: 3 },
    ];
    assert.equal(storiesBefore(blocks, 0), 0);
    assert.equal(storiesBefore(blocks, 2), 6);
  });
});

describe('front changes in words', () => {
  const names: FrontNames = { headline: (id) => `Story ${id}`, section: (id) => (id === 1 ? 'World' : 'Sport'), tag: () => 'Elections' };

  test('the first save, then lead, top, blocks and expiries', () => {
    const first: FrontArrangement = { lead: { articleId: 1, expiresAt: null }, top: [{ articleId: 2, expiresAt: null }, { articleId: 3, expiresAt: null }], blocks: null };
    assert.deepEqual(describeFrontChanges(null, first, names), [
      'Made "Story 1" the lead.',
      'Placed "Story 2" in the top stories at position 1.',
      'Placed "Story 3" in the top stories at position 2.',
    ]);
    const second: FrontArrangement = {
      lead: { articleId: 4, expiresAt: null },
      top: [{ articleId: 3, expiresAt: Date.UTC(2026, 10, 24, 18) }, { articleId: 2, expiresAt: null }],
      blocks: [
        { kind: 'section', sectionId: 2, title: null, count: 4 },
        { kind: 'curated', title: 'Picks', items: [{ articleId: 1, expiresAt: null }] },
      ],
    };
    assert.deepEqual(describeFrontChanges(first, second, names), [
      'Made "Story 4" the lead instead of "Story 1".',
      'Reordered the top stories.',
      '"Story 3" in the top stories now shows until 2026-11-24 18:00 UTC.',
      'Arranged the blocks by hand.',
      'Added the Sport section block.',
      'Added the hand-picked block "Picks".',
    ]);
    const third: FrontArrangement = {
      ...second,
      blocks: [
        { kind: 'curated', title: 'Picks', items: [{ articleId: 1, expiresAt: null }, { articleId: 5, expiresAt: null }] },
        { kind: 'section', sectionId: 2, title: 'Sport today', count: 6 },
        { kind: 'tag', tagId: 7, title: null, count: 4 },
      ],
    };
    assert.deepEqual(describeFrontChanges(second, third, names), [
      'Placed "Story 5" in the hand-picked block "Picks" at position 2.',
      'Renamed the Sport section block to "Sport today".',
      'The block "Sport today" (Sport section) shows 6 stories instead of 4.',
      'Added the topic Elections block.',
      'Reordered the blocks.',
    ]);
    assert.deepEqual(describeFrontChanges(third, { ...third, blocks: null }, names), ['Went back to automatic blocks.']);
    const fourth: FrontArrangement = {
      ...third,
      blocks: [
        { kind: 'curated', title: 'Our picks', items: [{ articleId: 5, expiresAt: null }] },
        { kind: 'section', sectionId: 2, title: null, count: 6 },
        { kind: 'tag', tagId: 7, title: null, count: 4 },
      ],
    };
    assert.deepEqual(describeFrontChanges(third, fourth, names), [
      'Renamed the hand-picked block "Picks" to "Our picks".',
      'Removed "Story 1" from the hand-picked block "Our picks".',
      'Renamed the block "Sport today" (Sport section) to "Sport".',
    ]);
    assert.deepEqual(describeFrontChanges(third, third, names), ['No change to the placements.']);
  });

  test('blocks arranged for the first time are compared with the automatic ones that showed', () => {
    const automatic: FrontBlock[] = [
      { kind: 'section', sectionId: 1, title: null, count: 4 },
      { kind: 'section', sectionId: 2, title: null, count: 4 },
    ];
    const before: FrontArrangement = { lead: null, top: [], blocks: null };
    const after: FrontArrangement = {
      lead: null,
      top: [],
      blocks: [{ kind: 'curated', title: 'Picks', items: [] }, { kind: 'section', sectionId: 1, title: 'Around', count: 4 }],
    };
    assert.deepEqual(describeFrontChanges(before, after, names, automatic), [
      'Arranged the blocks by hand.',
      'Added the hand-picked block "Picks".',
      'Renamed the World section block to "Around".',
      'Removed the Sport section block.',
    ]);
  });
});
