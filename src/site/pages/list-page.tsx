import type { ArticleSummary } from '../../domain/article.js';
import type { PublicFront } from '../../services/fronts/front.service.js';
import { FrontBlocks, FrontSlots } from '../components/front-slots.js';
import { ArticleCard } from '../components/article-card.js';
import { breadcrumbs } from '../../services/distribution/structured-data.js';
import type { PageFeed } from '../components/distribution-head.js';
import { Layout } from '../components/layout.js';
import { ShareMeta } from '../components/share-meta.js';
import { fill, formatNumber, uiStrings } from '../i18n.js';
import type { LanguageAlternate, PageChrome } from '../site-context.js';

export interface ListPageProps {
  chrome: PageChrome;
  language: string;
  title: string;
  /** Path of the list as served, without query: `/section/world`, `/ar/section/world`. */
  path: string;
  items: ArticleSummary[];
  page: number;
  totalPages: number;
  /** Meta description; defaults to a sentence naming the list and the site. */
  description?: string;
  /** The list's own feed (section or topic). */
  feed?: PageFeed;
  /** A section front's lead, top stories and blocks, shown above the list on page 1. */
  front?: PublicFront;
  /** The list in the site's other languages (hreflang, language switcher). */
  alternates?: LanguageAlternate[];
}

/** Section and topic pages: newest first, numbered pages. */
export function ListPage({ chrome, language, title, path, items, page, totalPages, description, feed, front, alternates }: ListPageProps) {
  const t = uiStrings(language);
  const href = (p: number) => (p === 1 ? path : `${path}?page=${p}`);
  const base = chrome.site.urls.origin(language);
  const canonical = `${base}${href(page)}`;
  const summary = description ?? `${title}: ${chrome.site.config.siteName}`;
  const head = (
    <ShareMeta
      title={title}
      description={summary}
      url={canonical}
      jsonLd={[breadcrumbs([{ name: chrome.site.config.siteName, item: chrome.site.urls.absolute(language, '/') }, { name: title, item: `${base}${path}` }])]}
    />
  );
  return (
    <Layout chrome={chrome} language={language} title={page > 1 ? `${title} · ${t.page} ${page}` : title} description={summary} canonical={canonical} head={head} feeds={feed ? [feed] : []} alternates={page === 1 ? alternates : undefined}>
      <h1 dir="auto">{title}</h1>
      {front ? (
        <>
          <FrontSlots front={front} chrome={chrome} language={language} />
          <FrontBlocks front={front} chrome={chrome} language={language} />
        </>
      ) : null}
      {items.length ? (
        <div class="list">
          {items.map((a, i) => (
            <ArticleCard key={a.id} article={a} chrome={chrome} size={i === 0 && page === 1 && !front ? 'lead' : 'small'} pageLanguage={language} place="list" />
          ))}
        </div>
      ) : front?.lead ? null : (
        <p>{t.noArticles}</p>
      )}
      {totalPages > 1 ? (
        <nav class="pager" aria-label={t.page}>
          {page > 1 ? (
            <a rel="prev" href={href(page - 1)}>
              {t.previous}
            </a>
          ) : null}
          <span>{fill(t.pageOf, { page: formatNumber(language, page), total: formatNumber(language, totalPages) })}</span>
          {page < totalPages ? (
            <a rel="next" href={href(page + 1)}>
              {t.next}
            </a>
          ) : null}
        </nav>
      ) : null}
    </Layout>
  );
}
