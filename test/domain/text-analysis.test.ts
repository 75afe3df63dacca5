import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { extractEntities } from '../../src/domain/entity-extraction.js';
import { porterStem } from '../../src/domain/porter-stemmer.js';
import { highlightSnippet, snippetHtml } from '../../src/domain/search-snippet.js';
import { analyze, isContentTerm, normalizeText, parseQuery } from '../../src/domain/text-analysis.js';

const same = (a: string, b: string) => assert.deepEqual(analyze(a), analyze(b), `${a} ≠ ${b}`);

describe('text analysis', () => {
  test('Arabic: tashkeel, tatweel, alef and hamza forms, alef maksura, teh marbuta fold together', () => {
    same('مُحَمَّدٌ', 'محمد');
    same('جـــميل', 'جميل');
    same('أحمد', 'احمد');
    same('إسلام', 'اسلام');
    same('آمنة', 'امنه');
    same('مستشفى', 'مستشفي');
    same('مؤتمر', 'موتمر');
    same('رئيس', 'رييس');
    same('المدرسة', 'مدرسه');
    same('والسلام', 'سلام');
  });

  test('Arabic light stemming: article, plural, feminine and pronoun endings; names and short words kept', () => {
    same('والمدرسات', 'مدرسة');
    same('المعلمون', 'معلمين');
    same('كتابها', 'الكتاب');
    same('مصري', 'مصر');
    same('کتاب‌ها', 'كتاب'); // Persian plural
    // Not conflated: Lebanon with "milk", Bahrain with "the sea", a minister's و with a conjunction.
    assert.notDeepEqual(analyze('لبنان'), analyze('لبن'));
    assert.notDeepEqual(analyze('البحرين'), analyze('البحر'));
    assert.deepEqual(analyze('وزير'), ['وزير']);
    assert.deepEqual(analyze('هذه'), ['هذه']); // three letters stay whole
  });

  test('function words are recognised after stemming (was → wa, هذه), in every script', () => {
    const content = (text: string) => analyze(text).filter(isContentTerm);
    assert.deepEqual(content('This was his reply, says the minister'), ['repli', 'minist']);
    assert.deepEqual(content('هذه الحكومة'), ['حكوم']);
  });

  test('Persian: yeh and kaf, ZWNJ, heh with hamza, digits', () => {
    same('ایران', 'ايران');
    same('کتاب', 'كتاب');
    same('می‌روم', 'میروم');
    same('خانۀ', 'خانه');
    assert.deepEqual(analyze('۱۴۰۳ ٢٠٢٤ 2024'), ['1403', '2024', '2024']);
    assert.equal(normalizeText('\u200Fسلام\u200E'), 'سلام');
  });

  test('English: case, accents and inflections', () => {
    same('Elections', 'election');
    same('voted', 'votes');
    same('governing', 'governs');
    same('Café', 'cafe');
    assert.equal(porterStem('relational'), 'relat');
    assert.equal(porterStem('hopping'), 'hop');
    assert.equal(porterStem('ponies'), 'poni');
    assert.equal(porterStem('generalizations'), 'gener');
  });

  test('queries: phrases, prefixes, exclusions; engine syntax never passes through', () => {
    const q = parseQuery('"Oil prices" elect* -sport NEAR( AND OR "');
    assert.deepEqual(q.clauses[0], { terms: ['oil', 'price'], prefix: false, negated: false });
    assert.deepEqual(q.clauses[1], { terms: ['elect'], prefix: true, negated: false });
    assert.deepEqual(q.clauses[2], { terms: ['sport'], prefix: false, negated: true });
    for (const c of q.clauses) for (const t of c.terms) assert.match(t, /^[\p{L}\p{N}]+$/u);
    assert.deepEqual(parseQuery('الانتخابات').clauses[0]!.terms, parseQuery('اَلاِنْتِخابات').clauses[0]!.terms);
  });

  test('snippets mark every form of the query terms and escape HTML', () => {
    const text = `${'Filler words here. '.repeat(30)}The <elections> were held; they voted and elected a new council. ${'More filler. '.repeat(30)}`;
    const parts = highlightSnippet(text, { terms: new Set(analyze('election vote')), prefixes: [] }, 120);
    assert.deepEqual(parts.filter((p) => p.match).map((p) => p.text), ['elections', 'voted', 'elected']);
    assert.ok(snippetHtml(parts).includes('&lt;<mark>elections</mark>&gt;'));
    assert.ok(snippetHtml(parts).startsWith('… '));
    const ar = highlightSnippet('قال رئيسُ الوزراء إنّ الانتخاباتِ ستجرى', { terms: new Set(analyze('انتخابات')), prefixes: [] });
    assert.deepEqual(ar.filter((p) => p.match).map((p) => p.text), ['الانتخاباتِ']);
  });

  test('a prefix marks the words it was searched for: function words only when nothing else completed it', () => {
    const text = 'That was more than the Thames could hold, and thawing ice made it worse.';
    const marked = (prefixStops?: ReadonlySet<string>) => highlightSnippet(text, { terms: new Set(), prefixes: ['tha'], prefixStops }).filter((p) => p.match).map((p) => p.text);
    assert.deepEqual(marked(), ['Thames', 'thawing'], '"that" and "than" were left out of the search');
    assert.deepEqual(marked(new Set(analyze('that than'))), ['That', 'than', 'Thames', 'thawing'], 'searched for: marked');
    // A function word typed out is a term of its own, marked as such.
    assert.deepEqual(highlightSnippet(text, { terms: new Set(analyze('that')), prefixes: ['tha'] }).filter((p) => p.match).map((p) => p.text), ['That', 'Thames', 'thawing']);
  });

  test('entities: people after titles, organisations, places (English and Arabic)', () => {
    const found = extractEntities({
      headline: 'Talks resume in Geneva',
      body: 'President Lina Haddad met officials of the World Health Organization in Geneva on Monday. Haddad said the Central Bank would act. NATO was not present.',
      place: 'Geneva',
    });
    const byKind = (k: string) => found.filter((e) => e.kind === k).map((e) => e.name);
    assert.ok(byKind('person').includes('Lina Haddad'));
    assert.ok(byKind('organisation').includes('World Health Organization'));
    assert.ok(byKind('organisation').includes('Central Bank'));
    assert.ok(byKind('organisation').includes('NATO'));
    assert.equal(found.find((e) => e.name === 'Geneva')?.kind, 'place');
    assert.ok(!found.some((e) => e.name === 'Monday' || e.name === 'Talks'));
    const ar = extractEntities({ headline: 'اشتباكات في دمشق', body: 'قال الرئيس سامي خوري إن منظمة الصحة ستساعد في حلب.' });
    assert.ok(ar.some((e) => e.kind === 'place' && e.name === 'دمشق'));
    assert.ok(ar.some((e) => e.kind === 'person' && e.name === 'سامي خوري'));
    assert.ok(ar.some((e) => e.kind === 'organisation' && e.name === 'منظمة الصحة'));
  });
});
