import { promisify } from 'node:util';
import { brotliCompress, constants as zlibConstants, gzip } from 'node:zlib';
import { LRUCache } from 'lru-cache';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** Bodies smaller than this are served as they are: compression would save too little. */
const MIN_COMPRESS_BYTES = 512;

export interface PageCacheOptions {
  /** Upper bound of the bytes kept (bodies and their compressed copies). */
  maxBytes: number;
  /** How long an entry is fresh without a purge (it is purged at once on a change). */
  ttlMs: number;
  /** After that, how long it may still be served while a fresh copy is made in the background. */
  staleWhileRevalidateMs: number;
  /** After that, how long it may still be served when making a fresh copy fails. */
  staleIfErrorMs: number;
  clock?: () => number;
}

/** One stored response, with its pre-compressed copies and ready-made header sets. */
export interface CachedPage {
  readonly key: string;
  readonly status: number;
  readonly etag: string;
  readonly surrogateKeys: readonly string[];
  readonly storedAt: number;
  readonly freshUntil: number;
  readonly staleUntil: number;
  readonly errorUntil: number;
  readonly identity: Buffer;
  br?: Buffer;
  gzip?: Buffer;
  /** Headers shared by every encoding (no content-length / content-encoding). */
  readonly headers: Record<string, string>;
  size: number;
}

export type Freshness = 'fresh' | 'stale' | 'error-only';

export interface PageCacheStats {
  hits: number;
  misses: number;
  staleServed: number;
  stores: number;
  purgedEntries: number;
  purgedKeys: number;
  evictions: number;
}

/**
 * Whole responses (pages, feeds, sitemaps, API JSON) kept in this process, bounded in
 * bytes with least-recently-used eviction, indexed by the surrogate keys each names,
 * and stored pre-compressed (brotli and gzip). A purge of a key drops exactly the
 * entries naming it. Renders that began before a purge of one of their keys are not
 * stored, so a slow render never puts back what a publish just purged.
 */
export class PageCache {
  private readonly lru: LRUCache<string, CachedPage>;
  private readonly byKey = new Map<string, Set<string>>();
  /** Purge sequence: every purge takes the next number. */
  private seq = 0;
  private readonly purgedAt = new Map<string, number>();
  /** Renders that began before this sequence are never stored (after the purge map was trimmed). */
  private floorSeq = 0;
  readonly stats: PageCacheStats = { hits: 0, misses: 0, staleServed: 0, stores: 0, purgedEntries: 0, purgedKeys: 0, evictions: 0 };
  private readonly clock: () => number;

  constructor(readonly options: PageCacheOptions) {
    this.clock = options.clock ?? Date.now;
    this.lru = new LRUCache<string, CachedPage>({
      maxSize: options.maxBytes,
      sizeCalculation: (e) => Math.max(1, e.size),
      dispose: (entry, key, reason) => {
        if (reason === 'evict') this.stats.evictions++;
        for (const sk of entry.surrogateKeys) {
          const set = this.byKey.get(sk);
          if (!set) continue;
          set.delete(key);
          if (set.size === 0) this.byKey.delete(sk);
        }
      },
    });
  }

  /** The sequence number a render takes when it starts (see `store`). */
  begin(): number {
    return this.seq;
  }

  /** The entry for a cache key with how usable it is now, or undefined when missing or past every window. */
  lookup(key: string): { entry: CachedPage; freshness: Freshness } | undefined {
    const entry = this.lru.get(key);
    if (!entry) return undefined;
    const now = this.clock();
    if (now < entry.freshUntil) return { entry, freshness: 'fresh' };
    if (now < entry.staleUntil) return { entry, freshness: 'stale' };
    if (now < entry.errorUntil) return { entry, freshness: 'error-only' };
    this.lru.delete(key);
    return undefined;
  }

  /**
   * Keeps a response. `startedSeq` is what `begin()` returned when its render started:
   * when one of its keys was purged since, the response may already be stale and is
   * dropped. Returns the entry, or null when not stored.
   */
  store(
    key: string,
    response: { status: number; body: Buffer; etag: string; headers: Record<string, string>; surrogateKeys: readonly string[] },
    startedSeq: number,
  ): CachedPage | null {
    if (startedSeq < this.floorSeq) return null;
    for (const sk of response.surrogateKeys) {
      if ((this.purgedAt.get(sk) ?? -1) > startedSeq) return null;
    }
    const now = this.clock();
    const o = this.options;
    const entry: CachedPage = {
      key,
      status: response.status,
      etag: response.etag,
      surrogateKeys: [...new Set(response.surrogateKeys)],
      storedAt: now,
      freshUntil: now + o.ttlMs,
      staleUntil: now + o.ttlMs + o.staleWhileRevalidateMs,
      errorUntil: now + o.ttlMs + o.staleWhileRevalidateMs + o.staleIfErrorMs,
      identity: response.body,
      headers: response.headers,
      size: response.body.length + 512,
    };
    if (entry.size > o.maxBytes / 4) return null;
    this.lru.set(key, entry);
    for (const sk of entry.surrogateKeys) {
      let set = this.byKey.get(sk);
      if (!set) this.byKey.set(sk, (set = new Set()));
      set.add(key);
    }
    this.stats.stores++;
    if (response.body.length >= MIN_COMPRESS_BYTES) void this.compress(entry);
    return entry;
  }

  /** Adds brotli and gzip copies off the event loop (zlib's thread pool). */
  private async compress(entry: CachedPage): Promise<void> {
    try {
      const [br, gz] = await Promise.all([
        brotli(entry.identity, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 6, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: entry.identity.length } }),
        gzipAsync(entry.identity, { level: 6 }),
      ]);
      // Purged or replaced meanwhile: nothing to add to.
      if (this.lru.peek(entry.key) !== entry) return;
      entry.br = br;
      entry.gzip = gz;
      entry.size += br.length + gz.length;
      this.lru.set(entry.key, entry); // re-account its size
    } catch {
      // Compression failure: the identity copy still serves.
    }
  }

  /** Drops every entry naming one of `keys`; returns how many were dropped. */
  purge(keys: Iterable<string>): number {
    const seq = ++this.seq;
    let dropped = 0;
    for (const sk of keys) {
      this.purgedAt.set(sk, seq);
      this.stats.purgedKeys++;
      const set = this.byKey.get(sk);
      if (!set) continue;
      for (const cacheKey of [...set]) {
        if (this.lru.delete(cacheKey)) dropped++;
      }
    }
    if (this.purgedAt.size > 100_000) {
      this.purgedAt.clear();
      this.floorSeq = seq;
    }
    this.stats.purgedEntries += dropped;
    return dropped;
  }

  /** Drops everything (a process that may have missed purges). */
  clear(): number {
    const n = this.lru.size;
    this.floorSeq = ++this.seq;
    this.purgedAt.clear();
    this.lru.clear();
    this.stats.purgedEntries += n;
    return n;
  }

  /** Whether an entry for this cache key is kept (any freshness). */
  has(key: string): boolean {
    return this.lru.has(key);
  }

  get entryCount(): number {
    return this.lru.size;
  }

  get bytes(): number {
    return this.lru.calculatedSize;
  }
}
