import { LRUCache } from 'lru-cache';

/** One bucket's verdict for one request. */
export interface RateDecision {
  allowed: boolean;
  /** Requests counted in the current window, this one included. */
  count: number;
  /** Milliseconds until the window starts over. */
  resetMs: number;
}

/** Counts requests per key in fixed windows; what Redis does with INCR + PEXPIRE, in one process. */
export interface RateCounter {
  hit(key: string, limit: number, windowMs: number): Promise<RateDecision>;
}

/** Sign-in failures and lockouts, shared by every process (Redis or the database) or kept in one. */
export interface LoginThrottle {
  /** The latest lock in force for these keys (epoch ms), or null. */
  lockedUntil(keys: string[], now: number): Promise<number | null>;
  /** Counts one failure in the window; locks the key for `lockMs` at `limit`. Returns the failures counted. */
  recordFailure(key: string, now: number, windowMs: number, limit: number, lockMs: number): Promise<number>;
  /** Forgets the key's failures and lifts its lock. */
  clearThrottle(key: string): Promise<void>;
}

/**
 * The in-process rate counter: what a single process uses without Redis, and what every
 * process falls back to while Redis is unreachable. Bounded (LRU) so a flood of
 * addresses cannot grow it without end.
 */
export class LocalRateCounter implements RateCounter {
  private readonly windows = new LRUCache<string, { count: number; resetAt: number }>({ max: 100_000 });

  constructor(private readonly now: () => number = Date.now) {}

  async hit(key: string, limit: number, windowMs: number): Promise<RateDecision> {
    const now = this.now();
    let w = this.windows.get(key);
    if (!w || w.resetAt <= now) {
      w = { count: 0, resetAt: now + windowMs };
      this.windows.set(key, w);
    }
    w.count++;
    return { allowed: w.count <= limit, count: w.count, resetMs: w.resetAt - now };
  }
}
