import { Redis } from 'ioredis';

/**
 * "The live log has new events" between app processes over Redis pub/sub. A message
 * carries only the newest event id: each process's hub then reads the log once, so a
 * lost message costs at most the hub's safety poll, never an event.
 */
export class RedisLiveBus {
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly channel: string;
  private up = false;

  constructor(
    url: string,
    prefix: string,
    private readonly onEvents: (lastId: number) => void,
  ) {
    this.channel = `${prefix}live`;
    const options = { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: (times: number) => Math.min(times * 200, 2000) };
    this.pub = new Redis(url, options);
    this.sub = new Redis(url, { ...options, enableOfflineQueue: true });
    for (const client of [this.pub, this.sub]) client.on('error', () => (this.up = false));
    this.sub.on('close', () => (this.up = false));
    this.sub.on('ready', () => {
      this.sub.subscribe(this.channel).then(
        () => {
          this.up = true;
          // Back after an outage: whatever was published meanwhile is in the log.
          this.onEvents(0);
        },
        () => (this.up = false),
      );
    });
    this.sub.on('message', (_channel: string, message: string) => {
      const id = Number(message);
      if (Number.isSafeInteger(id)) this.onEvents(id);
    });
  }

  get healthy(): boolean {
    return this.up && this.pub.status === 'ready';
  }

  async start(): Promise<void> {
    await Promise.allSettled([this.pub.connect(), this.sub.connect()]);
  }

  publish(lastId: number): void {
    if (this.pub.status === 'ready') void this.pub.publish(this.channel, String(lastId)).catch(() => (this.up = false));
  }

  close(): void {
    this.pub.disconnect();
    this.sub.disconnect();
  }
}
