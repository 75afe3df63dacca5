import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatLsn, parseLsn } from '../../src/db/replica-set.js';

describe('WAL positions', () => {
  test('compare as numbers and print as PostgreSQL writes them', () => {
    assert.ok(parseLsn('16/B374D848') > parseLsn('16/B374D847'));
    assert.ok(parseLsn('17/0') > parseLsn('16/FFFFFFFF'));
    assert.equal(formatLsn(parseLsn('16/B374D848')), '16/B374D848');
    assert.throws(() => parseLsn('16-B374'), /not a WAL position/);
  });
});
