import type { Redis, RedisOptions } from 'ioredis';
import { lazyRequire } from './lazy-require.js';

const ioredis = lazyRequire<typeof import('ioredis')>('ioredis');

/** An ioredis client; the library is loaded only by processes configured with Redis. */
export function redisClient(url: string, options: RedisOptions): Redis {
  return new (ioredis().Redis)(url, options);
}
