import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tsvectorLiteral } from '../../src/db/repositories/search/postgres.js';

test('the tsvector literal: weights by field, positions in order with a gap between fields, cleaned terms, at most 256 positions a term', () => {
  assert.equal(
    tsvectorLiteral({ headline: ['flood', 'warn'], tags: ['weather'], dek: ["o'neil"], byline: [], body: ['flood', '', 'river', 'flood'] }),
    "'flood':1A,9D,11D 'warn':2A 'weather':4B 'oneil':6C 'river':10D",
  );
  const many = tsvectorLiteral({ headline: [], tags: [], dek: [], byline: [], body: Array.from({ length: 300 }, () => 'the') });
  assert.equal(many.split(',').length, 256);
  // Terms that clean to the same lexeme share its positions, in order; empty and over-long ones take none.
  assert.equal(tsvectorLiteral({ headline: ['flo-od', '—', 'x'.repeat(201), 'flood'], tags: [], dek: [], byline: [], body: ['نهر'] }), "'flood':1A,2A 'نهر':7D");
});
