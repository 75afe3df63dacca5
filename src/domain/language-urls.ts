/**
 * Where each site language lives: the default language at the site's own origin and `/`,
 * every other language under a path prefix (`/ar/…`) or, when LANGUAGE_HOSTS names one,
 * at the root of its own host (`https://ar.example.org/…`). Articles keep `/news/{id}/{slug}`
 * (the id is the identity); home, section, topic, search, feed and sitemap pages move with
 * the language.
 */
export interface LanguageUrlSettings {
  baseUrl: string;
  /** The first is the default. */
  languages: readonly string[];
  languageHosts?: Readonly<Record<string, string>>;
}

export class LanguageUrls {
  readonly defaultLanguage: string;
  private readonly hostToLanguage = new Map<string, string>();
  private readonly protocol: string;

  constructor(private readonly settings: LanguageUrlSettings) {
    this.defaultLanguage = settings.languages[0] ?? 'en';
    for (const [language, host] of Object.entries(settings.languageHosts ?? {})) this.hostToLanguage.set(host.toLowerCase(), language);
    this.protocol = settings.baseUrl ? new URL(settings.baseUrl).protocol : 'https:';
  }

  get languages(): readonly string[] {
    return this.settings.languages;
  }

  /** Some language has a host of its own (page cache keys then carry the host). */
  get byHost(): boolean {
    return this.hostToLanguage.size > 0;
  }

  /** Languages served under a path prefix (`/ar`), not at the root of a host. */
  get prefixed(): string[] {
    return this.settings.languages.filter((l) => this.prefix(l) !== '');
  }

  /** `/ar` for a prefixed language, '' for the default language and languages with a host. */
  prefix(language: string): string {
    if (language === this.defaultLanguage || this.settings.languageHosts?.[language] || !this.settings.languages.includes(language)) return '';
    return `/${language}`;
  }

  /** A site path in a language: `path('ar', '/section/world')` → `/ar/section/world`; `/` → `/ar/`. */
  path(language: string, path: string): string {
    const prefix = this.prefix(language);
    return prefix ? `${prefix}${path}` : path;
  }

  /** The origin a language is served from. */
  origin(language: string): string {
    const host = this.settings.languageHosts?.[language];
    return host ? `${this.protocol}//${host}` : this.settings.baseUrl;
  }

  /** Absolute URL of a site path in a language. */
  absolute(language: string, path: string): string {
    return `${this.origin(language)}${this.path(language, path)}`;
  }

  /** Link to a page in another language: a path on this origin, an absolute URL on another. */
  href(language: string, path: string, fromLanguage: string): string {
    return this.origin(language) === this.origin(fromLanguage) ? this.path(language, path) : this.absolute(language, path);
  }

  /** The language of a page a request asks for: its host's, else its path prefix's, else the default. */
  languageOfRequest(host: string | undefined, url: string): string {
    const byHost = this.languageOfHost(host);
    if (byHost) return byHost;
    const first = /^\/([^/?#]+)/.exec(url)?.[1];
    return first && this.prefixed.includes(first) ? first : this.defaultLanguage;
  }

  /** The language a request's host serves (port ignored), or null when the host is the default one. */
  languageOfHost(host: string | undefined): string | null {
    if (!host || !this.byHost) return null;
    return this.hostToLanguage.get(host.toLowerCase()) ?? this.hostToLanguage.get(host.toLowerCase().replace(/:\d+$/, '')) ?? null;
  }
}
