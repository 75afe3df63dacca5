import { FEED_FORMATS, FEED_MEDIA_TYPES, feedPath, type FeedTarget } from '../../services/distribution/feed-paths.js';
import type { PageChrome } from '../site-context.js';
import { fill, uiStrings } from '../i18n.js';
import { languageEndonym } from './language-switcher.js';

const FORMAT_LABELS = { rss: 'RSS', atom: 'Atom', json: 'JSON Feed' } as const;

/** Open Graph locales for the site's languages (og:locale wants language_TERRITORY). */
const OG_LOCALES: Record<string, string> = { en: 'en_US', ar: 'ar_AR', fa: 'fa_IR', fr: 'fr_FR', de: 'de_DE', es: 'es_ES', tr: 'tr_TR', ur: 'ur_PK' };

export function ogLocale(language: string): string {
  const [lang, region] = language.split('-');
  if (region && /^[A-Za-z]{2}$/.test(region)) return `${lang!.toLowerCase()}_${region.toUpperCase()}`;
  return OG_LOCALES[lang ?? ''] ?? (lang ?? 'en');
}

export interface PageFeed {
  target: FeedTarget;
  title: string;
}

/**
 * What every page's head carries for distribution: icons and the web app manifest,
 * the site name and locale for link previews, and `<link rel="alternate">` to the
 * site feed, the page language's feed and the page's own feeds (section, topic).
 */
export function DistributionHead({ chrome, language, feeds = [] }: { chrome: PageChrome; language: string; feeds?: PageFeed[] }) {
  const { site } = chrome;
  const all: PageFeed[] = [{ target: { kind: 'site' }, title: site.config.siteName }];
  if (language !== site.defaultLanguage && site.config.languages.includes(language)) {
    all.push({ target: { kind: 'language', code: language }, title: fill(uiStrings(language).languageFeed, { site: site.config.siteName, language: languageEndonym(language) }) });
  }
  all.push(...feeds);
  return (
    <>
      <link rel="icon" href="/favicon.ico" sizes="16x16 32x32 48x48" />
      <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
      <link rel="apple-touch-icon" href="/icons/icon-180.png" />
      <link rel="manifest" href="/manifest.webmanifest" />
      <meta property="og:site_name" content={site.config.siteName} />
      <meta property="og:locale" content={ogLocale(language)} />
      {site.config.languages
        .filter((l) => l !== language)
        .map((l) => (
          <meta key={l} property="og:locale:alternate" content={ogLocale(l)} />
        ))}
      {all.flatMap((f) =>
        FEED_FORMATS.map((format) => (
          <link key={`${f.title}-${format}`} rel="alternate" type={FEED_MEDIA_TYPES[format]} title={`${f.title} (${FORMAT_LABELS[format]})`} href={feedPath(f.target, format)} />
        )),
      )}
    </>
  );
}
