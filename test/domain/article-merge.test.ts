import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { ArticleContent } from '../../src/domain/admin-article.js';
import { hasConflicts, mergeArticle, resolveMerge } from '../../src/domain/article-merge.js';
import { blockKey, joinBlocks, splitBlocks, trimTrailingEmptyParagraphs } from '../../src/domain/body-blocks.js';
import { mergeSequences } from '../../src/domain/three-way-merge.js';

const base: ArticleContent = {
  headline: 'Floods hit the delta',
  dek: 'Water rose overnight',
  bodyHtml: '<p>One.</p><p>Two.</p><ul><li>Alpha</li><li>Beta</li></ul><p>Three.</p>',
  sectionId: 1,
  contentTypeId: 21,
  language: 'en',
  byline: 'Ana',
  source: '',
  place: 'Basra',
  leadMediaId: null,
  tags: [{ kind: 'topic', name: 'Floods' }],
  related: [
    { id: 10, pinned: true },
    { id: 11, pinned: false },
  ],
};

describe('body blocks', () => {
  test('paragraphs and list items are blocks; joining gives the HTML back', () => {
    const blocks = splitBlocks(base.bodyHtml);
    assert.deepEqual(blocks, [
      { list: null, html: '<p>One.</p>' },
      { list: null, html: '<p>Two.</p>' },
      { list: 'ul', html: '<li>Alpha</li>' },
      { list: 'ul', html: '<li>Beta</li>' },
      { list: null, html: '<p>Three.</p>' },
    ]);
    assert.equal(joinBlocks(blocks), base.bodyHtml);
    assert.deepEqual(splitBlocks('<p>a <em>b</em></p><figure><img src="/x.jpg" alt="a > b"><figcaption>c</figcaption></figure>').length, 2);
  });

  test('the same paragraph compares equal whatever the attribute order', () => {
    const [a, b] = ['<p>See <a href="https://x.org/" rel="noopener">x</a>.</p>', '<p>See <a rel="noopener" href="https://x.org/">x</a>.</p>'].map((html) => blockKey({ list: null, html }));
    assert.equal(a, b);
    const base2 = { ...base, bodyHtml: '<p>See <a href="https://x.org/" rel="noopener">x</a>.</p><p>Two.</p>' };
    const mine = { ...base, bodyHtml: '<p>See <a rel="noopener" href="https://x.org/">x</a>.</p><p>Two, mine.</p>' };
    const theirs = { ...base, bodyHtml: '<p>See <a href="https://x.org/" rel="noopener">x</a>.</p><p>Two.</p><p>Three, theirs.</p>' };
    const m = mergeArticle(base2, theirs, mine);
    assert.equal(hasConflicts(m), false);
    assert.equal(m.merged.bodyHtml, '<p>See <a href="https://x.org/" rel="noopener">x</a>.</p><p>Two, mine.</p><p>Three, theirs.</p>');
  });

  test('an empty trailing paragraph is dropped, one in the middle is kept', () => {
    assert.equal(trimTrailingEmptyParagraphs('<p>Text.</p><p></p>'), '<p>Text.</p>');
    assert.equal(trimTrailingEmptyParagraphs('<p>Text.</p><p><br></p><p> </p>'), '<p>Text.</p>');
    assert.equal(trimTrailingEmptyParagraphs('<p>A</p><p></p><p>B</p>'), '<p>A</p><p></p><p>B</p>');
  });
});

describe('three-way article merge', () => {
  test('the two-tab case: their dek and my headline both survive, no conflict', () => {
    const theirs = { ...base, dek: 'A new dek from tab A' };
    const mine = { ...base, headline: 'A new headline from tab B' };
    const m = mergeArticle(base, theirs, mine);
    assert.equal(hasConflicts(m), false);
    assert.equal(m.merged.dek, 'A new dek from tab A');
    assert.equal(m.merged.headline, 'A new headline from tab B');
    assert.deepEqual(m.fromTheirs, ['dek']);
    assert.deepEqual(m.fromMine, ['headline']);
  });

  test('one field changed differently on both sides is a conflict the editor resolves', () => {
    const m = mergeArticle(base, { ...base, headline: 'Theirs' }, { ...base, headline: 'Mine' });
    assert.deepEqual(m.conflicts, [{ field: 'headline', base: base.headline, theirs: 'Theirs', mine: 'Mine' }]);
    assert.equal(resolveMerge(m, { fields: { headline: 'mine' } }, { ...base, headline: 'Theirs' }).headline, 'Mine');
    assert.equal(resolveMerge(m, { fields: { headline: 'theirs' } }, { ...base, headline: 'Theirs' }).headline, 'Theirs');
    // The same change on both sides is no conflict.
    assert.equal(hasConflicts(mergeArticle(base, { ...base, headline: 'Same' }, { ...base, headline: 'Same' })), false);
  });

  test('edits to neighbouring paragraphs and list items both survive; the same paragraph conflicts', () => {
    const theirs = { ...base, bodyHtml: '<p>One!</p><p>Two.</p><ul><li>Alpha</li><li>Beta!</li></ul><p>Three.</p>' };
    const mine = { ...base, bodyHtml: '<p>One.</p><p>Two!</p><ul><li>Alpha!</li><li>Beta</li></ul><p>Three.</p><p>Four.</p>' };
    const m = mergeArticle(base, theirs, mine);
    assert.equal(hasConflicts(m), false);
    assert.equal(m.merged.bodyHtml, '<p>One!</p><p>Two!</p><ul><li>Alpha!</li><li>Beta!</li></ul><p>Three.</p><p>Four.</p>');

    const clash = mergeArticle(base, { ...base, bodyHtml: base.bodyHtml.replace('Two.', 'Two (theirs).') }, { ...base, bodyHtml: base.bodyHtml.replace('Two.', 'Two (mine).') });
    assert.equal(clash.conflicts.length, 0);
    assert.deepEqual(clash.body.filter((c) => 'conflict' in c), [{ conflict: { base: '<p>Two.</p>', theirs: '<p>Two (theirs).</p>', mine: '<p>Two (mine).</p>' } }]);
    const both = resolveMerge(clash, { body: ['both'] }, base);
    assert.match(both.bodyHtml, /Two \(theirs\)\.<\/p><p>Two \(mine\)\./);
    assert.match(resolveMerge(clash, { body: ['mine'] }, base).bodyHtml, /^<p>One\.<\/p><p>Two \(mine\)\.<\/p><ul>/);
  });

  test('related: engine-scored items never conflict; pins and their order do', () => {
    const rescored = { ...base, related: [{ id: 10, pinned: true }, { id: 12, pinned: false }] };
    const mine = { ...base, related: [{ id: 10, pinned: true }, { id: 13, pinned: false }], dek: 'mine' };
    const m = mergeArticle(base, rescored, mine);
    assert.equal(hasConflicts(m), false);
    assert.deepEqual(m.merged.related, [{ id: 10, pinned: true }, { id: 12, pinned: false }]);

    const pinMine = { ...base, related: [{ id: 10, pinned: true }, { id: 20, pinned: true }, { id: 11, pinned: false }] };
    const added = mergeArticle(base, rescored, pinMine);
    assert.deepEqual(added.merged.related, [{ id: 10, pinned: true }, { id: 20, pinned: true }, { id: 12, pinned: false }]);
    const reordered = mergeArticle(
      { ...base, related: [{ id: 1, pinned: true }, { id: 2, pinned: true }] },
      { ...base, related: [{ id: 2, pinned: true }, { id: 1, pinned: true }] },
      { ...base, related: [{ id: 1, pinned: true }, { id: 2, pinned: true }, { id: 3, pinned: true }] },
    );
    assert.deepEqual(reordered.conflicts.map((c) => c.field), ['pins']);
  });

  test('tags compare as a set', () => {
    const two = [{ kind: 'topic' as const, name: 'Floods' }, { kind: 'place' as const, name: 'Basra' }];
    const m = mergeArticle({ ...base, tags: two }, { ...base, tags: [...two].reverse() }, { ...base, tags: two, dek: 'x' });
    assert.equal(hasConflicts(m), false);
  });
});

// ——— properties ———

const SCALAR_FIELDS = ['headline', 'dek', 'byline', 'source', 'place'] as const;
const word = fc.stringMatching(/^[a-z]{1,8}$/);
const paragraph = fc.array(word, { minLength: 1, maxLength: 5 }).map((w) => w.join(' '));
/** A body of distinct paragraphs and list items (distinct, as real paragraphs almost always are). */
const bodyBlocks = fc
  .uniqueArray(paragraph, { minLength: 1, maxLength: 12 })
  .chain((texts) => fc.tuple(fc.constant(texts), fc.array(fc.boolean(), { minLength: texts.length, maxLength: texts.length })))
  .map(([texts, inList]) => texts.map((t, i) => ({ list: inList[i] ? ('ul' as const) : null, html: inList[i] ? `<li>${t}</li>` : `<p>${t}</p>` })));

type BlockEdit = { kind: 'replace'; text: string } | { kind: 'delete' } | { kind: 'insertAfter'; text: string };
const blockEdit: fc.Arbitrary<BlockEdit> = fc.oneof(
  paragraph.map((text) => ({ kind: 'replace' as const, text: `${text} edited` })),
  fc.constant({ kind: 'delete' as const }),
  paragraph.map((text) => ({ kind: 'insertAfter' as const, text: `${text} inserted` })),
);

function applyEdits(blocks: { list: 'ul' | null; html: string }[], edits: Map<number, BlockEdit>, tag: string) {
  const out: { list: 'ul' | null; html: string }[] = [];
  blocks.forEach((b, i) => {
    const e = edits.get(i);
    if (!e) return out.push(b);
    if (e.kind === 'delete') return;
    const wrap = (text: string) => (b.list ? `<li>${text} ${tag}</li>` : `<p>${text} ${tag}</p>`);
    if (e.kind === 'replace') out.push({ list: b.list, html: wrap(e.text) });
    else out.push(b, { list: b.list, html: wrap(e.text) });
  });
  return out;
}

describe('merge properties (fast-check)', () => {
  test('edits to different fields both end up in the merge, with no conflict', () => {
    fc.assert(
      fc.property(
        fc.subarray([...SCALAR_FIELDS], { minLength: 2 }).chain((fields) => fc.tuple(fc.shuffledSubarray(fields, { minLength: 1, maxLength: fields.length - 1 }), fc.constant(fields))),
        fc.string({ minLength: 1, maxLength: 20 }),
        fc.string({ minLength: 1, maxLength: 20 }),
        ([theirFields, fields], tv, mv) => {
          const myFields = fields.filter((f) => !theirFields.includes(f));
          const theirs = { ...base };
          const mine = { ...base };
          for (const f of theirFields) theirs[f] = `${base[f]}|t:${tv}`;
          for (const f of myFields) mine[f] = `${base[f]}|m:${mv}`;
          const m = mergeArticle(base, theirs, mine);
          assert.equal(hasConflicts(m), false);
          for (const f of theirFields) assert.equal(m.merged[f], theirs[f]);
          for (const f of myFields) assert.equal(m.merged[f], mine[f]);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('edits to different body blocks both end up in the merge, in order, with no conflict', () => {
    fc.assert(
      fc.property(
        bodyBlocks.chain((blocks) =>
          fc.tuple(
            fc.constant(blocks),
            fc.uniqueArray(fc.nat(blocks.length - 1), { minLength: 0, maxLength: blocks.length }),
            fc.array(blockEdit, { minLength: blocks.length, maxLength: blocks.length }),
            fc.array(fc.boolean(), { minLength: blocks.length, maxLength: blocks.length }),
          ),
        ),
        ([blocks, touched, edits, side]) => {
          const theirEdits = new Map<number, BlockEdit>();
          const myEdits = new Map<number, BlockEdit>();
          for (const i of touched) (side[i] ? theirEdits : myEdits).set(i, edits[i]!);
          const theirs = applyEdits(blocks, theirEdits, 'T');
          const mine = applyEdits(blocks, myEdits, 'M');
          const m = mergeArticle({ ...base, bodyHtml: joinBlocks(blocks) }, { ...base, bodyHtml: joinBlocks(theirs) }, { ...base, bodyHtml: joinBlocks(mine) });
          assert.equal(hasConflicts(m), false, `conflict for ${JSON.stringify({ blocks, theirEdits: [...theirEdits], myEdits: [...myEdits] })}`);
          const all = new Map([...theirEdits, ...myEdits]);
          // Every block of the merge is the block each side left there: build the expectation per base block.
          const want: string[] = [];
          blocks.forEach((b, i) => {
            const e = all.get(i);
            const tag = theirEdits.has(i) ? 'T' : 'M';
            const wrap = (text: string) => (b.list ? `<li>${text} ${tag}</li>` : `<p>${text} ${tag}</p>`);
            if (!e) want.push(b.html);
            else if (e.kind === 'replace') want.push(wrap(e.text));
            else if (e.kind === 'insertAfter') want.push(b.html, wrap(e.text));
          });
          assert.deepEqual(splitBlocks(m.merged.bodyHtml).map((b) => b.html), want);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('a merge never drops text: every block of either side is in the merge or in a conflict', () => {
    fc.assert(
      fc.property(bodyBlocks, bodyBlocks, bodyBlocks, (b, t, m) => {
        const key = (x: { html: string }) => x.html;
        const chunks = mergeSequences(b, t, m, key);
        const seen = new Set<string>();
        for (const c of chunks) for (const x of 'ok' in c ? c.ok : [...c.conflict.theirs, ...c.conflict.mine]) seen.add(x.html);
        const baseKeys = new Set(b.map(key));
        // Anything a side added (not in base) must survive somewhere.
        for (const x of [...t, ...m]) if (!baseKeys.has(x.html)) assert.ok(seen.has(x.html), `lost ${x.html}`);
        // Unchanged on one side means the other side wins outright.
        assert.deepEqual(mergeSequences(b, b, m, key).flatMap((c) => ('ok' in c ? c.ok : [])).map(key), m.map(key));
        assert.deepEqual(mergeSequences(b, t, b, key).flatMap((c) => ('ok' in c ? c.ok : [])).map(key), t.map(key));
      }),
      { numRuns: 300 },
    );
  });
});
