import { words } from './text-analysis.js';

/**
 * Boilerplate lines: a paragraph that recurs word for word in many stories ("A daily
 * round-up of the national news, brought to you by …", "(archive photo)", a desk's
 * sign-off) says nothing about any one story, yet would make every story carrying it
 * look related. The engine counts lines over the whole archive when it rebuilds the
 * index and leaves the frequent ones out of index text: a rule computed from the
 * archive, not a list of any source's lines.
 */

/** A line must recur in at least this many stories… */
export const BOILERPLATE_MIN_STORIES = 5;
/** …and in at least this share of the archive (0.2%: 10 of 5,000 stories, 2,000 of 1M). */
export const BOILERPLATE_MIN_SHARE = 0.002;
/** Most boilerplate lines remembered (the commonest): bounds what the index state holds. */
export const BOILERPLATE_MAX_LINES = 2000;

/** Stable 53-bit hash (cyrb53) of a normalized line, in base 36: the index state stores hashes, not text. */
function hash(s: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/** The key of a line: its normalized words (punctuation, case, tashkeel and spacing do not matter), or null for a line without words. */
export function lineKey(line: string): string | null {
  const w = words(line);
  return w.length ? hash(w.join(' ')) : null;
}

/** Distinct line keys of a body text (lines are the paragraphs `htmlToText` separates). */
function lineKeys(text: string): Set<string> {
  const keys = new Set<string>();
  for (const line of text.split('\n')) {
    const k = lineKey(line);
    if (k) keys.add(k);
  }
  return keys;
}

/**
 * Counts, over an archive, how many stories carry each line, in bounded memory: the
 * Misra–Gries summary keeps `capacity` counters, and every line recurring in more than
 * lines/capacity stories survives with its count short by at most that much (a million
 * stories hold some ten million lines; 50,000 counters find every line in 0.02% of the
 * lines, ten times finer than the threshold).
 */
export class BoilerplateCounter {
  private readonly counts = new Map<string, number>();
  private stories = 0;

  constructor(private readonly capacity = 50_000) {}

  add(bodyText: string): void {
    this.stories++;
    for (const k of lineKeys(bodyText)) {
      const n = this.counts.get(k);
      if (n !== undefined) this.counts.set(k, n + 1);
      else if (this.counts.size < this.capacity) this.counts.set(k, 1);
      else {
        // The new line and one of every counted line cancel out.
        for (const [key, c] of this.counts) {
          if (c <= 1) this.counts.delete(key);
          else this.counts.set(key, c - 1);
        }
      }
    }
  }

  /** The lines recurring in enough stories to be boilerplate, commonest first. */
  boilerplate(): string[] {
    const min = Math.max(BOILERPLATE_MIN_STORIES, Math.ceil(this.stories * BOILERPLATE_MIN_SHARE));
    return [...this.counts]
      .filter(([, n]) => n >= min) // a lower bound: a line at the edge may be missed, never one below it taken
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, BOILERPLATE_MAX_LINES)
      .map(([k]) => k);
  }
}

/** A body text without its boilerplate lines. */
export function stripBoilerplate(text: string, boilerplate: ReadonlySet<string>): string {
  if (!boilerplate.size) return text;
  return text
    .split('\n')
    .filter((line) => {
      const k = lineKey(line);
      return !k || !boilerplate.has(k);
    })
    .join('\n');
}
