import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseTermCounts } from '../../src/db/repositories/row-mappers.js';

/** What JSON.parse makes of a text: its value, or that it throws. */
function viaJson(text: string): { value: unknown } | { throws: true } {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return { throws: true };
  }
}

function viaParser(text: string): { value: unknown } | { throws: true } {
  try {
    return { value: parseTermCounts(text) };
  } catch {
    return { throws: true };
  }
}

const term = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.constantFrom('gaza', 'غزة', 'تهران', 'a"b', 'a\\b', 'x\ny', ''));
const count = fc.oneof(fc.nat(), fc.constantFrom(0, 1, 9, 10, 2 ** 53 - 1, 1e15, 1.5, -1, 1e21));

describe('parseTermCounts (stored term counts read back)', () => {
  it('reads what JSON.stringify wrote, as JSON.parse does', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(term, count), { maxLength: 90 }), (pairs) => {
        const text = JSON.stringify(pairs);
        assert.deepEqual(parseTermCounts(text), JSON.parse(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with JSON.parse on damaged and hand-written texts: the same value or the same refusal', () => {
    const written = fc.array(fc.tuple(term, count), { minLength: 1, maxLength: 6 }).map((p) => JSON.stringify(p));
    const damaged = fc.tuple(written, fc.nat(), fc.constantFrom('', ' ', ',', ']', '[', '"', '0', '-', '.', 'e', '\\')).map(([text, at, put]) => {
      const i = at % (text.length + 1);
      return text.slice(0, i) + put + text.slice(i + (put ? 0 : 1));
    });
    const handWritten = fc.constantFrom('[]', '[ ]', '[["a",1],]', '[["a",1]]]', '[["a",01]]', '[["a",1] ]', '[["a", 1]]', '[["a",1e2]]', '[["a",-0]]', '[["a",1],["b",2]]', '[[]]', '[["a"]]', '["a",1]', '[["a",1]', '');
    fc.assert(
      fc.property(fc.oneof(damaged, handWritten), (text) => {
        assert.deepEqual(viaParser(text), viaJson(text), text);
      }),
      { numRuns: 5000 },
    );
  });
});
