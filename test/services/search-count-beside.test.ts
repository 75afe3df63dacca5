import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SearchRepository } from '../../src/db/repositories/search.repository.js';
import type { ArticleService } from '../../src/services/article.service.js';
import { SearchService } from '../../src/services/search.service.js';

/** A repository whose page and count answer when the test says, recording what was asked when. */
function fakeRepository(pageSize: number) {
  const events: string[] = [];
  let answerPage!: () => void;
  let failCount!: (e: Error) => void;
  let answerCount!: (n: number) => void;
  const pageAnswered = new Promise<void>((resolve) => (answerPage = resolve));
  const counted = new Promise<number>((resolve, reject) => {
    answerCount = resolve;
    failCount = reject;
  });
  const repo = {
    planSearch: async (clauses: unknown[]) => ({ clauses, matches: 5000, minId: null, walk: false }),
    documentCount: async () => {
      throw new Error('a search counted every document');
    },
    documentSpan: async () => {
      events.push('span asked');
      return 100_000;
    },
    search: async () => {
      events.push('page asked');
      await pageAnswered;
      events.push('page answered');
      return Array.from({ length: pageSize }, (_, i) => ({ articleId: i + 1, rank: 1 }));
    },
    count: async () => {
      events.push('count asked');
      return counted;
    },
    visibleSummaries: async () => new Map(),
  };
  const articles = { resolveFilter: async () => ({}) };
  const service = new SearchService(repo as unknown as SearchRepository, articles as unknown as ArticleService, () => Date.now());
  return { service, events, answerPage, answerCount, failCount };
}

describe('search counts its total beside the page, not after it', () => {
  // Two words: one word with no filter takes its total from its document frequency, counting nothing.
  it('asks for the count before the page has answered, and reports it', async () => {
    const f = fakeRepository(20);
    const searching = f.service.search({ q: 'harbour ferry', limit: 20 });
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual([...f.events].sort(), ['count asked', 'page asked'], 'both asked, the page not answered yet');
    f.answerCount(345);
    f.answerPage();
    assert.equal((await searching).total, 345);
  });

  it('a first page that is not full is its own total: the count is not waited for, and its failure is nobody\'s', async () => {
    const f = fakeRepository(3);
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => void unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      const searching = f.service.search({ q: 'harbour ferry', limit: 20 });
      f.answerPage();
      assert.equal((await searching).total, 3, 'answered with the count still out');
      f.failCount(new Error('connection lost'));
      await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(unhandled, []);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('a count that fails when it is needed fails the search', async () => {
    const f = fakeRepository(20);
    const searching = f.service.search({ q: 'harbour ferry', limit: 20 });
    f.failCount(new Error('connection lost'));
    f.answerPage();
    await assert.rejects(searching, /connection lost/);
  });

  it('newest first, it prices reading the matches first from the span of ids, not by counting every document', async () => {
    const f = fakeRepository(20);
    f.answerCount(100);
    f.answerPage();
    assert.equal((await f.service.search({ q: 'harbour ferry', order: 'date' })).total, 100);
    assert.ok(f.events.includes('span asked'));
  });
});
