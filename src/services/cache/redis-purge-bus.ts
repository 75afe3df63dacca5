import type { Redis } from 'ioredis';
import { redisClient } from '../redis-client.js';

export interface PurgeBusLog {
  (level: 'info' | 'warn', message: string): void;
}

/**
 * Purges fanned out to every app process over Redis pub/sub. While Redis is away the
 * bus says so once, reports itself down (the caller then purges from the database's
 * purge log), and reconnects by itself.
 */
export class RedisPurgeBus {
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly channel: string;
  private up = false;
  private saidDown = false;
  private closed = false;
  onUp: () => void = () => {};

  constructor(
    url: string,
    prefix: string,
    private readonly origin: string,
    private readonly onKeys: (keys: string[]) => void,
    private readonly log: PurgeBusLog,
  ) {
    this.channel = `${prefix}purge`;
    const options = {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      retryStrategy: (times: number) => Math.min(times * 200, 2000),
    };
    this.pub = redisClient(url, options);
    this.sub = redisClient(url, { ...options, enableOfflineQueue: true });
    for (const client of [this.pub, this.sub]) client.on('error', () => this.down());
    this.sub.on('close', () => this.down());
    this.sub.on('ready', () => void this.ready());
    this.sub.on('message', (_channel: string, message: string) => {
      try {
        const m = JSON.parse(message) as { origin?: string; keys?: unknown };
        if (m.origin !== this.origin && Array.isArray(m.keys)) this.onKeys(m.keys.filter((k): k is string => typeof k === 'string'));
      } catch {
        // Not one of ours: ignore.
      }
    });
  }

  async start(): Promise<void> {
    await Promise.allSettled([this.pub.connect(), this.sub.connect()]);
  }

  private async ready(): Promise<void> {
    try {
      await this.sub.subscribe(this.channel);
      this.up = true;
      if (this.saidDown) this.log('info', 'Redis is back: purges fan out over it again');
      this.saidDown = false;
      this.onUp();
    } catch {
      this.down();
    }
  }

  private down(): void {
    if (this.closed) return;
    this.up = false;
    if (!this.saidDown) {
      this.saidDown = true;
      this.log('warn', 'Redis is unreachable: serving on, purging from the database purge log until it is back');
    }
  }

  get healthy(): boolean {
    return this.up && this.pub.status === 'ready';
  }

  async publish(keys: string[]): Promise<void> {
    if (!this.healthy) return;
    await this.pub.publish(this.channel, JSON.stringify({ origin: this.origin, keys })).catch(() => this.down());
  }

  /** For /readyz. */
  async ping(): Promise<void> {
    await this.pub.ping();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.pub.disconnect();
    this.sub.disconnect();
  }
}
