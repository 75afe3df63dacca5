import type { Config } from '../config/config.js';
import type { ContentType, Section } from '../domain/article.js';
import type { BreakingItem } from '../domain/live.js';
import { DatelineFormatter, defaultDatelineStyle } from '../domain/dateline.js';
import { LanguageUrls } from '../domain/language-urls.js';

/** What every page needs besides its own data. Built once; reference data refreshed per request. */
export class SiteContext {
  private readonly formatters = new Map<string, DatelineFormatter>();
  /** Where each language's pages live (path prefix or host). */
  readonly urls: LanguageUrls;

  constructor(
    readonly config: Pick<Config, 'siteName' | 'baseUrl' | 'timeZone' | 'datelineFormat' | 'languages'> & Partial<Pick<Config, 'siteDescription' | 'datelineStyles' | 'languageHosts'>>,
    readonly stylesheetHref: string,
    /** The live client (breaking banner, live blogs), a content-hashed static file; none: pages carry no script. */
    readonly liveScriptHref: string | null = null,
    /** The VAPID public key when Web Push is configured: pages offer "Get alerts"; null: no button. */
    readonly pushKey: string | null = null,
  ) {
    this.urls = new LanguageUrls({ baseUrl: config.baseUrl, languages: config.languages, languageHosts: config.languageHosts ?? {} });
  }

  get defaultLanguage(): string {
    return this.config.languages[0] ?? 'en';
  }

  /** One sentence about the site (home page description, link previews). */
  get description(): string {
    return this.config.siteDescription || `${this.config.siteName}: the latest news.`;
  }

  /** Dateline formatter for a language (month and day names in that language). */
  /** Dateline formatter for a language: its calendar, digits, pattern and month and day names (DATELINE_STYLES over the defaults). */
  formatter(language: string): DatelineFormatter {
    let f = this.formatters.get(language);
    if (!f) {
      const base = language.split('-')[0] ?? language;
      const style = { ...defaultDatelineStyle(base, this.config.datelineFormat), ...this.config.datelineStyles?.[base] };
      const locale = language.startsWith('en') ? 'en-US' : language;
      f = new DatelineFormatter(this.config.timeZone, style.pattern, locale, style.calendar, style.digits);
      this.formatters.set(language, f);
    }
    return f;
  }
}

/** The same page in another language: its absolute URL. */
export interface LanguageAlternate {
  language: string;
  href: string;
}

/** Reference data a page renders with. */
export interface PageChrome {
  site: SiteContext;
  sections: Section[];
  contentTypes: ContentType[];
  /** Breaking banners by language and the live log position the page was rendered at. */
  live?: { breaking: Readonly<Record<string, BreakingItem | null>>; since: number };
}

export function sectionName(section: Section, language: string): string {
  return section.names[language.split('-')[0] ?? language] ?? section.name;
}
