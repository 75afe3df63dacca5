import { useEffect, useState } from 'preact/hooks';
import { api, errorMessage, query } from '../api.js';
import { STATUSES, formatTime, statusLabel } from '../format.js';
import { atLeast, useSession } from '../session.js';
import { LANGUAGES, useTaxonomy } from '../taxonomy.js';
import type { AdminArticleSummary, Page, User } from '../types.js';
import { t } from '../i18n.js';

interface Filters {
  q: string;
  status: string;
  section: string;
  language: string;
  authorId: string;
}

const EMPTY: Filters = { q: '', status: '', section: '', language: '', authorId: '' };

function filtersFromUrl(): Filters {
  const p = new URLSearchParams(location.search);
  return { q: p.get('q') ?? '', status: p.get('status') ?? '', section: p.get('section') ?? '', language: p.get('language') ?? '', authorId: p.get('authorId') ?? '' };
}

export function ArticleListScreen() {
  const { user } = useSession();
  const { sections } = useTaxonomy();
  const [filters, setFilters] = useState<Filters>(filtersFromUrl);
  const [draftQ, setDraftQ] = useState(filters.q);
  const [items, setItems] = useState<AdminArticleSummary[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState('');
  const [loading, setLoading] = useState(true);
  const [authors, setAuthors] = useState<User[]>([]);

  useEffect(() => {
    if (atLeast(user, 'editor')) api.get<{ items: User[] }>('/api/admin/users').then((r) => setAuthors(r.items), () => undefined);
  }, [user]);

  const fetchPage = async (f: Filters, after: string | null) => {
    setLoading(true);
    setError('');
    try {
      const page = await api.get<Page<AdminArticleSummary>>(`/api/admin/articles${query({ ...f, cursor: after, limit: 30 })}`);
      setItems((prev) => (after ? [...prev, ...page.items] : page.items));
      setCursor(page.nextCursor);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setLoading(false);
    }
  };

  useEffect(() => {
    history.replaceState(null, '', `/admin/${query({ ...filters })}`);
    void fetchPage(filters, null);
  }, [filters]);

  const set = (k: keyof Filters) => (e: Event) => setFilters({ ...filters, [k]: (e.currentTarget as HTMLSelectElement).value });
  const sectionName = (id: number) => sections.find((s) => s.id === id)?.name ?? '';

  return (
    <section>
      <div class="page-head">
        <h1>{t('app.articles')}</h1>
        <a class="button primary" href="/admin/articles/new">{t('app.newArticle')}</a>
      </div>
      <form
        class="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setFilters({ ...filters, q: draftQ });
        }}
      >
        <label class="grow">
          {t('articleList.searchHeadlines')}
          <input type="search" name="q" value={draftQ} onInput={(e) => setDraftQ(e.currentTarget.value)} />
        </label>
        <label>
          {t('articleList.status')}
          <select name="status" value={filters.status} onChange={set('status')}>
            <option value="">{t('articleList.any')}</option>
            {STATUSES.map((v) => <option value={v}>{statusLabel(v)}</option>)}
          </select>
        </label>
        <label>
          {t('articleList.section')}
          <select name="section" value={filters.section} onChange={set('section')}>
            <option value="">{t('articleList.any')}</option>
            {sections.map((s) => <option value={String(s.id)}>{s.name}</option>)}
          </select>
        </label>
        <label>
          {t('articleList.language')}
          <select name="language" value={filters.language} onChange={set('language')}>
            <option value="">{t('articleList.any')}</option>
            {LANGUAGES.map((l) => <option value={l.tag}>{l.name}</option>)}
          </select>
        </label>
        <label>
          {t('articleList.author')}
          <select name="authorId" value={filters.authorId} onChange={set('authorId')}>
            <option value="">{t('articleList.anyone')}</option>
            <option value={String(user.id)}>{t('articleList.me')}</option>
            {authors.filter((a) => a.id !== user.id).map((a) => <option value={String(a.id)}>{a.name}</option>)}
          </select>
        </label>
        <div class="filter-actions">
          <button type="submit">{t('articleList.search')}</button>
          <button type="button" class="secondary" onClick={() => { setDraftQ(''); setFilters(EMPTY); }}>{t('articleList.clear')}</button>
        </div>
      </form>
      {error && <p class="error" role="alert">{error}</p>}
      <table class="list">
        <caption class="visually-hidden">{t('articleList.articlesNewestChangeFirst')}</caption>
        <thead>
          <tr><th scope="col">{t('articleList.headline')}</th><th scope="col">{t('articleList.status')}</th><th scope="col">{t('articleList.section')}</th><th scope="col">{t('articleList.language')}</th><th scope="col">{t('articleList.author')}</th><th scope="col">{t('articleList.updated')}</th></tr>
        </thead>
        <tbody>
          {items.map((a) => (
            <tr key={a.id}>
              <td data-label={t('articleList.headline')} dir={a.direction}><a href={`/admin/articles/${a.id}`}>{a.headline || t('articleList.noHeadline')}</a></td>
              <td data-label={t('articleList.status')}><span class={`status status-${a.status}`}>{statusLabel(a.status)}</span></td>
              <td data-label={t('articleList.section')}>{sectionName(a.sectionId)}</td>
              <td data-label={t('articleList.language')}>{a.language}</td>
              <td data-label={t('articleList.author')}>{a.authorName}</td>
              <td data-label={t('articleList.updated')}>{formatTime(a.updatedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {!loading && items.length === 0 && !error && <p>{t('articleList.noArticlesMatch')}</p>}
      {loading && <p role="status">{t('articleList.loading')}</p>}
      {cursor && !loading && <button type="button" onClick={() => void fetchPage(filters, cursor)}>{t('articleList.loadMore')}</button>}
    </section>
  );
}
