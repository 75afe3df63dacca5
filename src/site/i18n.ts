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
export type UiStrings = { readonly [K in StringKey]: string };
type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

interface LoadedCatalog {
  language: string;
  strings: Record<string, string>;
  plurals: Record<string, PluralForms>;
  /** Content type labels by type name (types an operator adds show their own label). */
  contentTypes: Record<string, string>;
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
