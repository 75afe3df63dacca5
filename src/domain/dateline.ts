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
const DAY_MS = 86_400_000;

/** Calendars a dateline can use (Unicode calendar names, as `Intl` takes them). */
export const DATELINE_CALENDARS = ['gregory', 'persian', 'islamic-umalqura', 'islamic-civil'] as const;
export type DatelineCalendar = (typeof DATELINE_CALENDARS)[number];

/** Digit sets: Latin 0-9, Arabic-Indic ٠-٩, Persian (extended Arabic-Indic) ۰-۹. */
export const DATELINE_DIGITS = ['latin', 'arabic', 'persian'] as const;
export type DatelineDigits = (typeof DATELINE_DIGITS)[number];
const DIGIT_ZERO: Record<DatelineDigits, number> = { latin: 0x30, arabic: 0x660, persian: 0x6f0 };

/** How one language writes datelines. */
export interface DatelineStyle {
  calendar: DatelineCalendar;
  digits: DatelineDigits;
  /** Token pattern (see the top of this file); months and years are in `calendar`. */
  pattern: string;
}

/**
 * What a reader of each language expects unless configured otherwise: English keeps the
 * legacy `Sat Jun 1, 2013 11:08:45` (the site's DATELINE_FORMAT); Persian reads the Solar
 * Hijri calendar in Persian digits (`دوشنبه ۲ آذر ۱۴۰۵، ۱۲:۳۰`); Arabic the Gregorian
 * calendar with Arabic month names (`الاثنين 23 نوفمبر 2026 12:30`); Hijri and
 * Arabic-Indic digits are options.
 */
export function defaultDatelineStyle(language: string, sitePattern: string = DEFAULT_DATELINE_FORMAT): DatelineStyle {
  switch (language.split('-')[0]) {
    case 'fa':
      return { calendar: 'persian', digits: 'persian', pattern: 'dddd D MMMM YYYY[،] HH:mm' };
    case 'ar':
      return { calendar: 'gregory', digits: 'latin', pattern: 'dddd D MMMM YYYY HH:mm' };
    default:
      return { calendar: 'gregory', digits: 'latin', pattern: sitePattern };
  }
}

/** Rewrites ASCII digits in another digit set. */
export function localizeDigits(text: string, digits: DatelineDigits): string {
  if (digits === 'latin') return text;
  const zero = DIGIT_ZERO[digits];
  return text.replace(/[0-9]/g, (d) => String.fromCharCode(zero + d.charCodeAt(0) - 0x30));
}

interface CalendarDate {
  year: number;
  month: number; // 0-based in the calendar
  day: number;
  monthLong: string;
  monthShort: string;
}

/** Formats instants for one zone, format and locale; create once and reuse (Intl objects are costly). */
export class DatelineFormatter {
  private readonly parts: Part[];
  private readonly zoneFormat: Intl.DateTimeFormat;
  private readonly offsetCache = new Map<number, number>();
  private readonly monthsLong: string[];
  private readonly monthsShort: string[];
  private readonly weekdaysLong: string[];
  private readonly weekdaysShort: string[];

  private readonly calendarParts: Intl.DateTimeFormat | null = null;
  private readonly calendarMonthLong: Intl.DateTimeFormat | null = null;
  private readonly calendarMonthShort: Intl.DateTimeFormat | null = null;
  private readonly calendarDays = new Map<number, CalendarDate>();

  /**
   * @param locale language for month and day names, e.g. `fa` or `en-US`
   * @param calendar the calendar of years, months and days (`gregory` keeps the fast path)
   * @param digits the digit set numbers are written in
   */
  constructor(
    readonly timeZone: string,
    readonly pattern: string = DEFAULT_DATELINE_FORMAT,
    readonly locale: string = 'en-US',
    readonly calendar: DatelineCalendar = 'gregory',
    readonly digits: DatelineDigits = 'latin',
  ) {
    this.parts = parseDatelineFormat(pattern);
    if (calendar !== 'gregory') {
      // Year, month, day and month names all from ICU in one calendar, so they agree.
      const base = `${locale.split('-u-')[0]}-u-ca-${calendar}-nu-latn`;
      this.calendarParts = new Intl.DateTimeFormat(base, { timeZone: 'UTC', year: 'numeric', month: 'numeric', day: 'numeric' });
      this.calendarMonthLong = new Intl.DateTimeFormat(base, { timeZone: 'UTC', month: 'long' });
      this.calendarMonthShort = new Intl.DateTimeFormat(base, { timeZone: 'UTC', month: 'short' });
    }
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
    // Gregorian names explicitly: a Persian locale's own default calendar is Solar Hijri,
    // which once printed Persian month names beside Gregorian days and years.
    const gregorian = `${locale.split('-u-')[0]}-u-ca-gregory-nu-latn`;
    const names = (opts: Intl.DateTimeFormatOptions, dates: Date[]): string[] => {
      const f = new Intl.DateTimeFormat(gregorian, { ...opts, timeZone: 'UTC' });
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

  /** The local day (as a UTC-midnight instant) in this formatter's calendar, cached per day. */
  private calendarDate(localDayStart: number): CalendarDate {
    const key = localDayStart / DAY_MS;
    let c = this.calendarDays.get(key);
    if (!c) {
      const at = new Date(localDayStart + DAY_MS / 2);
      const p: Record<string, number> = {};
      for (const part of this.calendarParts!.formatToParts(at)) if (part.type !== 'literal') p[part.type] = Number(part.value);
      c = { year: p.year!, month: p.month! - 1, day: p.day!, monthLong: this.calendarMonthLong!.format(at), monthShort: this.calendarMonthShort!.format(at) };
      if (this.calendarDays.size > 10_000) this.calendarDays.clear();
      this.calendarDays.set(key, c);
    }
    return c;
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
    const c: CalendarDate = this.calendarParts
      ? this.calendarDate(Date.UTC(t.year, t.month, t.day))
      : { year: t.year, month: t.month, day: t.day, monthLong: this.monthsLong[t.month]!, monthShort: this.monthsShort[t.month]! };
    let out = '';
    for (const part of this.parts) {
      if ('literal' in part) {
        out += part.literal;
        continue;
      }
      let v: string;
      switch (part.token) {
        case 'YYYY': v = String(c.year); break;
        case 'YY': v = pad2(c.year % 100); break;
        case 'MMMM': v = c.monthLong; break;
        case 'MMM': v = c.monthShort; break;
        case 'MM': v = pad2(c.month + 1); break;
        case 'M': v = String(c.month + 1); break;
        case 'DD': v = pad2(c.day); break;
        case 'D': v = String(c.day); break;
        case 'dddd': v = this.weekdaysLong[t.weekday]!; break;
        case 'ddd': v = this.weekdaysShort[t.weekday]!; break;
        case 'HH': v = pad2(t.hour); break;
        case 'H': v = String(t.hour); break;
        case 'hh': v = pad2(t.hour % 12 || 12); break;
        case 'h': v = String(t.hour % 12 || 12); break;
        case 'mm': v = pad2(t.minute); break;
        case 'ss': v = pad2(t.second); break;
        case 'A': v = t.hour < 12 ? 'AM' : 'PM'; break;
        case 'Z': v = formatOffset(t.offsetMinutes, true); break;
      }
      out += this.digits === 'latin' ? v : localizeDigits(v, this.digits);
    }
    return out;
  }

  /** ISO 8601 in the site's zone with its offset, for `<time datetime>`: `2013-06-01T11:08:45+04:30`. */
  iso(epochMs: number): string {
    const t = this.local(epochMs);
    return `${t.year}-${pad2(t.month + 1)}-${pad2(t.day)}T${pad2(t.hour)}:${pad2(t.minute)}:${pad2(t.second)}${formatOffset(t.offsetMinutes, true)}`;
  }
}
