import type { Config } from '../../config/config.js';

/** What feeds, sitemaps and structured data need to know about the site. */
export interface DistributionSettings {
  siteName: string;
  /** Public origin, no trailing slash. */
  baseUrl: string;
  languages: string[];
  /** Languages with a host of their own (LANGUAGE_HOSTS); the others live under `/{language}`. */
  languageHosts: Record<string, string>;
  timeZone: string;
  siteDescription: string;
  feedContent: 'full' | 'excerpt';
  feedItems: number;
  robotsDisallow: string[];
}

export type DistributionConfig = Pick<Config, 'siteName' | 'baseUrl' | 'languages' | 'timeZone'> &
  Partial<Pick<Config, 'siteDescription' | 'feedContent' | 'feedItems' | 'robotsDisallow' | 'languageHosts'>>;

/** Settings with the defaults of `loadConfig` filled in (tests and tools pass partial configs). */
export function distributionSettings(config: DistributionConfig): DistributionSettings {
  return {
    siteName: config.siteName,
    baseUrl: config.baseUrl,
    languages: config.languages,
    languageHosts: config.languageHosts ?? {},
    timeZone: config.timeZone,
    siteDescription: config.siteDescription || `${config.siteName}: the latest news.`,
    feedContent: config.feedContent ?? 'full',
    feedItems: config.feedItems ?? 30,
    robotsDisallow: config.robotsDisallow ?? ['/admin/', '/api/admin/', '/search'],
  };
}
