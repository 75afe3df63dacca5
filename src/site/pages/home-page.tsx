import type { ArticleSummary } from '../../domain/article.js';
import type { PublicFront } from '../../services/fronts/front.service.js';
import { ArticleCard } from '../components/article-card.js';
import { homeJsonLd } from '../../services/distribution/structured-data.js';
import { FrontBlocks, FrontSlots } from '../components/front-slots.js';
import { Layout } from '../components/layout.js';
import { ShareMeta, siteFacts } from '../components/share-meta.js';
import { uiStrings } from '../i18n.js';
import type { PageChrome } from '../site-context.js';

export interface HomeView {
  /** The editor-arranged home front (the default language); null on another language's home, filled from its newest stories. */
  front: PublicFront | null;
  latest: ArticleSummary[];
}

/**
 * A language's home: `/` shows the home front (lead and top stories editors arranged, filled
 * from the newest), latest stories, then the front's blocks; `/ar/`, `/fa/` show that
 * language's newest stories, the first as the lead.
 */
export function HomePage({ chrome, home, language = chrome.site.defaultLanguage }: { chrome: PageChrome; home: HomeView; language?: string }) {
  const t = uiStrings(language);
  const { urls } = chrome.site;
  const canonical = urls.absolute(language, '/');
  const alternates = urls.languages.map((l) => ({ language: l, href: urls.absolute(l, '/') }));
  const head = (
    <ShareMeta title={chrome.site.config.siteName} description={chrome.site.description} url={canonical} jsonLd={homeJsonLd(siteFacts(chrome.site, language), language)} />
  );
  const lead = home.front ? null : (home.latest[0] ?? null);
  const rest = home.front ? home.latest : home.latest.slice(1);
  return (
    <Layout chrome={chrome} language={language} title={chrome.site.config.siteName} description={chrome.site.description} canonical={canonical} head={head} alternates={alternates}>
      <h1 class="visually-hidden">{chrome.site.config.siteName}</h1>
      {home.front?.lead ? <FrontSlots front={home.front} chrome={chrome} language={language} /> : null}
      {lead ? <ArticleCard article={lead} chrome={chrome} size="lead" pageLanguage={language} /> : null}
      {!home.front?.lead && !lead ? <p>{t.noArticles}</p> : null}
      {rest.length ? (
        <section class="block" aria-labelledby="latest-title">
          <h2 id="latest-title">{t.latest}</h2>
          <div class="grid">
            {rest.map((a) => (
              <ArticleCard key={a.id} article={a} chrome={chrome} pageLanguage={language} />
            ))}
          </div>
        </section>
      ) : null}
      {home.front ? <FrontBlocks front={home.front} chrome={chrome} language={language} /> : null}
    </Layout>
  );
}
