/**
 * Datelines: a timestamp shown in the site's time zone with the site's format.
 * The default format reproduces the legacy site: `Sat Jun 1, 2013 11:08:45`.
 *
 * Tokens: YYYY YY MMMM MMM MM M DD D dddd ddd HH H hh h mm ss A Z; text in [brackets]
 * is literal, and punctuation and spaces pass through.
 */
export const DEFAULT_DATELINE_FORMAT = 'ddd MMM D, YYYY HH:mm:ss';

const TOKENS = ['YYYY', 'YY', 'MMMM', 'MMM', 'MM', 'M', 'DD', 'D', 'dddd', 'ddd', 'HH', 'H', 'hh', 'h', 'mm', 'ss', 'A', 'Z'] as const;
type Token = (typeof TOKENS)[number];
type Part = { token: Token } | { literal: string };

/** Splits a format into tokens and literals; throws with a readable message when it is not valid. */
export function parseDatelineFormat(format: string): Part[] {
  const parts: Part[] = [];
  let i = 0;
  let tokens = 0;
  while (i < format.length) {
    const ch = format[i]!;
    if (ch === '[') {
      const end = format.indexOf(']', i);
      if (end < 0) throw new Error(`unclosed "[" at position ${i + 1}`);
      parts.push({ literal: format.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    const token = TOKENS.find((t) => format.startsWith(t, i));
    if (token) {
      parts.push({ token });
      tokens++;
      i += token.length;
      continue;
    }
    if (/[A-Za-z]/.test(ch)) throw new Error(`unknown token "${ch}" at position ${i + 1} (put literal text in [brackets])`);
    parts.push({ literal: ch });
    i++;
  }
  if (tokens === 0) throw new Error('the format has no date or time token');
  return parts;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

function formatOffset(offsetMinutes: number, separator: boolean): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${sign}${pad2(Math.floor(abs / 60))}${separator ? ':' : ''}${pad2(abs % 60)}`;
}

/** Checks that a time zone name is known to this runtime's ICU data. */
export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

interface LocalTime {
  year: number;
  month: number; // 0-11
  day: number;
  weekday: number; // 0 = Sunday
  hour: number;
  minute: number;
  second: number;
  offsetMinutes: number;
}

const OFFSET_BUCKET_MS = 15 * 60 * 1000;

/** Formats instants for one zone, format and locale; create once and reuse (Intl objects are costly). */
export class DatelineFormatter {
  private readonly parts: Part[];
  private readonly zoneFormat: Intl.DateTimeFormat;
  private readonly offsetCache = new Map<number, number>();
  private readonly monthsLong: string[];
  private readonly monthsShort: string[];
  private readonly weekdaysLong: string[];
  private readonly weekdaysShort: string[];

  constructor(
    readonly timeZone: string,
    readonly pattern: string = DEFAULT_DATELINE_FORMAT,
    readonly locale: string = 'en-US',
  ) {
    this.parts = parseDatelineFormat(pattern);
    this.zoneFormat = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    const names = (opts: Intl.DateTimeFormatOptions, dates: Date[]): string[] => {
      const f = new Intl.DateTimeFormat(locale, { ...opts, timeZone: 'UTC' });
      return dates.map((d) => f.format(d));
    };
    const months = Array.from({ length: 12 }, (_, m) => new Date(Date.UTC(2021, m, 15)));
    const days = Array.from({ length: 7 }, (_, d) => new Date(Date.UTC(2021, 0, 3 + d))); // 2021-01-03 was a Sunday
    this.monthsLong = names({ month: 'long' }, months);
    this.monthsShort = names({ month: 'short' }, months);
    this.weekdaysLong = names({ weekday: 'long' }, days);
    this.weekdaysShort = names({ weekday: 'short' }, days);
  }

  /** Offset of the zone from UTC at an instant, in minutes (cached per 15 minutes). */
  offsetMinutes(epochMs: number): number {
    const bucket = Math.floor(epochMs / OFFSET_BUCKET_MS);
    const cached = this.offsetCache.get(bucket);
    if (cached !== undefined) return cached;
    const at = bucket * OFFSET_BUCKET_MS;
    const p: Record<string, number> = {};
    for (const part of this.zoneFormat.formatToParts(new Date(at))) {
      if (part.type !== 'literal') p[part.type] = Number(part.value);
    }
    const asUtc = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
    const offset = Math.round((asUtc - at) / 60000);
    if (this.offsetCache.size > 10_000) this.offsetCache.clear();
    this.offsetCache.set(bucket, offset);
    return offset;
  }

  private local(epochMs: number): LocalTime {
    const offsetMinutes = this.offsetMinutes(epochMs);
    const d = new Date(epochMs + offsetMinutes * 60000);
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth(),
      day: d.getUTCDate(),
      weekday: d.getUTCDay(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
      offsetMinutes,
    };
  }

  /** The dateline text, e.g. `Sat Jun 1, 2013 11:08:45`. */
  format(epochMs: number): string {
    const t = this.local(epochMs);
    let out = '';
    for (const part of this.parts) {
      if ('literal' in part) {
        out += part.literal;
        continue;
      }
      switch (part.token) {
        case 'YYYY': out += String(t.year); break;
        case 'YY': out += pad2(t.year % 100); break;
        case 'MMMM': out += this.monthsLong[t.month]; break;
        case 'MMM': out += this.monthsShort[t.month]; break;
        case 'MM': out += pad2(t.month + 1); break;
        case 'M': out += String(t.month + 1); break;
        case 'DD': out += pad2(t.day); break;
        case 'D': out += String(t.day); break;
        case 'dddd': out += this.weekdaysLong[t.weekday]; break;
        case 'ddd': out += this.weekdaysShort[t.weekday]; break;
        case 'HH': out += pad2(t.hour); break;
        case 'H': out += String(t.hour); break;
        case 'hh': out += pad2(t.hour % 12 || 12); break;
        case 'h': out += String(t.hour % 12 || 12); break;
        case 'mm': out += pad2(t.minute); break;
        case 'ss': out += pad2(t.second); break;
        case 'A': out += t.hour < 12 ? 'AM' : 'PM'; break;
        case 'Z': out += formatOffset(t.offsetMinutes, true); break;
      }
    }
    return out;
  }

  /** ISO 8601 in the site's zone with its offset, for `<time datetime>`: `2013-06-01T11:08:45+04:30`. */
  iso(epochMs: number): string {
    const t = this.local(epochMs);
    return `${t.year}-${pad2(t.month + 1)}-${pad2(t.day)}T${pad2(t.hour)}:${pad2(t.minute)}:${pad2(t.second)}${formatOffset(t.offsetMinutes, true)}`;
  }
}
