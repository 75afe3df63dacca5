import type { Redis } from 'ioredis';
import type { LoginThrottle, RateCounter, RateDecision } from './local-limits.js';

// One round trip each, atomic on the Redis server: the count and its expiry can never
// part (a crash between INCR and PEXPIRE would leave a counter that never resets).
const HIT = `
local c = redis.call('INCR', KEYS[1])
if c == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local t = redis.call('PTTL', KEYS[1])
if t < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); t = tonumber(ARGV[1]) end
return {c, t}`;

const FAIL = `
local c = redis.call('INCR', KEYS[1])
if c == 1 or redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
if c >= tonumber(ARGV[2]) then redis.call('SET', KEYS[2], '1', 'PX', ARGV[3]) end
return c`;

/** Rate counters and sign-in lockouts in Redis, shared by every app process that uses the same Redis and prefix. */
export class RedisLimits implements RateCounter, LoginThrottle {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async hit(key: string, limit: number, windowMs: number): Promise<RateDecision> {
    const [count, ttl] = (await this.redis.eval(HIT, 1, `${this.prefix}rate:${key}`, String(windowMs))) as [number, number];
    return { allowed: count <= limit, count, resetMs: ttl };
  }

  async lockedUntil(keys: string[], now: number): Promise<number | null> {
    if (!keys.length) return null;
    const pipeline = this.redis.pipeline();
    for (const k of keys) pipeline.pttl(`${this.prefix}lock:${k}`);
    const ttls = ((await pipeline.exec()) ?? []).map(([err, ttl]) => {
      if (err) throw err;
      return Number(ttl);
    });
    const longest = Math.max(...ttls);
    return longest > 0 ? now + longest : null;
  }

  async recordFailure(key: string, _now: number, windowMs: number, limit: number, lockMs: number): Promise<number> {
    return Number(await this.redis.eval(FAIL, 2, `${this.prefix}fail:${key}`, `${this.prefix}lock:${key}`, String(windowMs), String(limit), String(lockMs)));
  }

  async clearThrottle(key: string): Promise<void> {
    await this.redis.del(`${this.prefix}fail:${key}`, `${this.prefix}lock:${key}`);
  }
}
