import type { Config } from '../../config/config.js';
import type { DatabaseHandle } from '../../db/database.js';
import { LiveRepository, type LiveEventRow } from '../../db/repositories/live.repository.js';
import type { Repositories } from '../../db/repositories/index.js';
import type { JobQueue } from '../../jobs/job-queue.js';
import type { AuditService } from '../audit.service.js';
import type { Clock } from '../clock.js';
import { LiveHub } from './live-hub.js';
import { LiveService, type EntryRenderer } from './live.service.js';
import { RedisLiveBus } from './redis-live-bus.js';

/** How often the live event log is pruned. */
export const LIVE_PRUNE_EVERY_MS = 3_600_000;

/** Without Redis, how often a hub with readers looks for events other processes wrote. */
export const LIVE_POLL_MS = 500;
/** With Redis, the safety poll (a lost message costs at most this). */
const LIVE_POLL_WITH_REDIS_MS = 5000;

/**
 * Breaking news and live coverage of one process: the service (writes), the hub (open
 * pages) and, with REDIS_URL, the bus that wakes the other processes' hubs.
 */
export class LiveCoverage {
  readonly repo: LiveRepository;
  readonly service: LiveService;
  readonly hub: LiveHub;
  bus: RedisLiveBus | null = null;
  /** LIVE_MAX_READERS and LIVE_EVENTS_KEEP_HOURS. */
  readonly settings: { maxReaders: number; keepEventsMs: number };

  constructor(
    handle: DatabaseHandle,
    repos: Repositories,
    audit: AuditService,
    jobs: JobQueue,
    clock: Clock,
    private readonly config: Partial<Pick<Config, 'redisUrl' | 'redisPrefix' | 'languages' | 'liveMaxReaders' | 'liveEventsKeepHours'>>,
    render: EntryRenderer,
  ) {
    this.settings = { maxReaders: config.liveMaxReaders ?? 20_000, keepEventsMs: (config.liveEventsKeepHours ?? 168) * 3_600_000 };
    this.repo = new LiveRepository(handle.db as never, handle.engine);
    this.service = new LiveService(this.repo, repos.articles, repos.media, audit, jobs, clock, config.languages ?? ['en', 'ar', 'fa'], render);
    this.hub = new LiveHub(this.repo, { heartbeatMs: 15_000, pollMs: config.redisUrl ? LIVE_POLL_WITH_REDIS_MS : LIVE_POLL_MS });
  }

  /** Connects Redis (when configured) and starts the hub. */
  async start(): Promise<void> {
    if (this.config.redisUrl && !this.bus) {
      this.bus = new RedisLiveBus(this.config.redisUrl, this.config.redisPrefix ?? 'dateline:', (events) => (events ? this.hub.deliver(events) : void this.hub.wake()));
      await this.bus.start();
    }
    await this.hub.start();
    await this.service.ensurePruneScheduled();
  }

  /** After a local commit: this hub writes it out now; other processes get it over Redis. */
  committed(event: LiveEventRow): void {
    this.hub.deliver([event]);
    this.bus?.publish(event);
  }

  stop(): void {
    this.hub.stop();
    this.bus?.close();
    this.bus = null;
  }
}
