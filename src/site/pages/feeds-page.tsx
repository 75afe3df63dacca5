import { fill, uiStrings } from '../i18n.js';
import type { FeedLink } from '../../services/distribution/feed.service.js';
import { Layout } from '../components/layout.js';
import { ShareMeta } from '../components/share-meta.js';
import type { PageChrome } from '../site-context.js';


/** `/feeds`: every feed of the site in RSS, Atom and JSON Feed. */
export function FeedsPage({ chrome, feeds, language = chrome.site.defaultLanguage }: { chrome: PageChrome; feeds: FeedLink[]; language?: string }) {
  const { urls } = chrome.site;
  const here = urls.absolute(language, '/feeds');
  const alternates = urls.languages.map((l) => ({ language: l, href: urls.absolute(l, '/feeds') }));
  const t = uiStrings(language);
  const kindTitles: Record<FeedLink['kind'], string> = { site: t.feedsSite, language: t.feedsLanguage, section: t.feedsSection, topic: t.feedsTopic };
  const title = t.feeds;
  const description = fill(t.feedsDescription, { site: chrome.site.config.siteName });
  const groups = (['site', 'language', 'section', 'topic'] as const).map((kind) => ({ kind, feeds: feeds.filter((f) => f.kind === kind) })).filter((g) => g.feeds.length);
  return (
    <Layout chrome={chrome} language={language} title={title} description={description} canonical={here} head={<ShareMeta title={title} description={description} url={here} />} alternates={alternates}>
      <h1>{title}</h1>
      <p>{description}</p>
      {groups.map((g) => (
        <section key={g.kind} class="block feeds" aria-labelledby={`feeds-${g.kind}`}>
          <h2 id={`feeds-${g.kind}`}>{kindTitles[g.kind]}</h2>
          <ul>
            {g.feeds.map((f) => (
              <li key={f.rss}>
                <bdi class="feed-title" lang={f.language}>
                  {f.title}
                </bdi>
                : <a href={f.rss}>RSS</a> · <a href={f.atom}>Atom</a> · <a href={f.json}>JSON Feed</a>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </Layout>
  );
}
