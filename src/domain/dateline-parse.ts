import { DatelineFormatter, parseDatelineFormat } from './dateline.js';

/**
 * Reading datelines back: the legacy site printed `Sat Jun 1, 2013 11:08:45` in its own
 * zone; importing turns that text into an instant with the same pattern language as
 * `DatelineFormatter` (English month and day names).
 */
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

const TOKEN_PATTERNS: Record<string, string> = {
  YYYY: '(\\d{4})',
  YY: '(\\d{2})',
  MMMM: '([A-Za-z]+)',
  MMM: '([A-Za-z]{3,4}\\.?)',
  MM: '(\\d{2})',
  M: '(\\d{1,2})',
  DD: '(\\d{2})',
  D: '(\\d{1,2})',
  dddd: '[A-Za-z]+',
  ddd: '[A-Za-z]{2,4}\\.?',
  HH: '(\\d{2})',
  H: '(\\d{1,2})',
  hh: '(\\d{2})',
  h: '(\\d{1,2})',
  mm: '(\\d{2})',
  ss: '(\\d{2})',
  A: '([AaPp][Mm])',
  Z: '([+-]\\d{2}:?\\d{2}|Z)',
};

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A compiled pattern that finds and reads datelines in one zone; create once per import. */
export class DatelineParser {
  private readonly regex: RegExp;
  private readonly fields: string[] = [];
  private readonly zone: DatelineFormatter;

  constructor(readonly timeZone: string, readonly pattern: string) {
    let source = '';
    for (const part of parseDatelineFormat(pattern)) {
      if ('literal' in part) {
        source += part.literal.trim() === '' ? '\\s+' : escape(part.literal).replace(/\s+/g, '\\s+');
        continue;
      }
      source += TOKEN_PATTERNS[part.token]!;
      if (TOKEN_PATTERNS[part.token]!.startsWith('(')) this.fields.push(part.token);
    }
    this.regex = new RegExp(`^\\s*${source}\\s*$`);
    this.zone = new DatelineFormatter(timeZone, pattern);
  }

  /** The instant a whole line names, or null when the line is not a dateline in this pattern. */
  parse(line: string): number | null {
    const m = this.regex.exec(line);
    if (!m) return null;
    let year = 0, month = 0, day = 1, hour = 0, minute = 0, second = 0;
    let pm: boolean | null = null;
    let offset: number | null = null;
    this.fields.forEach((token, i) => {
      const v = m[i + 1]!;
      switch (token) {
        case 'YYYY': year = Number(v); break;
        case 'YY': year = 2000 + Number(v) - (Number(v) > 69 ? 100 : 0); break;
        case 'MMMM': case 'MMM': month = MONTHS.indexOf(v.slice(0, 3).toLowerCase()); break;
        case 'MM': case 'M': month = Number(v) - 1; break;
        case 'DD': case 'D': day = Number(v); break;
        case 'HH': case 'H': case 'hh': case 'h': hour = Number(v); break;
        case 'mm': minute = Number(v); break;
        case 'ss': second = Number(v); break;
        case 'A': pm = v.toLowerCase() === 'pm'; break;
        case 'Z': offset = v === 'Z' ? 0 : (v[0] === '-' ? -1 : 1) * (Number(v.slice(1, 3)) * 60 + Number(v.slice(-2))); break;
      }
    });
    if (pm !== null) hour = (hour % 12) + (pm ? 12 : 0);
    if (month < 0 || month > 11 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return null;
    const wall = Date.UTC(year, month, day, hour, minute, second);
    if (new Date(wall).getUTCDate() !== day) return null;
    if (offset !== null) return wall - offset * 60_000;
    return this.wallToInstant(wall);
  }

  /** The instant whose wall-clock time in the zone is `wall`; the earlier one in a DST overlap. */
  private wallToInstant(wall: number): number {
    let guess = wall - this.zone.offsetMinutes(wall) * 60_000;
    for (let i = 0; i < 3; i++) {
      const next = wall - this.zone.offsetMinutes(guess) * 60_000;
      if (next === guess) break;
      guess = next;
    }
    return guess;
  }
}
