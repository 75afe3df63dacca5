import type { Redis } from 'ioredis';
import { redisClient } from '../redis-client.js';
import type { LiveEventRow } from '../../db/repositories/live.repository.js';

/** A message too big to be worth carrying whole: the other processes read the log instead. */
const MAX_CARRIED_BYTES = 64 * 1024;

/**
 * "The live log has new events" between app processes over Redis pub/sub. A message
 * carries the new event itself (id, channel, type, payload), so a hub that has every
 * event before it writes it out without reading the log; a hub that missed one, or a
 * message with only an id (an event too big to carry, or an older process), makes it
 * read the log. A lost message costs at most the hub's safety poll, never an event.
 */
export class RedisLiveBus {
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly channel: string;
  private up = false;

  /**
   * @param onEvents called with the events a message carries, or with null when the log
   *   should be read (a bare id, or back after an outage).
   */
  constructor(
    url: string,
    prefix: string,
    private readonly onEvents: (events: LiveEventRow[] | null) => void,
  ) {
    this.channel = `${prefix}live`;
    const options = { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: (times: number) => Math.min(times * 200, 2000) };
    this.pub = redisClient(url, options);
    this.sub = redisClient(url, { ...options, enableOfflineQueue: true });
    for (const client of [this.pub, this.sub]) client.on('error', () => (this.up = false));
    this.sub.on('close', () => (this.up = false));
    this.sub.on('ready', () => {
      this.sub.subscribe(this.channel).then(
        () => {
          this.up = true;
          // Back after an outage: whatever was published meanwhile is in the log.
          this.onEvents(null);
        },
        () => (this.up = false),
      );
    });
    this.sub.on('message', (_channel: string, message: string) => this.onEvents(parseMessage(message)));
  }

  get healthy(): boolean {
    return this.up && this.pub.status === 'ready';
  }

  async start(): Promise<void> {
    await Promise.allSettled([this.pub.connect(), this.sub.connect()]);
  }

  publish(event: LiveEventRow): void {
    if (this.pub.status !== 'ready') return;
    const whole = JSON.stringify(event);
    void this.pub.publish(this.channel, whole.length <= MAX_CARRIED_BYTES ? whole : String(event.id)).catch(() => (this.up = false));
  }

  close(): void {
    this.pub.disconnect();
    this.sub.disconnect();
  }
}

/** The event a message carries, or null (read the log) for a bare id or anything unexpected. */
function parseMessage(message: string): LiveEventRow[] | null {
  if (!message.startsWith('{')) return null;
  try {
    const e = JSON.parse(message) as Partial<LiveEventRow>;
    if (Number.isSafeInteger(e.id) && typeof e.channel === 'string' && typeof e.type === 'string' && typeof e.payload === 'string') {
      return [{ id: e.id!, channel: e.channel, type: e.type, payload: e.payload, created_at: Number(e.created_at ?? 0) }];
    }
  } catch {
    // fall through: read the log
  }
  return null;
}
