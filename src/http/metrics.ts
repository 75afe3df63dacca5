import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { syncStats } from '../db/postgres-sync/sync-client.js';
import type { Services } from '../services/index.js';

/**
 * Prometheus metrics of one app: requests by route and status with latency, the page
 * cache (hits, misses, bytes, purges), the job queue, the PostgreSQL pool, and Node's
 * defaults (event-loop lag, memory, GC). Page-cache hits never reach Fastify's routing,
 * so they are counted by the cache (`dateline_page_cache_hits_total`), not by route.
 */
export function createMetrics(app: FastifyInstance, services: Services): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });
  const requests = new Counter({ name: 'http_requests_total', help: 'Routed HTTP requests', labelNames: ['method', 'route', 'status'], registers: [registry] });
  const latency = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Routed request latency',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    const labels = { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) };
    requests.inc(labels);
    latency.observe(labels, reply.elapsedTime / 1000);
  });

  const caching = services.pageCaching;
  const stat = (name: string, help: string, read: () => number, type: 'counter' | 'gauge' = 'counter') => {
    const Metric = type === 'counter' ? Counter : Gauge;
    new Metric({
      name,
      help,
      registers: [registry],
      collect(this: Counter | Gauge) {
        if (this instanceof Gauge) this.set(read());
        else {
          this.reset();
          this.inc(read());
        }
      },
    });
  };
  const cache = caching.cache;
  stat('dateline_page_cache_hits_total', 'Page cache hits (fresh)', () => cache?.stats.hits ?? 0);
  stat('dateline_page_cache_misses_total', 'Page cache misses (rendered)', () => cache?.stats.misses ?? 0);
  stat('dateline_page_cache_stale_total', 'Stale entries served (while revalidating or on error)', () => cache?.stats.staleServed ?? 0);
  stat('dateline_page_cache_evictions_total', 'Entries evicted for space', () => cache?.stats.evictions ?? 0);
  stat('dateline_page_cache_purged_entries_total', 'Entries dropped by purges', () => cache?.stats.purgedEntries ?? 0);
  stat('dateline_page_cache_bytes', 'Bytes held by the page cache', () => cache?.bytes ?? 0, 'gauge');
  stat('dateline_page_cache_entries', 'Entries in the page cache', () => cache?.entryCount ?? 0, 'gauge');
  stat('dateline_purges_total', 'Purges computed by this process', () => caching.purge.stats.purges);
  stat('dateline_purge_keys_total', 'Surrogate keys purged by this process', () => caching.purge.stats.keys);
  stat('dateline_redis_up', '1 while the Redis purge bus is connected (0 without Redis)', () => (caching.bus?.healthy ? 1 : 0), 'gauge');
  const limits = services.limits;
  stat('dateline_rate_limited_total', 'Requests refused by a rate limit (429 RATE_LIMITED)', () => limits.stats.refused);
  stat('dateline_limits_redis_up', '1 while rate limits and lockouts are counted in Redis (0 without Redis)', () => (limits.redisReady ? 1 : 0), 'gauge');
  stat('dateline_limits_fallbacks_total', 'Rate-limit and lockout checks made without the configured Redis (local counter or database)', () => limits.stats.fallbacks);
  const hub = services.live.hub.stats;
  stat('dateline_live_readers', 'Open Server-Sent Events streams (breaking banner, live blogs)', () => hub.readers, 'gauge');
  stat('dateline_live_log_reads_total', 'Reads of the live event log (one per update, whatever the number of readers)', () => hub.reads);
  stat('dateline_live_events_total', 'Live events fanned out by this process', () => hub.events);
  stat('dateline_live_frames_total', 'SSE frames written to readers', () => hub.framesWritten);
  stat('dateline_live_replays_total', 'Reconnects resumed from memory or from the database', () => hub.replaysFromMemory + hub.replaysFromDatabase);
  stat('dateline_live_dropped_total', 'Readers dropped for falling behind (they reconnect and resume)', () => hub.dropped);
  if (caching.pool) {
    const pool = caching.pool;
    stat('dateline_db_pool_total', 'PostgreSQL connections open', () => pool.totalCount, 'gauge');
    stat('dateline_db_pool_idle', 'PostgreSQL connections idle', () => pool.idleCount, 'gauge');
    stat('dateline_db_pool_waiting', 'Queries waiting for a connection', () => pool.waitingCount, 'gauge');
    // The synchronous connections of state-changing requests (postgres-sync/), this process.
    stat('dateline_db_sync_round_trips_total', 'Requests sent on the synchronous connections (one round trip each)', () => syncStats.roundTrips);
    stat('dateline_db_sync_statements_total', 'Statements sent on the synchronous connections', () => syncStats.statements);
    stat('dateline_db_sync_batched_reads_total', 'Concurrent reads of a request sent together in one round trip', () => syncStats.batchedReads);
    stat('dateline_db_sync_awaited_total', 'Answers that outlasted DB_SYNC_BLOCK_MS and were awaited on the event loop', () => syncStats.awaited);
    stat('dateline_db_sync_blocked_seconds_total', 'Time the main thread spent blocked for answers on the synchronous connections', () => syncStats.blockedMs / 1000);
  }
  if (services.routing) {
    const set = services.routing.replicas;
    const each = (name: string, help: string, read: (r: (typeof set.replicas)[number]) => number, Metric: typeof Gauge | typeof Counter = Gauge) =>
      new Metric({
        name,
        help,
        labelNames: ['replica'],
        registers: [registry],
        collect(this: Counter | Gauge) {
          if (this instanceof Counter) this.reset();
          for (const r of set.replicas) {
            if (this instanceof Gauge) this.set({ replica: r.description }, read(r));
            else this.inc({ replica: r.description }, read(r));
          }
        },
      });
    each('dateline_db_replica_up', '1 while a read replica is in the rotation (answering, a standby, within DATABASE_REPLICA_MAX_LAG_MS)', (r) => (r.healthy ? 1 : 0));
    each('dateline_db_replica_lag_seconds', 'How far a read replica was behind the primary at its last check', (r) => r.lagMs / 1000);
    each('dateline_db_replica_reads_total', 'Public read queries a read replica answered', (r) => r.reads, Counter);
    stat('dateline_db_public_primary_queries_total', 'Queries of public requests the primary answered (no replica had applied what the reader must see, a replica failed, or the request wrote)', () => set.primaryReads);
  }
  const depth = new Gauge({ name: 'dateline_job_queue_depth', help: 'Jobs due and waiting', registers: [registry] });
  const age = new Gauge({ name: 'dateline_job_queue_oldest_seconds', help: 'How long the oldest due job has waited', registers: [registry] });
  // One query for both gauges, made when Prometheus scrapes.
  new Gauge({
    name: 'dateline_job_queue_scrape_ok',
    help: '1 when the job queue could be read at this scrape',
    registers: [registry],
    async collect() {
      try {
        const q = await caching.ops.jobQueue(services.clock());
        depth.set(q.depth);
        age.set(q.oldestAgeMs / 1000);
        this.set(1);
      } catch {
        this.set(0);
      }
    },
  });
  return registry;
}
