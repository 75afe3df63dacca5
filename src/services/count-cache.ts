/**
 * A memo of counts (document frequencies of terms, tags, entities) read in batches:
 * related lists need hundreds of them per article, and they change slowly. Entries
 * expire after `ttlMs`; the owner clears the memo when the index changes, so a
 * publish is reflected at once. Bounded: when full, it starts over.
 */
export class CountCache<K> {
  private counts = new Map<K, number>();
  private since = 0;

  constructor(
    private readonly fetch: (keys: K[]) => Promise<Map<K, number>>,
    private readonly ttlMs = 60_000,
    private readonly maxEntries = 500_000,
  ) {}

  /** Counts of `keys` (0 for unknown keys), fetching the missing ones in one batch. */
  async get(keys: Iterable<K>): Promise<Map<K, number>> {
    const now = Date.now();
    if (now - this.since > this.ttlMs || this.counts.size > this.maxEntries) this.clear(now);
    const out = new Map<K, number>();
    const missing: K[] = [];
    for (const k of keys) {
      if (out.has(k)) continue;
      const n = this.counts.get(k);
      if (n === undefined) missing.push(k);
      else out.set(k, n);
    }
    if (missing.length) {
      const fetched = await this.fetch([...new Set(missing)]);
      for (const k of missing) {
        const n = fetched.get(k) ?? 0;
        this.counts.set(k, n);
        out.set(k, n);
      }
    }
    return out;
  }

  clear(now = Date.now()): void {
    this.counts = new Map();
    this.since = now;
  }
}
