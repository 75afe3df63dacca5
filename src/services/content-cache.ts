import type { Clock } from './clock.js';

interface Entry {
  version: number;
  expires: number;
  value: unknown;
}

/**
 * A small in-process cache of assembled content (an article with its related list,
 * the home page's lists), not of pages: every request still renders. An entry is used
 * only while the database's content version (bumped by triggers on every content
 * write, from any process) is unchanged and for at most `ttlMs`, which bounds how
 * late time-based visibility (embargoes, scheduled times) can show. Values are
 * shared between requests and must not be mutated.
 */
export class ContentCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly readVersion: () => Promise<number>,
    private readonly ttlMs: number,
    private readonly clock: Clock,
    private readonly maxEntries = 5000,
  ) {}

  get enabled(): boolean {
    return this.ttlMs > 0;
  }

  /** The current value for `key`, loading (and keeping) it when missing or stale. Failures are not kept. */
  async get<T>(key: string, load: () => Promise<T>): Promise<T> {
    if (!this.enabled) return load();
    const version = await this.readVersion();
    const now = this.clock();
    const entry = this.entries.get(key);
    if (entry && entry.version === version && entry.expires > now) return entry.value as T;
    const value = await load();
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) {
      // Maps iterate in insertion order: drop the oldest eighth.
      let drop = Math.ceil(this.maxEntries / 8);
      for (const k of this.entries.keys()) {
        this.entries.delete(k);
        if (--drop === 0) break;
      }
    }
    this.entries.set(key, { version, expires: now + this.ttlMs, value });
    return value;
  }

  clear(): void {
    this.entries.clear();
  }
}
