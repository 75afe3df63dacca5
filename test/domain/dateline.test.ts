import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DatelineFormatter, DEFAULT_DATELINE_FORMAT, parseDatelineFormat } from '../../src/domain/dateline.js';

describe('dateline', () => {
  const instant = Date.parse('2013-06-01T06:38:45Z');

  test('the default format reproduces the reference page in the site zone', () => {
    const f = new DatelineFormatter('Asia/Tehran');
    assert.equal(f.format(instant), 'Sat Jun 1, 2013 11:08:45');
    assert.equal(f.iso(instant), '2013-06-01T11:08:45+04:30');
    assert.equal(DEFAULT_DATELINE_FORMAT, 'ddd MMM D, YYYY HH:mm:ss');
  });

  test('follows daylight saving time of the zone', () => {
    const f = new DatelineFormatter('America/New_York', 'YYYY-MM-DD HH:mm Z');
    assert.equal(f.format(Date.parse('2026-01-15T12:00:00Z')), '2026-01-15 07:00 -05:00');
    assert.equal(f.format(Date.parse('2026-07-15T12:00:00Z')), '2026-07-15 08:00 -04:00');
    assert.equal(f.iso(Date.parse('2026-07-15T12:00:00Z')), '2026-07-15T08:00:00-04:00');
  });

  test('long names, 12-hour clock and bracketed literals', () => {
    const f = new DatelineFormatter('UTC', 'dddd D MMMM YYYY [at] h:mm A');
    assert.equal(f.format(instant), 'Saturday 1 June 2013 at 6:38 AM');
  });

  test('names in the article language', () => {
    const f = new DatelineFormatter('UTC', 'dddd D MMMM YYYY', 'ar-u-nu-latn');
    assert.match(f.format(instant), /^السبت 1 يونيو 2013$/);
  });

  test('rejects unknown tokens and formats without a token', () => {
    assert.throws(() => parseDatelineFormat('YYYY-QQ'), /unknown token "Q"/);
    assert.throws(() => parseDatelineFormat('[today]'), /no date or time token/);
    assert.throws(() => parseDatelineFormat('YYYY [oops'), /unclosed/);
  });
});
