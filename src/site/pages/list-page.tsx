import type { ArticleSummary } from '../../domain/article.js';
import type { PublicFront } from '../../services/fronts/front.service.js';
import { FrontSlots } from '../components/front-slots.js';
import { ArticleCard } from '../components/article-card.js';
import { Layout } from '../components/layout.js';
import { uiStrings } from '../i18n.js';
import type { PageChrome } from '../site-context.js';

export interface ListPageProps {
  chrome: PageChrome;
  language: string;
  title: string;
  /** Path of the list, without query: `/section/world`. */
  path: string;
  items: ArticleSummary[];
  page: number;
  totalPages: number;
  /** A section front's lead and top stories, shown above the list on page 1. */
  front?: PublicFront;
}

/** Section and topic pages: newest first, numbered pages. */
export function ListPage({ chrome, language, title, path, items, page, totalPages, front }: ListPageProps) {
  const t = uiStrings(language);
  const href = (p: number) => (p === 1 ? path : `${path}?page=${p}`);
  const canonical = `${chrome.site.config.baseUrl}${href(page)}`;
  return (
    <Layout chrome={chrome} language={language} title={page > 1 ? `${title} · ${t.page} ${page}` : title} canonical={canonical}>
      <h1>{title}</h1>
      {front ? <FrontSlots front={front} chrome={chrome} language={language} /> : null}
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
          <span>
            {t.page} {page} / {totalPages}
          </span>
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
