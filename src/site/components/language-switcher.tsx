import { textDirection } from '../../domain/language.js';
import { uiStrings } from '../i18n.js';
import type { LanguageAlternate, PageChrome } from '../site-context.js';

const names = new Map<string, string>();

/** A language's name in itself ("العربية", "فارسی", "English"), from the runtime's CLDR data. */
export function languageEndonym(language: string): string {
  let name = names.get(language);
  if (!name) {
    try {
      name = new Intl.DisplayNames([language], { type: 'language' }).of(language) ?? language;
    } catch {
      name = language;
    }
    names.set(language, name);
  }
  return name;
}

/**
 * Links to this page in the site's other languages: the translation (or the same list page)
 * where it exists, that language's home page otherwise. No script: plain links.
 */
export function LanguageSwitcher({ chrome, language, alternates }: { chrome: PageChrome; language: string; alternates: LanguageAlternate[] }) {
  const { urls } = chrome.site;
  if (urls.languages.length < 2) return null;
  const t = uiStrings(language);
  return (
    <nav class="language-switcher" aria-label={t.languages}>
      <ul>
        {urls.languages.map((l) => {
          const same = alternates.find((a) => a.language === l);
          const href = same ? same.href : urls.absolute(l, '/');
          return (
            <li key={l}>
              {l === language ? (
                <span lang={l} dir={textDirection(l)} aria-current="true">
                  {languageEndonym(l)}
                </span>
              ) : (
                <a href={href} hrefLang={l} lang={l} dir={textDirection(l)} rel="alternate" data-translation={same ? 'yes' : 'home'}>
                  {languageEndonym(l)}
                </a>
              )}
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
