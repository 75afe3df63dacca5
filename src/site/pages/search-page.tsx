import type { SnippetPart } from '../../domain/search-snippet.js';
import type { SearchResults } from '../../services/search.service.js';
import { articlePath } from '../../domain/article.js';
import { Layout } from '../components/layout.js';
import { ShareMeta } from '../components/share-meta.js';
import { contentTypeLabel, fill, formatNumber, plural, uiStrings } from '../i18n.js';
import { sectionName, type PageChrome } from '../site-context.js';
import { languageEndonym } from '../components/language-switcher.js';


export interface SearchPageProps {
  chrome: PageChrome;
  language: string;
  /** The form's current values. */
  form: { q: string; section?: string; type?: string; lang?: string; order?: 'relevance' | 'date' };
  results: SearchResults | null;
}

/** Bidi-isolates text inside a plain string (FSI … PDI): "1000+" stays "1000+" in a right-to-left sentence. */
function isolate(text: string): string {
  return `\u2068${text}\u2069`;
}

function Marked({ parts }: { parts: SnippetPart[] }) {
  return <>{parts.map((p, i) => (p.match ? <mark key={i}>{p.text}</mark> : p.text))}</>;
}

/** `/search?q=`: a plain form (no script needed) and ranked results with highlighted passages. */
export function SearchPage({ chrome, language, form, results }: SearchPageProps) {
  const t = uiStrings(language);
  const { urls } = chrome.site;
  const searchPath = urls.path(language, '/search');
  const base = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) if (v) base.set(k, v);
  const href = (page: number) => {
    const p = new URLSearchParams(base);
    if (page > 1) p.set('page', String(page));
    return `${searchPath}?${p.toString()}`;
  };
  const totalPages = results ? Math.max(1, Math.ceil(results.total / results.limit)) : 1;
  const title = form.q ? fill(t.searchTitle, { q: form.q }) : t.search;
  // The canonical result page names the query alone; filters and order are views of it.
  const canonical = `${urls.absolute(language, '/search')}${form.q ? `?${new URLSearchParams({ q: form.q }).toString()}` : ''}`;
  const description = form.q ? fill(t.searchDescription, { site: chrome.site.config.siteName, q: form.q }) : `${t.searchPlaceholder} · ${chrome.site.config.siteName}`;
  const head = (
    <>
      {/* Result pages are endless variations of the site's own content: keep them out of indexes. */}
      <meta name="robots" content="noindex, follow" />
      <ShareMeta title={title} description={description} url={canonical} />
    </>
  );
  return (
    <Layout chrome={chrome} language={language} title={title} description={description} canonical={canonical} head={head}>
      <h1>{t.search}</h1>
      <form class="search-form" action={searchPath} method="get" role="search">
        <input type="search" name="q" value={form.q} placeholder={t.searchPlaceholder} aria-label={t.search} maxLength={200} dir="auto" />
        <label>
          {t.searchSection}{' '}
          <select name="section">
            <option value="">{t.any}</option>
            {chrome.sections.map((sec) => (
              <option key={sec.id} value={sec.slug} selected={form.section === sec.slug}>
                {sectionName(sec, language)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.searchType}{' '}
          <select name="type">
            <option value="">{t.any}</option>
            {chrome.contentTypes.map((ct) => (
              <option key={ct.id} value={ct.name} selected={form.type === ct.name}>
                {contentTypeLabel(language, ct)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.searchLanguage}{' '}
          <select name="lang">
            <option value="all" selected={!form.lang || form.lang === 'all'}>
              {t.allLanguages}
            </option>
            {chrome.site.config.languages.map((l) => (
              <option key={l} value={l} selected={form.lang === l} lang={l}>
                {languageEndonym(l)}
              </option>
            ))}
          </select>
        </label>
        <select name="order" aria-label={t.searchOrder}>
          <option value="relevance" selected={form.order !== 'date'}>
            {t.relevance}
          </option>
          <option value="date" selected={form.order === 'date'}>
            {t.newest}
          </option>
        </select>
        <button type="submit">{t.search}</button>
      </form>
      {results ? (
        <>
          <p class="search-count">{plural(language, 'results', results.total, isolate(`${formatNumber(language, results.total)}${results.totalIsExact ? '' : '+'}`))}</p>
          {results.items.length ? (
            <ol class="search-results">
              {results.items.map((item) => (
                <li key={item.article.id} lang={item.article.language} dir={item.article.direction}>
                  <h2 class="search-headline" dir="auto">
                    <a href={articlePath(item.article)}>
                      <Marked parts={item.headline} />
                    </a>
                  </h2>
                  {item.article.publishedAt !== null ? (
                    <time datetime={new Date(item.article.publishedAt).toISOString()} dir="ltr">{new Date(item.article.publishedAt).toISOString().slice(0, 10)}</time>
                  ) : null}
                  <p class="search-snippet">
                    <Marked parts={item.snippet} />
                  </p>
                </li>
              ))}
            </ol>
          ) : (
            <p>{t.noResults}</p>
          )}
          {totalPages > 1 ? (
            <nav class="pager" aria-label={t.page}>
              {results.page > 1 ? (
                <a rel="prev" href={href(results.page - 1)}>
                  {t.previous}
                </a>
              ) : null}
              <span>{fill(t.pageOf, { page: formatNumber(language, results.page), total: formatNumber(language, totalPages) })}</span>
              {results.page < totalPages && results.page < 100 ? (
                <a rel="next" href={href(results.page + 1)}>
                  {t.next}
                </a>
              ) : null}
            </nav>
          ) : null}
        </>
      ) : null}
    </Layout>
  );
}
