import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { adminTsxFiles, hardCodedStrings } from './ui-strings.js';

/**
 * No hard-coded interface text in the newsroom app: JSX text, user-facing attributes and literals
 * put into JSX must come from the catalogs (`t('…')`). Screens not yet moved are listed here and
 * must shrink: a listed file that has become clean fails too, so the list stays true.
 */
const NOT_YET_MOVED = new Set<string>([]);

describe('admin interface strings', () => {
  const files = adminTsxFiles();

  it('moved screens and components have no hard-coded interface text', () => {
    const found = files.filter((f) => !NOT_YET_MOVED.has(f)).flatMap((f) => hardCodedStrings(f));
    assert.deepEqual(found.map((h) => `${h.file}:${h.line} ${h.text}`), []);
  });

  it('every screen still on the not-yet-moved list still has text to move (the list only shrinks)', () => {
    for (const file of NOT_YET_MOVED) {
      assert.ok(files.includes(file), `${file} no longer exists: take it off the list`);
      assert.ok(hardCodedStrings(file).length > 0, `${file} is clean now: take it off the list`);
    }
  });

  it('the scan finds text, attributes and literals in JSX, and leaves t() calls and code alone', () => {
    const source = `export const A = () => (
      <div title="Tooltip here" class="not-text">
        Hello there
        <input placeholder={'Type a name'} aria-label={t('ok.key')} />
        {busy ? 'Saving…' : t('x.saved')}
        {t('y.z')} · 12
        <code>/admin/setup?token=…</code>
        <b>{cond && \`Only \${n} left\`}</b>
      </div>
    );`;
    assert.deepEqual(
      hardCodedStrings('x.tsx', source).map((h) => h.text),
      ['Tooltip here', 'Hello there', 'Type a name', 'Saving…', 'Only left'],
    );
  });
});
