import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Config } from '../../config/config.js';
import { OpsRepository } from '../../db/repositories/ops.repository.js';
import { PageCacheRepository } from '../../db/repositories/page-cache.repository.js';
import type { Repositories } from '../../db/repositories/index.js';
import type { DatabaseHandle } from '../../db/database.js';
import { JobName } from '../../jobs/job-names.js';
import type { JobQueue } from '../../jobs/job-queue.js';
import type { Clock } from '../clock.js';
import { CdnPurger } from './cdn-purger.js';
import { PageCache } from './page-cache.js';
import { PurgeService } from './purge.service.js';
import { RedisPurgeBus } from './redis-purge-bus.js';

export type PageCachingConfig = Partial<
  Pick<
    Config,
    | 'contentCacheSeconds'
    | 'pageCacheMb'
    | 'pageCacheSeconds'
    | 'redisUrl'
    | 'redisPrefix'
    | 'varnishPurgeUrl'
    | 'cdnPurgeUrl'
    | 'cdnPurgeAuthorization'
  >
>;

/** How often a process without a working Redis reads the purge log (the documented staleness bound). */
export const PURGE_POLL_MS = 1000;
/** Purge log rows older than this are pruned. */
const LOG_KEEP_MS = 60 * 60_000;

/**
 * The page cache and everything that keeps it current: the purge service (listening to
 * content changes), this process's cache, the database purge log, Redis fan-out and CDN
 * purges. `start()` connects Redis and starts the log poller (the server calls it);
 * without it purges still reach this process's cache, the log and the CDN.
 */
export class PageCaching {
  readonly origin = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  readonly cache: PageCache | null;
  readonly purge: PurgeService;
  readonly repo: PageCacheRepository;
  readonly cdn: CdnPurger;
  /** Health and queue queries for /readyz and /metrics. */
  readonly ops: OpsRepository;
  readonly pool: DatabaseHandle['pool'];
  bus: RedisPurgeBus | null = null;
  /** Set on SIGTERM: /readyz turns red so balancers stop sending new requests. */
  draining = false;
  private lastLogId = 0;
  private poller: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private lastPrune = 0;
  log: (level: 'info' | 'warn', message: string) => void = () => {};
  private readonly routing: DatabaseHandle['routing'];

  constructor(
    handle: DatabaseHandle,
    repos: Repositories,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
    readonly config: PageCachingConfig,
    warn: (message: string) => void,
  ) {
    this.repo = new PageCacheRepository(handle.db);
    this.ops = new OpsRepository(handle.db);
    this.pool = handle.pool;
    const on = (config.contentCacheSeconds ?? 0) > 0 && (config.pageCacheMb ?? 256) > 0;
    const ttlSeconds = config.pageCacheSeconds ?? 300;
    this.cache = on
      ? new PageCache({ maxBytes: (config.pageCacheMb ?? 256) * 1024 * 1024, ttlMs: ttlSeconds * 1000, staleWhileRevalidateMs: 30_000, staleIfErrorMs: 86_400_000 })
      : null;
    this.purge = new PurgeService(this.repo, repos.related, clock, warn);
    this.cdn = new CdnPurger({ varnishUrl: config.varnishPurgeUrl ?? '', httpUrl: config.cdnPurgeUrl ?? '', httpAuthorization: config.cdnPurgeAuthorization ?? '' });

    const cache = this.cache;
    // First: with read replicas, re-renders after this purge must not read from one that has not applied the change.
    const routing = handle.routing;
    if (routing) this.purge.addSink({ purge: () => routing.fence() });
    this.routing = routing;
    if (cache) this.purge.addSink({ purge: (keys) => void cache.purge(keys) });
    this.purge.addSink({ purge: async (keys) => void (await this.repo.appendLog(this.origin, keys, this.clock())) });
    this.purge.addSink({ purge: (keys) => this.bus?.publish(keys) });
    if (this.cdn.enabled) {
      this.purge.addSink({
        purge: async (keys) => {
          // Sent now; on failure the job table retries it with backoff.
          await this.cdn.purge(keys).catch(async (err: unknown) => {
            warn(`CDN purge failed, retrying from the job queue: ${err instanceof Error ? err.message : String(err)}`);
            await this.jobs.enqueue(JobName.CdnPurge, { keys }, { maxAttempts: 8 });
          });
        },
      });
    }
  }

  /** The TTL, stale-while-revalidate and stale-if-error windows in seconds (for headers). */
  get windows(): { ttl: number; swr: number; sie: number } {
    const o = this.cache?.options;
    return { ttl: (o?.ttlMs ?? 300_000) / 1000, swr: (o?.staleWhileRevalidateMs ?? 30_000) / 1000, sie: (o?.staleIfErrorMs ?? 86_400_000) / 1000 };
  }

  /** Connects Redis (when configured) and starts reading the purge log. */
  async start(): Promise<void> {
    this.lastLogId = await this.repo.lastLogId();
    if (this.config.redisUrl) {
      this.bus = new RedisPurgeBus(this.config.redisUrl, this.config.redisPrefix ?? 'dateline:', this.origin, (keys) => void this.purgeHere(keys), (l, m) => this.log(l, m));
      // Back from an outage: catch up on what was logged meanwhile.
      this.bus.onUp = () => void this.pollLog(true);
      await this.bus.start();
    }
    if (!this.cache) return;
    const tick = () => {
      this.poller = setTimeout(() => {
        void this.pollLog(false).finally(() => {
          if (this.poller) tick();
        });
      }, PURGE_POLL_MS);
      this.poller.unref();
    };
    tick();
  }

  /** Reads purges other processes logged; applies them unless Redis delivered them already. */
  pollLog(force: boolean): Promise<void> {
    this.polling ??= (async () => {
      try {
        const { lastId, keys } = await this.repo.logSince(this.lastLogId, this.origin);
        this.lastLogId = lastId;
        if (keys.length && (force || !this.bus?.healthy)) await this.purgeHere(keys);
        const now = this.clock();
        if (now - this.lastPrune > 10 * 60_000) {
          this.lastPrune = now;
          await this.repo.pruneLog(now - LOG_KEEP_MS);
        }
      } catch {
        // The database is away: the next tick tries again.
      }
    })().finally(() => {
      this.polling = null;
    });
    return this.polling;
  }

  /** Another process's purge: fenced like this process's own (read replicas), then applied to this cache. */
  private purgeHere(keys: string[]): void | Promise<void> {
    if (!this.routing) return void this.cache?.purge(keys);
    return this.routing.fence().then(() => void this.cache?.purge(keys));
  }

  async stop(): Promise<void> {
    if (this.poller) clearTimeout(this.poller);
    this.poller = null;
    await this.polling;
    await this.bus?.close();
  }
}
