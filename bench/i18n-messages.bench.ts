/**
 * What writing server messages in the reader's language costs per call: negotiating
 * Accept-Language, a problem's title and detail (nested message with a plural), one
 * catalog message, and the publish checklist. Figures are printed, never asserted.
 *
 *   npx tsx bench/i18n-messages.bench.ts      # BENCH_OPS=200000 by default
 */
import { performance } from 'node:perf_hooks';
import { DomainError } from '../src/domain/errors.js';
import { publishChecks } from '../src/domain/publish-checks.js';
import { localText, negotiateLanguage, text } from '../src/site/i18n.js';

const ops = Number(process.env.BENCH_OPS ?? 200_000);

function time(label: string, run: () => unknown): void {
  for (let i = 0; i < 10_000; i++) run();
  const start = performance.now();
  for (let i = 0; i < ops; i++) run();
  console.log(`${label}: ${(((performance.now() - start) * 1000) / ops).toFixed(2)} µs/op`);
}

const blocked = new DomainError('VALIDATION_FAILED', text('cannotGoOut', { done: { term: 'done.published' }, reasons: [text('checkNoSection'), { key: 'checkShortBody', values: { words: { plural: 'words', count: 12 } } }] }));
time('negotiateLanguage("ar-EG,ar;q=0.9,en;q=0.5")', () => negotiateLanguage('ar-EG,ar;q=0.9,en;q=0.5'));
time('DomainError.in("ar"): title and a nested detail with a plural', () => blocked.in('ar'));
time('localText("fa", revisionConflict)', () => localText('fa', text('revisionConflict', { base: '1', current: '2' })));
const frontRefused = new DomainError('VALIDATION_FAILED', text('list', { items: [text('frontStoryMissing', { id: '12' }), text('frontBlockTitleLong', { n: 2, max: 120, length: 131 }), text('frontBlockCount', { block: text('frontWhereBlock', { n: 3 }), max: 12, count: '0' })] }));
time('DomainError.in("ar"): a refused front with three problems', () => frontRefused.in('ar'));
time('publishChecks: 4 findings, English rendered', () =>
  publishChecks({ headline: 'x', bodyHtml: '<p>a b</p>', bodyText: 'a b', contentTypeName: 'news', hasSection: true, leadMedia: null, tagCount: 0, relatedCount: 0 }),
);
