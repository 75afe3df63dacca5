import type { HomeFrontView } from '../../services/fronts/front.service.js';
import { ArticleCard } from '../components/article-card.js';
import { homeJsonLd } from '../../services/distribution/structured-data.js';
import { FrontBlocks, FrontSlots } from '../components/front-slots.js';
import { Layout } from '../components/layout.js';
import { ShareMeta, siteFacts } from '../components/share-meta.js';
import { uiStrings } from '../i18n.js';
import type { PageChrome } from '../site-context.js';

/** `/`: the home front (lead and top stories editors arranged, filled from the newest), latest stories, then the front's blocks (a block per section until editors arrange them). */
export function HomePage({ chrome, home }: { chrome: PageChrome; home: HomeFrontView }) {
  const language = chrome.site.defaultLanguage;
  const t = uiStrings(language);
  const canonical = `${chrome.site.config.baseUrl}/`;
  const head = (
    <ShareMeta title={chrome.site.config.siteName} description={chrome.site.description} url={canonical} jsonLd={homeJsonLd(siteFacts(chrome.site, language), language)} />
  );
  return (
    <Layout chrome={chrome} language={language} title={chrome.site.config.siteName} description={chrome.site.description} canonical={canonical} head={head}>
      <h1 class="visually-hidden">{chrome.site.config.siteName}</h1>
      {home.front.lead ? <FrontSlots front={home.front} chrome={chrome} language={language} /> : <p>{t.noArticles}</p>}
      {home.latest.length ? (
        <section class="block" aria-labelledby="latest-title">
          <h2 id="latest-title">{t.latest}</h2>
          <div class="grid">
            {home.latest.map((a) => (
              <ArticleCard key={a.id} article={a} chrome={chrome} pageLanguage={language} />
            ))}
          </div>
        </section>
      ) : null}
      <FrontBlocks front={home.front} chrome={chrome} language={language} />
    </Layout>
  );
}
