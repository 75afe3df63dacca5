/**
 * Reading a labelled corpus for `npm run eval:related`: one JSON object a line,
 * tolerant of what real corpora hold (string or numeric ids, dates in ISO 8601,
 * `DD/MM/YYYY`, RFC 822 or Reuters' `26-FEB-1987 15:01:01.79`, missing titles or
 * bodies), and the tune/test split of its labelled documents.
 */

export interface EvalTag {
  kind: 'topic' | 'person' | 'organisation' | 'place';
  name: string;
}

export interface EvalDoc {
  /** The corpus's own id, as written (numbers and strings alike). */
  key: string;
  title: string;
  body: string;
  labels: string[];
  language: string;
  at: number;
  tags: EvalTag[];
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function utc(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number | null {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return null;
  const t = Date.UTC(y, mo - 1, d, h, mi, s);
  // 31/02 would roll over into March: not a date.
  return new Date(t).getUTCDate() === d ? t : null;
}

/**
 * A date in any of the formats news corpora use, as epoch ms (UTC when no zone is
 * given), or null when it cannot be read. Slashed dates are day first (`05/03/2017`
 * is 5 March), as in the Arabic, French and British sources such corpora come from.
 */
export function parseCorpusDate(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value > 1e11 ? value : value * 1000;
  if (typeof value !== 'string') return null;
  const s = value.trim();
  if (!s) return null;
  // DD/MM/YYYY, D.M.YYYY or DD-MM-YYYY, optionally with a time.
  let m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T,]+(\d{1,2}):(\d\d)(?::(\d\d))?)?$/.exec(s);
  if (m) return utc(+m[3]!, +m[2]!, +m[1]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  // Reuters-21578: 26-FEB-1987 15:01:01.79
  m = /^(\d{1,2})-([a-z]{3})-(\d{4})(?:\s+(\d\d):(\d\d):(\d\d))?/i.exec(s);
  if (m) {
    const mo = MONTHS.indexOf(m[2]!.toLowerCase()) + 1;
    return mo ? utc(+m[3]!, mo, +m[1]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0)) : null;
  }
  // A bare ISO date is UTC midnight already; ISO date-times without a zone are read as UTC.
  m = /^(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d)(?:\.\d+)?)?)?$/.exec(s);
  if (m) return utc(+m[1]!, +m[2]!, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  // ISO with a zone, RFC 822 / RFC 2822 ("Tue, 25 Nov 2016 10:00:00 +0100", "25 Nov 2016 10:00 GMT").
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : t;
}

function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((x) => x !== null && x !== undefined && String(x).trim()).map((x) => String(x).trim());
  if (typeof value === 'string' && value.trim()) return [value.trim()];
  return [];
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : value === null || value === undefined ? '' : String(value);
}

/**
 * Parses a JSON-lines corpus. Labels come from `labels` (or Reuters' `topics`); tags
 * from `tags` (topics), `places`, `people` and `orgs`. A line without a readable date
 * gets one a minute after the previous document's; a line without an id gets its line
 * number. Lines that are not JSON objects, or have neither title nor body, are
 * skipped and counted.
 */
export function parseCorpus(content: string): { docs: EvalDoc[]; skipped: number } {
  const docs: EvalDoc[] = [];
  const seen = new Set<string>();
  let skipped = 0;
  let last = Date.UTC(2020, 0, 1);
  for (const [i, line] of content.split('\n').entries()) {
    if (!line.trim()) continue;
    let r: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(line);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      r = parsed as Record<string, unknown>;
    } catch {
      skipped++;
      continue;
    }
    const title = text(r.title ?? r.headline).trim();
    const body = text(r.body ?? r.text).trim();
    let key = r.id === undefined || r.id === null || r.id === '' ? `line-${i + 1}` : String(r.id);
    if (!title && !body) {
      skipped++;
      continue;
    }
    if (seen.has(key)) key = `${key}#line-${i + 1}`;
    seen.add(key);
    const at = parseCorpusDate(r.date) ?? last + 60_000;
    last = at;
    docs.push({
      key,
      title,
      body,
      labels: [...new Set(r.labels !== undefined ? list(r.labels) : list(r.topics))],
      language: typeof r.language === 'string' && r.language.trim() ? r.language.trim() : 'en',
      at,
      tags: [
        ...list(r.places).map((name) => ({ kind: 'place' as const, name })),
        ...list(r.people).map((name) => ({ kind: 'person' as const, name })),
        ...list(r.orgs).map((name) => ({ kind: 'organisation' as const, name })),
        ...list(r.tags).map((name) => ({ kind: 'topic' as const, name })),
      ],
    });
  }
  return { docs, skipped };
}

/**
 * The query documents: the labelled documents of a split (they alternate, in file
 * order, between `tune`, the 0th, 2nd, …, and `test`), then `queries` of them spread
 * evenly (`'all'`, or a number: more than the split holds takes them all).
 */
export function pickQueries<T extends { labels: string[] }>(docs: T[], split: string, queries: string): T[] {
  if (!['all', 'tune', 'test'].includes(split)) throw new Error(`--split must be all, tune or test, not "${split}"`);
  const labelled = docs.filter((d) => d.labels.length).filter((_, i) => split === 'all' || i % 2 === (split === 'tune' ? 0 : 1));
  if (queries === 'all') return labelled;
  const n = Number(queries);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--queries must be a positive whole number or all, not "${queries}"`);
  const wanted = Math.min(labelled.length, n);
  const step = labelled.length / wanted;
  return Array.from({ length: wanted }, (_, i) => labelled[Math.floor(i * step)]!);
}
