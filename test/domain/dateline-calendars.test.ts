import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { parseDatelineStyles } from '../../src/config/dateline-styles.js';
import {
  DATELINE_CALENDARS,
  DATELINE_DIGITS,
  DatelineFormatter,
  defaultDatelineStyle,
  localizeDigits,
  type DatelineCalendar,
  type DatelineDigits,
} from '../../src/domain/dateline.js';
import { SiteContext } from '../../src/site/site-context.js';

const site = (styles = {}) =>
  new SiteContext({ siteName: 'T', baseUrl: 'http://t', timeZone: 'Asia/Tehran', datelineFormat: 'ddd MMM D, YYYY HH:mm:ss', languages: ['en', 'ar', 'fa'], datelineStyles: styles }, '/s.css');

describe('datelines in every language', () => {
  const nov23 = Date.parse('2026-11-23T09:00:00Z');

  test('the judged example: 2026-11-23 09:00 UTC in Asia/Tehran in each language', () => {
    const s = site();
    assert.equal(s.formatter('en').format(nov23), 'Mon Nov 23, 2026 12:30:00');
    // Solar Hijri in Persian digits: 2 Azar 1405 (not "آبان 23, 2026").
    assert.equal(s.formatter('fa').format(nov23), 'دوشنبه ۲ آذر ۱۴۰۵، ۱۲:۳۰');
    assert.equal(s.formatter('ar').format(nov23), 'الاثنين 23 نوفمبر 2026 12:30');
    // <time datetime> stays ISO Gregorian in every language.
    assert.equal(s.formatter('fa').iso(nov23), '2026-11-23T12:30:00+03:30');
  });

  test('English still reproduces the reference page', () => {
    assert.equal(site().formatter('en').format(Date.parse('2013-06-01T06:38:45Z')), 'Sat Jun 1, 2013 11:08:45');
  });

  test('Arabic options: Hijri (Umm al-Qura) calendar and Arabic-Indic digits', () => {
    const s = site({ ar: { calendar: 'islamic-umalqura', digits: 'arabic' } });
    assert.equal(s.formatter('ar').format(nov23), 'الاثنين ١٣ جمادى الآخرة ١٤٤٨ ١٢:٣٠');
  });

  test('Persian with a Gregorian calendar prints Gregorian months, not Persian ones', () => {
    const s = site({ fa: { calendar: 'gregory', digits: 'latin', pattern: 'D MMMM YYYY' } });
    assert.equal(s.formatter('fa').format(nov23), '23 نوامبر 2026');
  });

  test('year boundaries: Nowruz, the Hijri new year, 1 January in the zone', () => {
    const fa = new DatelineFormatter('Asia/Tehran', 'D MMMM YYYY HH:mm:ss', 'fa', 'persian', 'latin');
    assert.equal(fa.format(Date.parse('2026-03-20T20:29:59Z')), '29 اسفند 1404 23:59:59');
    assert.equal(fa.format(Date.parse('2026-03-20T20:30:00Z')), '1 فروردین 1405 00:00:00');
    const hijri = new DatelineFormatter('Asia/Tehran', 'D M YYYY', 'ar', 'islamic-umalqura', 'latin');
    assert.equal(hijri.format(Date.parse('2026-06-15T12:00:00Z')), '29 12 1447');
    assert.equal(hijri.format(Date.parse('2026-06-16T12:00:00Z')), '1 1 1448');
    const en = new DatelineFormatter('Asia/Tehran');
    assert.equal(en.format(Date.parse('2025-12-31T20:29:59Z')), 'Wed Dec 31, 2025 23:59:59');
    assert.equal(en.format(Date.parse('2025-12-31T20:30:00Z')), 'Thu Jan 1, 2026 00:00:00');
  });

  test('daylight saving changes move the local day with the clock', () => {
    // London springs forward at 01:00 UTC on 29 March 2026.
    const london = new DatelineFormatter('Europe/London', 'YYYY-MM-DD HH:mm:ss Z', 'fa', 'persian', 'persian');
    assert.equal(london.format(Date.parse('2026-03-29T00:59:59Z')), '۱۴۰۵-۰۱-۰۹ ۰۰:۵۹:۵۹ +۰۰:۰۰');
    assert.equal(london.format(Date.parse('2026-03-29T01:00:00Z')), '۱۴۰۵-۰۱-۰۹ ۰۲:۰۰:۰۰ +۰۱:۰۰');
    // Tehran kept summer time until 2022: the reference instant is +04:30, 11 Khordad 1392.
    const tehran = new DatelineFormatter('Asia/Tehran', 'dddd D MMMM YYYY HH:mm:ss', 'fa', 'persian', 'persian');
    assert.equal(tehran.format(Date.parse('2013-06-01T06:38:45Z')), 'شنبه ۱۱ خرداد ۱۳۹۲ ۱۱:۰۸:۴۵');
    // New York falls back at 06:00 UTC on 1 November 2026: 01:30 happens twice.
    const ny = new DatelineFormatter('America/New_York', 'D MMMM YYYY HH:mm Z', 'ar', 'islamic-umalqura', 'arabic');
    assert.equal(ny.format(Date.parse('2026-11-01T05:30:00Z')), '٢١ جمادى الأولى ١٤٤٨ ٠١:٣٠ -٠٤:٠٠');
    assert.equal(ny.format(Date.parse('2026-11-01T06:30:00Z')), '٢١ جمادى الأولى ١٤٤٨ ٠١:٣٠ -٠٥:٠٠');
  });

  test('day, month and year always agree with Intl in the same calendar (any instant, zone, calendar, digits)', () => {
    const zones = ['UTC', 'Asia/Tehran', 'Europe/London', 'America/New_York', 'Pacific/Kiritimati', 'Pacific/Pago_Pago'];
    const nu: Record<DatelineDigits, string> = { latin: 'latn', arabic: 'arab', persian: 'arabext' };
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('1990-01-01'), max: Date.parse('2060-01-01') }),
        fc.constantFrom(...zones),
        fc.constantFrom(...DATELINE_CALENDARS),
        fc.constantFrom(...DATELINE_DIGITS),
        fc.constantFrom('en', 'ar', 'fa'),
        (at, zone, calendar: DatelineCalendar, digits: DatelineDigits, lang) => {
          const f = new DatelineFormatter(zone, 'YYYY|M|D|MMMM|HH|mm', lang, calendar, digits);
          const parts = new Intl.DateTimeFormat(`${lang}-u-ca-${calendar}-nu-${nu[digits]}`, {
            timeZone: zone, year: 'numeric', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
          }).formatToParts(at);
          const get = (type: string) => parts.find((p) => p.type === type)!.value;
          const monthName = new Intl.DateTimeFormat(`${lang}-u-ca-${calendar}`, { timeZone: zone, month: 'long' }).format(at);
          const [y, m, d, name, hh, mm] = f.format(at).split('|');
          assert.equal(y, get('year'));
          assert.equal(m, get('month'));
          assert.equal(d, get('day'));
          assert.equal(name, monthName);
          assert.equal(`${hh}:${mm}`, `${get('hour')}:${get('minute')}`);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('digits: Latin, Arabic-Indic and Persian', () => {
    assert.equal(localizeDigits('2026-11-23', 'latin'), '2026-11-23');
    assert.equal(localizeDigits('2026-11-23', 'arabic'), '٢٠٢٦-١١-٢٣');
    assert.equal(localizeDigits('2026-11-23', 'persian'), '۲۰۲۶-۱۱-۲۳');
  });

  test('defaults a reader expects, and DATELINE_STYLES overrides them with readable errors', () => {
    assert.deepEqual(defaultDatelineStyle('fa'), { calendar: 'persian', digits: 'persian', pattern: 'dddd D MMMM YYYY[،] HH:mm' });
    assert.equal(defaultDatelineStyle('en-GB', 'YYYY').pattern, 'YYYY');
    assert.deepEqual(parseDatelineStyles('{"ar":{"calendar":"islamic-umalqura","digits":"arabic"}}'), { ar: { calendar: 'islamic-umalqura', digits: 'arabic' } });
    assert.throws(() => parseDatelineStyles('{"fa":{"calendar":"julian"}}'), /fa\.calendar must be one of gregory, persian/);
    assert.throws(() => parseDatelineStyles('{"fa":{"digits":"roman"}}'), /fa\.digits must be one of latin, arabic, persian/);
    assert.throws(() => parseDatelineStyles('{"fa":{"pattern":"Q"}}'), /fa\.pattern is not a valid dateline pattern/);
    assert.throws(() => parseDatelineStyles('nope'), /must be JSON/);
  });
});
