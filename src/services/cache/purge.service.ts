import { purgeKeysForArticleChange, purgeKeysForFrontChange, purgeKeysForMediaChange } from '../../domain/purge-keys.js';
import type { PageCacheRepository } from '../../db/repositories/page-cache.repository.js';
import type { RelatedRepository } from '../../db/repositories/related.repository.js';
import type { ArticleChange, ArticleChangeListener } from '../article-change-listener.js';
import type { Clock } from '../clock.js';

/** How many related items the APIs show (the article page shows the first six of them). */
const RELATED_LIST_LIMIT = 20;

/** Somewhere purged keys go: this process's cache, other processes, a CDN. */
export interface PurgeSink {
  purge(keys: string[]): void | Promise<void>;
}

/** Counts for /metrics. */
export interface PurgeStats {
  purges: number;
  keys: number;
}

/**
 * Turns committed content changes into surrogate-key purges: compares what readers
 * could see of the article (and of the related lists that show it) before and after,
 * asks the pure rule in `domain/purge-keys.ts` for the keys, records the new state and
 * hands the keys to every sink. Runs after the search/related listener, so the related
 * lists it compares are the refreshed ones.
 */
export class PurgeService implements ArticleChangeListener {
  readonly stats: PurgeStats = { purges: 0, keys: 0 };
  private readonly sinks: PurgeSink[] = [];

  constructor(
    private readonly repo: PageCacheRepository,
    private readonly related: RelatedRepository,
    private readonly clock: Clock,
    private readonly warn: (message: string) => void = () => {},
  ) {}

  addSink(sink: PurgeSink): void {
    this.sinks.push(sink);
  }

  async articleChanged(articleId: number, change: ArticleChange = 'content'): Promise<void> {
    try {
      await this.purge(await this.keysForArticleChange(articleId, change));
    } catch (err) {
      this.warn(`page cache purge after a change of article ${articleId} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Computes (and records) the keys an article's committed change affects. */
  async keysForArticleChange(articleId: number, change: ArticleChange): Promise<string[]> {
    const now = this.clock();
    // Independent reads, run together (each is a round trip on PostgreSQL).
    const [stored, after, holders] = await Promise.all([this.repo.storedState(articleId), this.repo.currentState(articleId, now), this.repo.relatedHolders(articleId)]);
    const candidates = [...new Set([articleId, ...holders])];
    // The article's own stored list came with its state: read only the holders' (often none).
    const previousLists = await this.repo.storedRelatedIds(candidates.filter((id) => id !== articleId));
    if (stored) previousLists.set(articleId, stored.relatedIds);
    const changedLists: number[] = [];
    let ownList: number[] | null = null;
    for (const id of candidates) {
      const current = (await this.related.listVisible(id, now, RELATED_LIST_LIMIT)).map((r) => r.id);
      if (id === articleId) ownList = current;
      const previous = previousLists.get(id);
      if (previous === undefined || previous === null || previous.join(',') !== current.join(',')) {
        // Unknown or different: that box may show something else now.
        if (id !== articleId || stored?.state.visible || after?.visible) changedLists.push(id);
        if (id !== articleId) {
          if (previous === undefined) {
            const state = await this.repo.currentState(id, now);
            if (state) await this.repo.saveState(state, current);
          } else {
            await this.repo.saveRelatedIds(id, current);
          }
        }
      }
    }
    const keys = purgeKeysForArticleChange({
      before: stored?.state ?? null,
      after,
      contentChanged: change !== 'related',
      relatedListsChanged: changedLists,
    });
    if (after) await this.repo.saveState(after, ownList);
    else await this.repo.deleteState(articleId);
    return keys;
  }

  /** A media item's metadata or renditions changed. */
  async mediaChanged(media: { id: number; key: string }): Promise<void> {
    try {
      await this.purge(purgeKeysForMediaChange(await this.repo.visibleArticlesUsingMedia(media, this.clock())));
    } catch (err) {
      this.warn(`page cache purge after a change of media ${media.id} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** A front's placements changed (called by whoever edits fronts). */
  async frontChanged(name: string): Promise<void> {
    await this.purge(purgeKeysForFrontChange(name));
  }

  /** Hands keys to every sink; a failing sink does not stop the others. */
  async purge(keys: string[]): Promise<void> {
    if (!keys.length) return;
    this.stats.purges++;
    this.stats.keys += keys.length;
    for (const sink of this.sinks) {
      try {
        await sink.purge(keys);
      } catch (err) {
        this.warn(`a purge sink failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
}
