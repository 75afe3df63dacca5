import i18next from 'i18next';
import { useEffect, useState } from 'preact/hooks';
import ar from './locales/ar.json';
import en from './locales/en.json';
import fa from './locales/fa.json';

/**
 * The newsroom's interface language. Catalogs are JSON files in `locales/` (i18next's format:
 * nested keys, `{{name}}` placeholders, plural forms as `key_one`, `key_few`… chosen by
 * `Intl.PluralRules`, so Arabic gets its six). The person's choice is kept in this browser;
 * without one the browser's own languages decide.
 */
export const APP_LANGUAGES = [
  { code: 'en', name: 'English' },
  { code: 'ar', name: 'العربية' },
  { code: 'fa', name: 'فارسی' },
] as const;
export type AppLanguage = (typeof APP_LANGUAGES)[number]['code'];

const STORAGE_KEY = 'dateline.language';
const CODES: readonly string[] = APP_LANGUAGES.map((l) => l.code);

declare module 'i18next' {
  interface CustomTypeOptions {
    // Keys are checked against the English catalog: a misspelt key fails `npm run typecheck:admin`.
    resources: { translation: typeof en };
  }
}

/** The language to start in: the saved choice, else the first of the browser's languages we have. */
export function initialLanguage(): AppLanguage {
  let saved: string | null = null;
  try {
    saved = localStorage.getItem(STORAGE_KEY);
  } catch {
    // Storage can be off (private windows); the browser's languages still decide.
  }
  const wanted = [saved, ...(navigator.languages ?? [navigator.language])].filter((l): l is string => !!l);
  const found = wanted.map((l) => l.toLowerCase().split('-')[0]!).find((l) => CODES.includes(l));
  return (found ?? 'en') as AppLanguage;
}

void i18next.init({
  resources: { en: { translation: en }, ar: { translation: ar }, fa: { translation: fa } },
  lng: initialLanguage(),
  fallbackLng: 'en',
  supportedLngs: CODES,
  // Preact escapes text itself.
  interpolation: { escapeValue: false },
  initAsync: false,
  returnNull: false,
});

/** Sets `lang` and `dir` on the document so the whole app (and the browser's own widgets) mirrors. */
function applyToDocument(language: string): void {
  document.documentElement.lang = language;
  document.documentElement.dir = i18next.dir(language);
}
applyToDocument(i18next.language);
i18next.on('languageChanged', applyToDocument);

/** Translate a key; see the catalogs in `locales/`. */
export const t = i18next.t.bind(i18next);

/** The interface's writing direction (the article being edited may have another). */
export function appDirection(): 'ltr' | 'rtl' {
  return i18next.dir(i18next.language);
}

export function appLanguage(): AppLanguage {
  return i18next.language as AppLanguage;
}

/** Switch the interface language and remember it in this browser. */
export async function setAppLanguage(language: AppLanguage): Promise<void> {
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Not remembered, but the switch still happens.
  }
  await i18next.changeLanguage(language);
}

/** Re-renders the calling component (the app's root) when the language changes. */
export function useAppLanguage(): AppLanguage {
  const [language, setLanguage] = useState(appLanguage());
  useEffect(() => {
    const onChange = (l: string) => setLanguage(l as AppLanguage);
    i18next.on('languageChanged', onChange);
    return () => i18next.off('languageChanged', onChange);
  }, []);
  return language;
}

/** Numbers in the interface language's digits (Persian digits in Persian). */
export function formatNumber(n: number): string {
  return new Intl.NumberFormat(i18next.language).format(n);
}
