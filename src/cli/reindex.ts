import type cliProgressTypes from 'cli-progress';
import { lazyRequire } from '../services/lazy-require.js';
import { ANALYZER_VERSION } from '../domain/text-analysis.js';
import type { Services } from '../services/index.js';

/** Progress bars load when a rebuild or import runs, not by every server start. */
const progressBars = lazyRequire<typeof import('cli-progress')>('cli-progress');

/** Indexes this small are rebuilt at start after a text-analysis change (about a minute at most). */
export const AUTO_REINDEX_LIMIT = 20_000;

/**
 * `dateline reindex`: rebuilds the search index from the articles table, then
 * recomputes every published article's related list (unless `searchOnly`), with
 * progress bars on a terminal.
 */
export async function reindex(services: Services, options: { searchOnly: boolean; threads?: number; say: (m: string) => void }): Promise<void> {
  const bars = new (progressBars().MultiBar)(
    { format: ' {phase} |{bar}| {value}/{total} articles · {eta_formatted} left', hideCursor: true, clearOnComplete: false, noTTYOutput: !process.stdout.isTTY, notTTYSchedule: 5000 },
    progressBars().Presets.shades_classic,
  );
  const started = Date.now();
  const bar = new Map<string, cliProgressTypes.SingleBar>();
  const progress = (phase: string, done: number, total: number) => {
    let b = bar.get(phase);
    if (!b) bar.set(phase, (b = bars.create(total, 0, { phase: phase.padEnd(14) })));
    b.setTotal(total);
    b.update(done);
  };
  let indexed = 0;
  // When each phase of the search rebuild began, for the summary.
  const began = new Map<string, number>();
  const label = { count: 'terms', write: 'search index', indexes: 'index build' } as const;
  try {
    indexed = await services.search.reindex(
      (phase, done, total) => {
        if (!began.has(phase)) began.set(phase, Date.now());
        progress(label[phase], done, total);
      },
      undefined,
      options.threads,
    );
    began.set('end', Date.now());
    if (!options.searchOnly) {
      await services.relatedEngine.buildVectors((phase, done, total) => progress(phase === 'sample' ? 'vector basis' : 'vectors', done, total));
      const ids: number[] = [];
      for (let after = 0; ; ) {
        const batch = await services.search.indexedIdsAfter(after, 5000);
        if (!batch.length) break;
        ids.push(...batch);
        after = batch.at(-1)!;
      }
      await services.relatedEngine.refreshAll(ids, (done) => progress('related lists', done, ids.length));
    }
  } finally {
    bars.stop();
  }
  const phases = ['count', 'write', 'indexes', 'end'].map((p) => began.get(p));
  const seconds = (from?: number, to?: number) => (from !== undefined && to !== undefined ? `${((to - from) / 1000).toFixed(1)} s` : '?');
  options.say(
    `Indexed ${indexed} articles in ${((Date.now() - started) / 1000).toFixed(1)} s${options.searchOnly ? '' : ' and recomputed their related lists'} ` +
      `(search index: counting terms ${seconds(started, phases[1])}, writing documents ${seconds(phases[1], phases[2])}, building indexes ${seconds(phases[2], phases[3])}).`,
  );
}

/**
 * At start: an index written by an older text analysis (an upgrade changed index terms)
 * is rebuilt now when small; a large one keeps serving with its old terms and the
 * operator is told to run `dateline reindex`.
 */
export async function reindexIfAnalyzerChanged(services: Services, say: (m: string) => void, limit = AUTO_REINDEX_LIMIT): Promise<boolean> {
  const state = await services.search.analyzerState();
  if (state.current) return false;
  const why = `The search index (${state.indexed} articles) was written by text analysis v${state.version}; this release uses v${ANALYZER_VERSION}`;
  if (state.indexed > limit) {
    say(`warning: ${why}. Search and related lists keep working but miss some word forms until you run "dateline reindex" (search finds fewer articles while it runs).`);
    return false;
  }
  say(`${why}: rebuilding it…`);
  await reindex(services, { searchOnly: false, say });
  return true;
}
