import type { ComponentChildren } from 'preact';
import { textDirection } from '../../domain/language.js';
import { uiStrings } from '../i18n.js';
import { sectionName, type LanguageAlternate, type PageChrome } from '../site-context.js';
import { LanguageSwitcher } from './language-switcher.js';
import { DistributionHead, type PageFeed } from './distribution-head.js';
import { BreakingBanner } from './live-entry.js';

export interface LayoutProps {
  chrome: PageChrome;
  language: string;
  title: string;
  description?: string;
  /** Absolute canonical URL. */
  canonical?: string;
  /** Extra head elements (Open Graph, etc.). */
  head?: ComponentChildren;
  /** Feeds of this page besides the site's and its language's (a section's, a topic's). */
  feeds?: PageFeed[];
  /**
   * This page in each language it exists in (itself included), as absolute URLs: emitted as
   * `<link rel="alternate" hreflang>` (with `x-default`) and used by the language switcher.
   * Languages missing here switch to their home page.
   */
  alternates?: LanguageAlternate[];
  children: ComponentChildren;
}

/** The page shell: document, header with section navigation, main, footer. */
export function Layout({ chrome, language, title, description, canonical, head, feeds, alternates = [], children }: LayoutProps) {
  const t = uiStrings(language);
  const { site } = chrome;
  const urls = site.urls;
  const xDefault = alternates.find((a) => a.language === site.defaultLanguage) ?? alternates[0];
  return (
    <html lang={language} dir={textDirection(language)}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title === site.config.siteName ? title : `${title} · ${site.config.siteName}`}</title>
        {description ? <meta name="description" content={description} /> : null}
        {canonical ? <link rel="canonical" href={canonical} /> : null}
        {alternates.length > 1
          ? [
              ...alternates.map((a) => <link key={a.language} rel="alternate" hrefLang={a.language} href={a.href} />),
              <link key="x-default" rel="alternate" hrefLang="x-default" href={xDefault!.href} />,
            ]
          : null}
        <link rel="stylesheet" href={site.stylesheetHref} />
        <DistributionHead chrome={chrome} language={language} feeds={feeds} />
        {head}
        {site.liveScriptHref ? <script src={site.liveScriptHref} defer /> : null}
      </head>
      <body data-live-since={chrome.live ? String(chrome.live.since) : undefined}>
        <a class="skip" href="#main">
          {t.skip}
        </a>
        <header class="masthead">
          <a class="brand" href={urls.path(language, '/')} lang={site.defaultLanguage} dir="auto">
            {site.config.siteName}
          </a>
          <nav aria-label={t.sections}>
            <ul>
              {chrome.sections.map((s) => (
                <li key={s.id}>
                  <a href={urls.path(language, `/section/${s.slug}`)}>{sectionName(s, language)}</a>
                </li>
              ))}
            </ul>
          </nav>
          <LanguageSwitcher chrome={chrome} language={language} alternates={alternates} />
          <form class="masthead-search" action={urls.path(language, '/search')} method="get" role="search" aria-label={t.search}>
            <input type="search" name="q" placeholder={t.searchPlaceholder} aria-label={t.search} maxLength={200} dir="auto" />
            <button type="submit">{t.search}</button>
          </form>
        </header>
        <BreakingBanner item={chrome.live?.breaking[language] ?? null} language={language} />
        <main id="main">{children}</main>
        <footer class="colophon">
          <p>
            © {site.config.siteName} · <a href={urls.path(language, '/')}>{t.home}</a> · <a href="/api/docs">{t.api}</a> · <a href={urls.path(language, '/feeds')}>{t.feeds}</a>
          </p>
          {site.pushKey && site.liveScriptHref ? (
            // Shown by the live client only where the browser can take push messages.
            <button type="button" class="get-alerts" hidden data-push-key={site.pushKey} data-push-on={t.alertsOn}>
              {t.getAlerts}
            </button>
          ) : null}
        </footer>
      </body>
    </html>
  );
}
