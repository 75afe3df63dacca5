import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseCorpus, parseCorpusDate, pickQueries } from '../../bench/eval-corpus.js';
import { yarppBm25Related, yarppRelated, type YarppDoc } from '../../bench/yarpp-baseline.js';

describe('eval:related corpus reading', () => {
  test('dates: ISO, DD/MM/YYYY (day first), RFC 822, Reuters, epoch; impossible dates are null', () => {
    assert.equal(parseCorpusDate('2016-11-25'), Date.UTC(2016, 10, 25));
    assert.equal(parseCorpusDate('2016-11-25T10:30:00+01:00'), Date.UTC(2016, 10, 25, 9, 30));
    assert.equal(parseCorpusDate('2016-11-25 10:30'), Date.UTC(2016, 10, 25, 10, 30));
    assert.equal(parseCorpusDate('05/03/2017'), Date.UTC(2017, 2, 5));
    assert.equal(parseCorpusDate('5.3.2017 14:05'), Date.UTC(2017, 2, 5, 14, 5));
    assert.equal(parseCorpusDate('Fri, 25 Nov 2016 10:00:00 +0100'), Date.UTC(2016, 10, 25, 9));
    assert.equal(parseCorpusDate('25 Nov 2016 10:00:00 GMT'), Date.UTC(2016, 10, 25, 10));
    assert.equal(parseCorpusDate('26-FEB-1987 15:01:01.79'), Date.UTC(1987, 1, 26, 15, 1, 1));
    assert.equal(parseCorpusDate(1_480_000_000), 1_480_000_000_000);
    assert.equal(parseCorpusDate('31/02/2017'), null);
    assert.equal(parseCorpusDate('13/13/2017'), null);
    assert.equal(parseCorpusDate('yesterday'), null);
    assert.equal(parseCorpusDate(''), null);
    assert.equal(parseCorpusDate(null), null);
  });

  test('lines: string and numeric ids, missing title or body, Reuters topics and tags, bad lines skipped', () => {
    const content = [
      JSON.stringify({ id: 'JA-sport-1', title: 'الترجي يفوز', date: '25/11/2016', labels: ['sport'], language: 'ar' }),
      JSON.stringify({ id: 7, body: 'Only a body here.', date: 'Tue, 01 Mar 2016 08:00:00 GMT', topics: ['earn'], places: ['usa'], orgs: ['opec'] }),
      'not json',
      JSON.stringify([1, 2]),
      JSON.stringify({ id: 8, title: '', body: '' }),
      JSON.stringify({ title: 'No id and no date', labels: 'crude' }),
      JSON.stringify({ id: 'JA-sport-1', title: 'Same id again', labels: [] }),
    ].join('\n');
    const { docs, skipped } = parseCorpus(content);
    assert.equal(skipped, 3);
    assert.deepEqual(docs.map((d) => d.key), ['JA-sport-1', '7', 'line-6', 'JA-sport-1#line-7']);
    assert.equal(docs[0]!.body, '');
    assert.equal(docs[0]!.at, Date.UTC(2016, 10, 25));
    assert.equal(docs[0]!.language, 'ar');
    assert.equal(docs[1]!.title, '');
    assert.deepEqual(docs[1]!.labels, ['earn']);
    assert.deepEqual(docs[1]!.tags, [{ kind: 'place', name: 'usa' }, { kind: 'organisation', name: 'opec' }]);
    assert.equal(docs[1]!.at, Date.UTC(2016, 2, 1, 8));
    // No date: a minute after the previous document.
    assert.equal(docs[2]!.at, docs[1]!.at + 60_000);
    assert.deepEqual(docs[2]!.labels, ['crude']);
    assert.equal(docs[2]!.language, 'en');
  });

  test('splits alternate over labelled documents; --queries spreads evenly and accepts any size', () => {
    const docs = Array.from({ length: 10 }, (_, i) => ({ i, labels: i === 3 ? [] : ['x'] }));
    assert.deepEqual(pickQueries(docs, 'tune', 'all').map((d) => d.i), [0, 2, 5, 7, 9]);
    assert.deepEqual(pickQueries(docs, 'test', 'all').map((d) => d.i), [1, 4, 6, 8]);
    assert.deepEqual(pickQueries(docs, 'all', '3').map((d) => d.i), [0, 4, 7]);
    assert.equal(pickQueries(docs, 'test', '1000').length, 4);
    assert.throws(() => pickQueries(docs, 'train', 'all'), /--split/);
    assert.throws(() => pickQueries(docs, 'all', '0'), /--queries/);
    assert.throws(() => pickQueries(docs, 'all', 'many'), /--queries/);
  });
});

describe('YARPP-style baselines', () => {
  const docs: YarppDoc[] = [
    { id: 1, title: 'Cocoa harvest improves in Bahia', body: 'Cocoa growers in Bahia expect a better harvest after rains. Cocoa prices fell.', tags: [] },
    { id: 2, title: 'Bahia cocoa crop outlook', body: 'The cocoa crop in Bahia looks good, growers said, as rains return.', tags: [] },
    { id: 3, title: 'Oil prices rise', body: 'Crude oil prices rose on Monday as OPEC met in Vienna.', tags: ['opec'] },
    { id: 4, title: 'OPEC ministers meet', body: 'Oil ministers of OPEC gather in Vienna to discuss crude output.', tags: ['opec'] },
    { id: 5, title: 'Football results', body: 'The home team won the match three to one.', tags: [] },
    { id: 6, title: 'Bank rates', body: 'The central bank left rates unchanged.', tags: ['opec'] },
  ];

  test('BM25 variant: title and body keywords rank the same story first, a shared tag adds a point, no threshold', () => {
    const strong = yarppBm25Related(docs);
    assert.equal(strong(1)[0], 2);
    assert.equal(strong(3)[0], 4);
    // Bank rates shares only the tag with the oil stories: one point, still listed (no threshold).
    assert.ok(strong(6).includes(3) && strong(6).includes(4));
    assert.ok(!strong(5).length, 'nothing in common, nothing listed');
    assert.ok(strong(3).length <= 4);
    assert.deepEqual(yarppBm25Related(docs, { limit: 1 })(3), [4]);
  });

  test('the MySQL-relevance variant keeps its threshold of 4', () => {
    assert.deepEqual(yarppRelated(docs)(6), []);
  });
});
