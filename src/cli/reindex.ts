import cliProgress from 'cli-progress';
import type { Services } from '../services/index.js';

/**
 * `dateline reindex`: rebuilds the search index from the articles table, then
 * recomputes every published article's related list (unless `searchOnly`), with
 * progress bars on a terminal.
 */
export async function reindex(services: Services, options: { searchOnly: boolean; say: (m: string) => void }): Promise<void> {
  const bars = new cliProgress.MultiBar(
    { format: ' {phase} |{bar}| {value}/{total} articles · {eta_formatted} left', hideCursor: true, clearOnComplete: false, noTTYOutput: !process.stdout.isTTY, notTTYSchedule: 5000 },
    cliProgress.Presets.shades_classic,
  );
  const started = Date.now();
  const bar = new Map<string, cliProgress.SingleBar>();
  const progress = (phase: string, done: number, total: number) => {
    let b = bar.get(phase);
    if (!b) bar.set(phase, (b = bars.create(total, 0, { phase: phase.padEnd(14) })));
    b.setTotal(total);
    b.update(done);
  };
  let indexed = 0;
  try {
    indexed = await services.search.reindex((phase, done, total) => progress(phase === 'count' ? 'terms' : 'search index', done, total));
    if (!options.searchOnly) {
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
  options.say(`Indexed ${indexed} articles in ${((Date.now() - started) / 1000).toFixed(1)} s${options.searchOnly ? '' : ' and recomputed their related lists'}.`);
}
