import { DATELINE_CALENDARS, DATELINE_DIGITS, parseDatelineFormat, type DatelineStyle } from '../domain/dateline.js';
import { canonicalLanguage } from '../domain/language.js';

/** Per-language dateline overrides: `{"fa": {"calendar": "persian", "digits": "latin"}, "ar": {"calendar": "islamic-umalqura"}}`. */
export type DatelineStyles = Record<string, Partial<DatelineStyle>>;

/** Parses DATELINE_STYLES (JSON); each problem named so an operator can fix it. */
export function parseDatelineStyles(raw: string): DatelineStyles {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error(`must be JSON such as {"fa":{"calendar":"persian","digits":"persian"}} (got ${JSON.stringify(raw)})`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('must be a JSON object keyed by language (en, ar, fa, …)');
  const out: DatelineStyles = {};
  for (const [lang, value] of Object.entries(parsed as Record<string, unknown>)) {
    const language = canonicalLanguage(lang);
    if (!language) throw new Error(`"${lang}" is not a BCP 47 language tag`);
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${lang}: must be an object with calendar, digits and/or pattern`);
    const style: Partial<DatelineStyle> = {};
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      if (key === 'calendar') {
        if (!(DATELINE_CALENDARS as readonly unknown[]).includes(v)) throw new Error(`${lang}.calendar must be one of ${DATELINE_CALENDARS.join(', ')} (got ${JSON.stringify(v)})`);
        style.calendar = v as DatelineStyle['calendar'];
      } else if (key === 'digits') {
        if (!(DATELINE_DIGITS as readonly unknown[]).includes(v)) throw new Error(`${lang}.digits must be one of ${DATELINE_DIGITS.join(', ')} (got ${JSON.stringify(v)})`);
        style.digits = v as DatelineStyle['digits'];
      } else if (key === 'pattern') {
        if (typeof v !== 'string') throw new Error(`${lang}.pattern must be a string such as "dddd D MMMM YYYY HH:mm"`);
        try {
          parseDatelineFormat(v);
        } catch (err) {
          throw new Error(`${lang}.pattern is not a valid dateline pattern: ${(err as Error).message}`);
        }
        style.pattern = v;
      } else {
        throw new Error(`${lang}: unknown key "${key}" (known: calendar, digits, pattern)`);
      }
    }
    out[language.split('-')[0]!] = style;
  }
  return out;
}
