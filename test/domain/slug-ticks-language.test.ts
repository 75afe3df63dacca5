import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { canonicalLanguage, textDirection } from '../../src/domain/language.js';
import { slugify } from '../../src/domain/slug.js';
import { dateFromTicks, ticksFromDate } from '../../src/domain/ticks.js';

describe('slugify', () => {
  test('English headlines', () => {
    assert.equal(slugify('Groups of militants sent to battle in Qusayr:Sabra'), 'groups-of-militants-sent-to-battle-in-qusayr-sabra');
    assert.equal(slugify('Café owners’ “big” day — 2026!'), 'cafe-owners-big-day-2026');
  });

  test('Arabic headlines give Arabic slugs without diacritics or tatweel', () => {
    assert.equal(slugify('الجيشُ السوري يسيطر على القصير'), 'الجيش-السوري-يسيطر-على-القصير');
    assert.equal(slugify('مـــرحبا بالعالم'), 'مرحبا-بالعالم');
  });

  test('Persian keeps its letters', () => {
    assert.equal(slugify('گزارش ویژه از تهران'), 'گزارش-ویژه-از-تهران');
  });

  test('long headlines are cut at a word boundary, empty ones get a fallback', () => {
    const slug = slugify('word '.repeat(60));
    assert.ok(slug.length <= 80);
    assert.ok(!slug.endsWith('-'));
    assert.equal(slugify('!!!'), 'article');
  });
});

describe('.NET ticks', () => {
  test('the reference media name decodes to its upload time', () => {
    assert.equal(dateFromTicks(635056300967158844n).toISOString(), '2013-05-31T20:48:16.715Z');
    assert.equal(ticksFromDate(new Date('2013-05-31T20:48:16.715Z')), 635056300967150000n);
    assert.equal(ticksFromDate(new Date(0)), 621355968000000000n);
  });
});

describe('language', () => {
  test('direction from the tag, script subtag first', () => {
    assert.equal(textDirection('ar'), 'rtl');
    assert.equal(textDirection('fa-IR'), 'rtl');
    assert.equal(textDirection('en-GB'), 'ltr');
    assert.equal(textDirection('az-Arab'), 'rtl');
    assert.equal(textDirection('ku-Latn'), 'ltr');
  });

  test('canonical BCP 47 tags', () => {
    assert.equal(canonicalLanguage('EN-gb'), 'en-GB');
    assert.equal(canonicalLanguage('not a tag'), null);
  });
});
