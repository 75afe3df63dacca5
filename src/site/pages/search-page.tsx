import type { SnippetPart } from '../../domain/search-snippet.js';
import type { SearchResults } from '../../services/search.service.js';
import { articlePath } from '../../domain/article.js';
import { Layout } from '../components/layout.js';
import { ShareMeta } from '../components/share-meta.js';
import { uiStrings } from '../i18n.js';
import { sectionName, type PageChrome } from '../site-context.js';
import { languageEndonym } from '../components/language-switcher.js';

const STRINGS = {
  en: { search: 'Search', placeholder: 'Search stories', any: 'All', section: 'Section', type: 'Type', language: 'Language', allLanguages: 'All languages', results: (n: string) => `${n} results`, none: 'No stories match your search.', newest: 'Newest first', relevance: 'Best match' },
  ar: { search: 'بحث', placeholder: 'ابحث في الأخبار', any: 'الكل', section: 'القسم', type: 'النوع', language: 'اللغة', allLanguages: 'كل اللغات', results: (n: string) => `${n} نتيجة`, none: 'لا توجد أخبار تطابق بحثك.', newest: 'الأحدث أولاً', relevance: 'الأكثر صلة' },
  fa: { search: 'جستجو', placeholder: 'جستجو در خبرها', any: 'همه', section: 'بخش', type: 'نوع', language: 'زبان', allLanguages: 'همه زبان‌ها', results: (n: string) => `${n} نتیجه`, none: 'هیچ مطلبی با جستجوی شما پیدا نشد.', newest: 'جدیدترین', relevance: 'مرتبط‌ترین' },
} as const;


export interface SearchPageProps {
  chrome: PageChrome;
  language: string;
  /** The form's current values. */
  form: { q: string; section?: string; type?: string; lang?: string; order?: 'relevance' | 'date' };
  results: SearchResults | null;
}

function Marked({ parts }: { parts: SnippetPart[] }) {
  return <>{parts.map((p, i) => (p.match ? <mark key={i}>{p.text}</mark> : p.text))}</>;
}

/** `/search?q=`: a plain form (no script needed) and ranked results with highlighted passages. */
export function SearchPage({ chrome, language, form, results }: SearchPageProps) {
  const t = uiStrings(language);
  const s = STRINGS[(language.split('-')[0] ?? 'en') as keyof typeof STRINGS] ?? STRINGS.en;
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
  const title = form.q ? `${s.search}: ${form.q}` : s.search;
  // The canonical result page names the query alone; filters and order are views of it.
  const canonical = `${urls.absolute(language, '/search')}${form.q ? `?${new URLSearchParams({ q: form.q }).toString()}` : ''}`;
  const description = form.q ? `${s.search} ${chrome.site.config.siteName}: ${form.q}` : `${s.placeholder} · ${chrome.site.config.siteName}`;
  const head = (
    <>
      {/* Result pages are endless variations of the site's own content: keep them out of indexes. */}
      <meta name="robots" content="noindex, follow" />
      <ShareMeta title={title} description={description} url={canonical} />
    </>
  );
  return (
    <Layout chrome={chrome} language={language} title={title} description={description} canonical={canonical} head={head}>
      <h1>{s.search}</h1>
      <form class="search-form" action={searchPath} method="get" role="search">
        <input type="search" name="q" value={form.q} placeholder={s.placeholder} aria-label={s.search} maxLength={200} dir="auto" />
        <label>
          {s.section}{' '}
          <select name="section">
            <option value="">{s.any}</option>
            {chrome.sections.map((sec) => (
              <option key={sec.id} value={sec.slug} selected={form.section === sec.slug}>
                {sectionName(sec, language)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {s.type}{' '}
          <select name="type">
            <option value="">{s.any}</option>
            {chrome.contentTypes.map((ct) => (
              <option key={ct.id} value={ct.name} selected={form.type === ct.name}>
                {ct.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          {s.language}{' '}
          <select name="lang">
            <option value="all" selected={!form.lang || form.lang === 'all'}>
              {s.allLanguages}
            </option>
            {chrome.site.config.languages.map((l) => (
              <option key={l} value={l} selected={form.lang === l} lang={l}>
                {languageEndonym(l)}
              </option>
            ))}
          </select>
        </label>
        <select name="order" aria-label="order">
          <option value="relevance" selected={form.order !== 'date'}>
            {s.relevance}
          </option>
          <option value="date" selected={form.order === 'date'}>
            {s.newest}
          </option>
        </select>
        <button type="submit">{s.search}</button>
      </form>
      {results ? (
        <>
          <p class="search-count">{s.results(`${results.total.toLocaleString(language)}${results.totalIsExact ? '' : '+'}`)}</p>
          {results.items.length ? (
            <ol class="search-results">
              {results.items.map((item) => (
                <li key={item.article.id} lang={item.article.language} dir={item.article.direction}>
                  <h2 class="search-headline">
                    <a href={articlePath(item.article)}>
                      <Marked parts={item.headline} />
                    </a>
                  </h2>
                  {item.article.publishedAt !== null ? (
                    <time datetime={new Date(item.article.publishedAt).toISOString()}>{new Date(item.article.publishedAt).toISOString().slice(0, 10)}</time>
                  ) : null}
                  <p class="search-snippet">
                    <Marked parts={item.snippet} />
                  </p>
                </li>
              ))}
            </ol>
          ) : (
            <p>{s.none}</p>
          )}
          {totalPages > 1 ? (
            <nav class="pager" aria-label={t.page}>
              {results.page > 1 ? (
                <a rel="prev" href={href(results.page - 1)}>
                  {t.previous}
                </a>
              ) : null}
              <span>
                {t.page} {results.page} / {totalPages}
              </span>
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
