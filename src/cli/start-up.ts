import type { Config } from '../config/config.js';
import type { Services } from '../services/index.js';
import { reindexIfAnalyzerChanged } from './reindex.js';

/**
 * What a starting server does to its content before it serves, once (the cluster's
 * primary, or a single process): the demo newsroom into an empty database, the search
 * engine's notice, a rebuild of a small index written by older text analysis. Each step
 * reads a bounded number of rows whatever the archive's size (no counts): a million
 * articles start as fast as fifty (`test/cli/prepare-content.test.ts`, `npm run bench:boot`).
 */
export async function prepareContent(services: Services, config: Pick<Config, 'demoContent'>, say: (message: string) => void): Promise<void> {
  if (config.demoContent && (await services.demo.isEmpty())) {
    say('Empty database: loading the demo newsroom (set DEMO_CONTENT=off to start empty)…');
    const report = await services.demo.load();
    say(`Loaded ${report.articles} demo articles.`);
  }
  // Search on PostgreSQL without the rum extension works, slower (see migration 030).
  const notice = await services.search.engineNotice();
  if (notice) say(`warning: ${notice}`);
  await reindexIfAnalyzerChanged(services, say);
}
