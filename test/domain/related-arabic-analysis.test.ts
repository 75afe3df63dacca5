import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BoilerplateCounter, lineKey, stripBoilerplate } from '../../src/domain/boilerplate.js';
import { extractEntities } from '../../src/domain/entity-extraction.js';
import { sameLanguageFirst } from '../../src/domain/related-scoring.js';
import { analyze, isContentTerm } from '../../src/domain/text-analysis.js';

const term = (w: string) => analyze(w).join(' ');

describe('Arabic clitics and function words', () => {
  test('a preposition or conjunction on a word comes off: بتونس, لتونس, التونسي and تونس meet', () => {
    for (const w of ['بتونس', 'لتونس', 'وتونس', 'التونسي']) assert.equal(term(w), term('تونس'), w);
    assert.equal(term('بسوسة'), term('سوسة'));
    assert.equal(term('ورئيس'), term('رئيس'));
    assert.equal(term('لوزارة'), term('الوزارة'));
    assert.equal(term('بولاية'), term('ولاية'));
    assert.equal(term('والولاية'), term('ولاية'));
    assert.equal(term('وبالتالي'), term('التالي'));
    assert.equal(term('للبرنامج'), term('برنامج'));
  });

  test('conservative: four-letter words and common words beginning with those letters keep their letters', () => {
    assert.equal(term('وزير'), 'وزير'); // not زير
    assert.notEqual(term('وزارة'), term('زار')); // "ministry" is not "visited"
    assert.equal(term('لبنان'), 'لبنان'); // not بنان
    assert.equal(term('لاعب'), 'لاعب');
    assert.equal(term('بالبحرين'), 'بحرين');
    assert.equal(term('فرنسا'), 'فرنسا');
    assert.equal(term('كتاب'), 'كتاب');
    assert.ok(term('بحث').length >= 3);
  });

  test('reporting verbs, days and months carry no subject', () => {
    for (const w of ['وأضاف', 'وأكد', 'أوضح', 'اليوم', 'الخميس', 'نوفمبر', 'جانفي', 'وقال', 'خلال']) {
      assert.ok(!analyze(w).some(isContentTerm), `${w} → ${term(w)}`);
    }
    // الجمعة (Friday) is not dropped: its stem is that of جمعية (association).
    for (const w of ['الإرهاب', 'الانتخابات', 'بتونس', 'جمعية']) assert.ok(analyze(w).some(isContentTerm), w);
  });
});

describe('boilerplate lines', () => {
  const promo = 'موعد يومي مع أبرز الأحداث والمستجدات على الساحة الوطنية تؤمنه لكم الإذاعة';
  test('a line repeated in enough stories is found (spelling variants of it too) and dropped; story lines stay', () => {
    const counter = new BoilerplateCounter();
    for (let i = 0; i < 100; i++) {
      const own = `خبر رقم ${i} عن موضوع ${i % 7}`;
      counter.add(i % 10 === 0 ? `${own}\n${promo}` : i % 10 === 1 ? `${own}\n  «${promo.replace('الأحداث', 'الاحداث')}»` : own);
    }
    const found = new Set(counter.boilerplate());
    assert.equal(found.size, 1);
    assert.ok(found.has(lineKey(promo)!));
    assert.equal(stripBoilerplate(`الحكومة تعلن\n${promo}\nتفاصيل`, found), 'الحكومة تعلن\nتفاصيل');
  });

  test('a line in too few stories is not boilerplate (a quote two stories share stays)', () => {
    const counter = new BoilerplateCounter();
    for (let i = 0; i < 100; i++) counter.add(i < 4 ? `قصة ${i}\n${promo}` : `قصة ${i}`);
    assert.deepEqual(counter.boilerplate(), []);
  });

  test('bounded memory: a frequent line is found among many unique ones with few counters', () => {
    const counter = new BoilerplateCounter(200);
    for (let i = 0; i < 5000; i++) counter.add(`unique line ${i}\nanother unique ${i * 7}${i % 4 === 0 ? '\nSubscribe to our newsletter for more' : ''}`);
    assert.deepEqual(counter.boilerplate(), [lineKey('Subscribe to our newsletter for more')]);
  });
});

describe('never shared: the site, the publisher, the agency', () => {
  const body = 'Reuters reported that Dateline News and the Central Bank met Prime Minister Lina Haddad in Vienna.';
  test('house names and names within them are not entities; others stay', () => {
    const all = extractEntities({ headline: 'Talks in Vienna', body }).map((e) => e.name);
    assert.ok(all.includes('Dateline News') || all.includes('Dateline'));
    const kept = extractEntities({ headline: 'Talks in Vienna', body, houseNames: ['Dateline News', 'Reuters'] }).map((e) => e.name);
    assert.ok(!kept.some((n) => /Dateline|Reuters/.test(n)), kept.join(', '));
    assert.ok(kept.includes('Central Bank') && kept.includes('Vienna'), kept.join(', '));
  });
});

describe('same language first', () => {
  const items = [
    { id: 1, language: 'en' },
    { id: 2, language: 'ar' },
    { id: 3, language: 'en' },
    { id: 4, language: 'ar' },
  ];
  test('Arabic and Persian articles list their language first, alone when enough qualify', () => {
    assert.deepEqual(sameLanguageFirst('ar', items, 4).map((c) => c.id), [2, 4, 1, 3]);
    assert.deepEqual(sameLanguageFirst('ar', items, 2).map((c) => c.id), [2, 4]);
    assert.deepEqual(sameLanguageFirst('fa', items, 4).map((c) => c.id), [1, 2, 3, 4]);
    assert.deepEqual(sameLanguageFirst('en', items, 4).map((c) => c.id), [1, 2, 3, 4]);
  });
});
