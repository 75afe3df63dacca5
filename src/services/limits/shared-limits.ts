import type { Redis } from 'ioredis';
import { redisClient } from '../redis-client.js';
import { DomainError } from '../../domain/errors.js';
import { text } from '../../site/i18n.js';
import { LocalRateCounter, type LoginThrottle, type RateCounter } from './local-limits.js';
import { RedisLimits } from './redis-limits.js';

/** Requests one client address may make to one group of routes per window. */
export interface RateRule {
  limit: number;
  windowMs: number;
}

/** The rate-limited route groups (a route names its group in `config.rateLimit`). */
export type RateBucket = 'auth' | 'push';

export interface SharedLimitsConfig {
  redisUrl?: string;
  redisPrefix?: string;
  /** Sign-in, first-run setup, invitations and password resets, per address and minute; 0 turns the limit off. */
  authRatePerMinute?: number;
  /** Web Push subscribe/unsubscribe requests, per address and minute; 0 turns the limit off. */
  pushRatePerMinute?: number;
}

/** Longest a rate or lockout check waits for Redis before counting in this process instead. */
const REDIS_COMMAND_TIMEOUT_MS = 250;

/**
 * Rate limits and sign-in lockouts. With `REDIS_URL` both are counted in Redis, so every
 * app process shares them; without it rate limits are counted in this process and
 * lockouts in the database (as before Redis). While Redis is unreachable or slow, rate
 * limits fall back to this process's counter and lockouts to the database: a request
 * never fails because Redis is down. Each switch is logged once.
 */
export class SharedLimits {
  private readonly local = new LocalRateCounter();
  private readonly redis: Redis | null;
  private readonly remote: RedisLimits | null;
  private readonly rules: Record<RateBucket, RateRule | null>;
  private saidDown = false;
  private started = false;
  /** The first connection attempt has ended (before it, "not ready" means "still connecting"). */
  private settled = false;
  log: (level: 'info' | 'warn', message: string) => void = () => {};
  /** For /metrics: requests refused, and checks made without Redis although it is configured. */
  readonly stats = { refused: 0, fallbacks: 0 };
  /** Lockouts: Redis while it answers, else the database. */
  readonly loginThrottle: LoginThrottle;

  constructor(
    config: SharedLimitsConfig,
    private readonly database: LoginThrottle,
  ) {
    const perMinute = (limit: number) => (limit > 0 ? { limit, windowMs: 60_000 } : null);
    this.rules = { auth: perMinute(config.authRatePerMinute ?? 60), push: perMinute(config.pushRatePerMinute ?? 10) };
    this.redis = config.redisUrl
      ? redisClient(config.redisUrl, {
          lazyConnect: true,
          // Fail fast instead of queueing: the caller then counts locally.
          enableOfflineQueue: false,
          maxRetriesPerRequest: 0,
          commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
          retryStrategy: (times: number) => Math.min(times * 200, 2000),
        })
      : null;
    this.remote = this.redis ? new RedisLimits(this.redis, config.redisPrefix ?? 'dateline:') : null;
    this.redis?.on('error', () => this.wentDown());
    this.redis?.on('close', () => this.wentDown());
    this.redis?.on('ready', () => {
      if (this.saidDown) this.log('info', 'Redis is back: rate limits and sign-in lockouts are shared over it again');
      this.saidDown = false;
    });
    const pick = (): LoginThrottle => (this.redisReady ? this.remote! : this.database);
    this.loginThrottle = {
      lockedUntil: (keys, now) => this.viaRedis(() => pick().lockedUntil(keys, now), () => this.database.lockedUntil(keys, now)),
      recordFailure: (key, now, windowMs, limit, lockMs) =>
        this.viaRedis(() => pick().recordFailure(key, now, windowMs, limit, lockMs), () => this.database.recordFailure(key, now, windowMs, limit, lockMs)),
      // Lifted in both places: a lock recorded during an outage must not outlive a reset.
      clearThrottle: async (key) => {
        await Promise.all([this.database.clearThrottle(key), this.redisReady ? this.remote!.clearThrottle(key).catch(() => this.wentDown()) : undefined]);
      },
    };
  }

  /** Whether counts go to Redis right now. */
  get redisReady(): boolean {
    return this.started && this.redis?.status === 'ready';
  }

  /** Connects to Redis when configured (the server calls it; until then everything counts locally). */
  async start(): Promise<void> {
    if (!this.redis || this.started) return;
    this.started = true;
    await this.redis.connect().catch(() => this.wentDown());
    this.settled = true;
  }

  async stop(): Promise<void> {
    this.started = false;
    this.settled = false;
    this.redis?.disconnect();
  }

  /**
   * Counts one request of `address` against the bucket's rule; throws RATE_LIMITED
   * (429, with when to retry) past the limit.
   */
  async take(bucket: RateBucket, address: string): Promise<void> {
    const rule = this.rules[bucket];
    if (!rule) return;
    const key = `${bucket}:${address}`;
    const counter: RateCounter = this.redisReady ? this.remote! : this.local;
    const d = await this.viaRedis(
      () => counter.hit(key, rule.limit, rule.windowMs),
      () => this.local.hit(key, rule.limit, rule.windowMs),
    );
    if (!d.allowed) {
      this.stats.refused++;
      const seconds = Math.max(1, Math.ceil(d.resetMs / 1000));
      throw new DomainError('RATE_LIMITED', text('rateLimited', { seconds: { plural: 'seconds', count: seconds } }), {
        retryAfterSeconds: seconds,
      });
    }
  }

  /** Runs `work` (which may use Redis); when Redis fails it, runs `fallback` instead. */
  private async viaRedis<T>(work: () => Promise<T>, fallback: () => Promise<T>): Promise<T> {
    if (!this.redisReady) {
      if (this.settled) {
        this.stats.fallbacks++;
        this.wentDown();
      }
      return work();
    }
    try {
      return await work();
    } catch (err) {
      if (err instanceof DomainError) throw err;
      this.stats.fallbacks++;
      this.wentDown();
      return fallback();
    }
  }

  private wentDown(): void {
    if (!this.started || this.saidDown) return;
    this.saidDown = true;
    this.log('warn', 'Redis is unreachable: rate limits are counted in this process and sign-in lockouts in the database until it is back');
  }
}
