import { readFileSync } from 'node:fs';

/**
 * Interface strings of the public site: one message catalog per language
 * (`messages/{language}.json`), plain strings plus plural messages chosen with
 * `Intl.PluralRules` (Arabic has six forms: zero, one, two, few, many, other).
 * `{name}` placeholders are filled by `fill`; counts are written in the language's digits.
 */
type Catalog = typeof import('./messages/en.json');
export type StringKey = keyof Catalog['strings'];
export type PluralKey = keyof Catalog['plurals'];
export type ProblemKey = keyof Catalog['problems'];
export type TermKey = keyof Catalog['terms'];
export type UiStrings = { readonly [K in StringKey]: string };
type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

interface LoadedCatalog {
  language: string;
  strings: Record<string, string>;
  plurals: Record<string, PluralForms>;
  /** Content type labels by type name (types an operator adds show their own label). */
  contentTypes: Record<string, string>;
  /** Problem titles by error code (`ARTICLE_NOT_FOUND`), and problem details by message key. */
  problemTitles: Record<string, string>;
  problems: Record<string, string>;
  /** Words messages are built from: field labels, statuses, actions, roles. */
  terms: Record<string, string>;
}

/** Languages with a catalog; any other falls back to English. */
export const CATALOG_LANGUAGES = ['en', 'ar', 'fa'] as const;

function load(language: string): LoadedCatalog {
  return JSON.parse(readFileSync(new URL(`./messages/${language}.json`, import.meta.url), 'utf8')) as LoadedCatalog;
}

const CATALOGS = new Map<string, LoadedCatalog>(CATALOG_LANGUAGES.map((l) => [l, load(l)]));
const ENGLISH = CATALOGS.get('en')!;
const rules = new Map<string, Intl.PluralRules>();
const numbers = new Map<string, Intl.NumberFormat>();

function catalogOf(language: string): LoadedCatalog {
  return CATALOGS.get(language.split('-')[0] ?? language) ?? ENGLISH;
}

/** The raw catalogs (tests check every language has every key and plural form). */
export function catalogs(): ReadonlyMap<string, LoadedCatalog> {
  return CATALOGS;
}

export function uiStrings(language: string): UiStrings {
  return catalogOf(language).strings as UiStrings;
}

/** A content type's label in a language ("Video report", "تقرير مصور"). */
export function contentTypeLabel(language: string, type: { name: string; label: string }): string {
  return catalogOf(language).contentTypes[type.name] ?? type.label;
}

/** Fills `{name}` placeholders. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** A number in the language's digits (Arabic-Indic in ar, Persian in fa). */
export function formatNumber(language: string, n: number): string {
  let f = numbers.get(language);
  if (!f) numbers.set(language, (f = new Intl.NumberFormat(language)));
  return f.format(n);
}

/** A counted message in the plural form the language uses for `n` ("3 results", "٣ نتائج"). */
export function plural(language: string, key: PluralKey, n: number, shown: string = formatNumber(language, n)): string {
  const catalog = catalogOf(language);
  let r = rules.get(catalog.language);
  if (!r) rules.set(catalog.language, (r = new Intl.PluralRules(catalog.language)));
  const forms = catalog.plurals[key] ?? ENGLISH.plurals[key]!;
  return fill(forms[r.select(n)] ?? forms.other, { n: shown });
}

/**
 * A message for an editor or reader, kept as a key and values until the language is known
 * (problem details: the request's language decides when the response is written).
 * `plural` picks the form for `count` from the plural messages (`{n}` is the count).
 */
export type LocalText =
  | { readonly key: ProblemKey; readonly values?: Readonly<Record<string, TextValue>> }
  | { readonly plural: PluralKey; readonly count: number; readonly values?: Readonly<Record<string, TextValue>> };
/**
 * A value in a message: text as is (names, ids), a number in the language's digits, a term
 * (`{ term: 'status.published' }`, `capital` for a sentence start), a content type's label
 * (`{ contentType: 'news' }`), or another message.
 */
export type TextValue =
  | string
  | number
  | { readonly term: TermKey; readonly capital?: boolean }
  | { readonly contentType: string }
  | LocalText
  | readonly LocalText[];

/** Shorthand for `{ key, values }`. */
export function text(key: ProblemKey, values?: Record<string, TextValue>): LocalText {
  return values ? { key, values } : { key };
}

/** A term in a language ("published", "منشور"); unknown keys show their last part. */
export function term(language: string, key: string): string {
  return catalogOf(language).terms[key] ?? ENGLISH.terms[key] ?? key.slice(key.indexOf('.') + 1);
}

function valueIn(language: string, v: TextValue): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return formatNumber(language, v);
  if (Array.isArray(v)) return (v as readonly LocalText[]).map((t) => localText(language, t)).join(' ');
  if ('contentType' in v) return catalogOf(language).contentTypes[v.contentType] ?? v.contentType;
  if ('term' in v) {
    const word = term(language, v.term);
    return v.capital ? word.charAt(0).toLocaleUpperCase(language) + word.slice(1) : word;
  }
  return localText(language as string, v as LocalText);
}

/** A message in a language (English where the language has no catalog). */
export function localText(language: string, t: LocalText): string {
  const values: Record<string, string> = {};
  for (const [name, v] of Object.entries(t.values ?? {})) values[name] = valueIn(language, v);
  if ('plural' in t) return fill(plural(language, t.plural, t.count), values);
  return fill(catalogOf(language).problems[t.key] ?? ENGLISH.problems[t.key]!, values);
}

/** An error code's problem title in a language ("Article not found", "المقال غير موجود"). */
export function problemTitle(language: string, code: string): string {
  return catalogOf(language).problemTitles[code] ?? ENGLISH.problemTitles[code] ?? code;
}

/**
 * The catalog language an `Accept-Language` header prefers (RFC 9110 §12.5.4: highest
 * weight first, then order; `ar-EG` matches `ar`); English when none has a catalog.
 */
export function negotiateLanguage(header: string | undefined): string {
  if (!header) return 'en';
  const wanted = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((x) => x !== undefined);
      return { language: tag.trim().toLowerCase().split('-')[0]!, q: q === undefined ? 1 : Number(q), index };
    })
    .filter((w) => w.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return wanted.find((w) => CATALOGS.has(w.language))?.language ?? 'en';
}
