import { useEffect, useState } from 'preact/hooks';
import type { IncomingListDto, IncomingPreviewDto, MakeDraftResultDto } from '../../../src/http/schemas/wire.schemas.js';
import { api, errorMessage, query } from '../api.js';
import { formatTime } from '../format.js';
import { navigate } from '../router.js';
import { directionOf, useTaxonomy } from '../taxonomy.js';
import { t } from '../i18n.js';

type Item = IncomingListDto['items'][number];

/** One item as the wire sent it (body already sanitized by the server), with the one action: make a draft. */
function Preview({ id, onDrafted }: { id: number; onDrafted: (articleId: number) => void }) {
  const { sections } = useTaxonomy();
  const [item, setItem] = useState<IncomingPreviewDto | null>(null);
  const [sectionId, setSectionId] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    setItem(null);
    setError('');
    api.get<IncomingPreviewDto>(`/api/admin/incoming/${id}`).then(setItem, (err: unknown) => setError(errorMessage(err)));
  }, [id]);
  const makeDraft = async () => {
    setBusy(true);
    setError('');
    try {
      const made = await api.post<MakeDraftResultDto>(`/api/admin/incoming/${id}/draft`, sectionId ? { sectionId: Number(sectionId) } : {});
      onDrafted(made.articleId);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  if (!item) return <aside class="panel incoming-preview" aria-label={t('articleEditor.preview')}>{error ? <p class="error" role="alert">{error}</p> : <p class="muted">{t('articleList.loading')}</p>}</aside>;
  const dir = directionOf(item.language);
  return (
    <aside class="panel incoming-preview" aria-label={t('articleEditor.preview')}>
      <h2 lang={item.language} dir={dir}>{item.headline}</h2>
      <p class="muted small">
        {item.agency} · {item.sourceName} · {item.language} · {formatTime(item.publishedAt ?? item.receivedAt)}
        {item.byline && <> · {item.byline}</>}
        {item.link && <> · <a href={item.link} target="_blank" rel="noopener noreferrer">{t('incoming.original')}</a></>}
      </p>
      {item.correctedAt && (
        <p class="notice" role="note">
          {t('incoming.correctedVersion', { time: formatTime(item.correctedAt) })}
          {item.draftedAt && t('incoming.theDraftMadeEarlierKeeps')}
        </p>
      )}
      {item.summary && <p lang={item.language} dir={dir}><strong>{item.summary}</strong></p>}
      {/* Sanitized on the server with the editor's allowlist before it was stored. */}
      <div class="incoming-body" lang={item.language} dir={dir} dangerouslySetInnerHTML={{ __html: item.bodyHtml }} />
      {error && <p class="error" role="alert">{error}</p>}
      {item.draftedAt ? (
        <p class="notice">{t('incoming.alreadyADraft')}{item.articleId ? <>: <a href={`/admin/articles/${item.articleId}`}>{t('incoming.openDraftNumber', { id: item.articleId })}</a></> : ''}.</p>
      ) : (
        <div class="inline-form">
          <label>
            {t('articleList.section')}
            <select value={sectionId} onChange={(e) => setSectionId(e.currentTarget.value)}>
              <option value="">{sections[0] ? t('incoming.firstNamed', { name: sections[0].name }) : t('incoming.firstSection')}</option>
              {sections.map((s) => <option key={s.id} value={String(s.id)}>{s.name}</option>)}
            </select>
          </label>
          <button type="button" class="primary" disabled={busy} onClick={() => void makeDraft()}>{t('incoming.makeDraft')}</button>
        </div>
      )}
    </aside>
  );
}

/** Incoming: what the wire sources delivered, newest first, filterable by source and language. */
export function IncomingScreen() {
  const [filter, setFilter] = useState({ source: '', language: '', state: 'new' });
  const [data, setData] = useState<IncomingListDto | null>(null);
  const [items, setItems] = useState<Item[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const [error, setError] = useState('');

  const load = async (after?: string) => {
    setError('');
    try {
      const page = await api.get<IncomingListDto>(`/api/admin/incoming${query({ ...filter, limit: 50, cursor: after })}`);
      setItems((list) => (after ? [...list, ...page.items] : page.items));
      setCursor(page.nextCursor);
      setData(page);
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  useEffect(() => void load(), [filter.source, filter.language, filter.state]);

  return (
    <section>
      <h1>{t('app.incoming')}</h1>
      <p class="muted">{t('incoming.storiesFromTheWireSources')} <a href="/admin/wire-sources">{t('incoming.manageSources')}</a></p>
      {error && <p class="error" role="alert">{error}</p>}
      <div class="filters" role="search">
        <label>
          {t('wireSources.source')}
          <select value={filter.source} onChange={(e) => setFilter({ ...filter, source: e.currentTarget.value })}>
            <option value="">{t('incoming.allSources')}</option>
            {data?.sources.map((s) => <option key={s.id} value={String(s.id)}>{s.name}</option>)}
          </select>
        </label>
        <label>
          {t('articleList.language')}
          <select value={filter.language} onChange={(e) => setFilter({ ...filter, language: e.currentTarget.value })}>
            <option value="">{t('incoming.allLanguages')}</option>
            {data?.languages.map((l) => <option key={l} value={l}>{l}</option>)}
          </select>
        </label>
        <label>
          {t('incoming.show')}
          <select value={filter.state} onChange={(e) => setFilter({ ...filter, state: e.currentTarget.value })}>
            <option value="new">{t('incoming.notYetDrafted')}</option>
            <option value="drafted">{t('incoming.drafted')}</option>
            <option value="all">{t('mediaLibrary.all')}</option>
          </select>
        </label>
        <button type="button" onClick={() => void load()}>{t('incoming.refresh')}</button>
      </div>
      <div class="incoming">
        {items.length === 0 ? (
          <p class="muted">{t('incoming.nothingHereNewWireStories')}</p>
        ) : (
          <table class="list incoming-list">
            <thead>
              <tr><th scope="col">{t('articleList.headline')}</th><th scope="col">{t('wireSources.source')}</th><th scope="col">{t('articleList.language')}</th><th scope="col">{t('incoming.received')}</th><th scope="col"><span class="visually-hidden">{t('sections.actions')}</span></th></tr>
            </thead>
            <tbody>
              {items.map((i) => (
                <tr key={i.id} aria-selected={open === i.id}>
                  <td data-label={t('articleList.headline')} lang={i.language} dir={directionOf(i.language)}>{i.headline}</td>
                  <td data-label={t('wireSources.source')}>{i.sourceName}</td>
                  <td data-label={t('articleList.language')}>{i.language}</td>
                  <td data-label={t('incoming.received')}>
                    {formatTime(i.receivedAt)}
                    {i.correctedAt && <> · <span class="status status-scheduled">{t('incoming.corrected')} {formatTime(i.correctedAt)}</span></>}
                  </td>
                  <td data-label={t('sections.actions')}>
                    {i.articleId ? <a href={`/admin/articles/${i.articleId}`}>{t('incoming.draftNumber', { id: i.articleId })}</a> : null}{' '}
                    <button type="button" aria-label={t('incoming.previewNamed', { headline: i.headline })} onClick={() => setOpen(i.id)}>{t('articleEditor.preview')}</button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {cursor && <button type="button" onClick={() => void load(cursor)}>{t('incoming.olderItems')}</button>}
        {open !== null && <Preview id={open} onDrafted={(articleId) => navigate(`/articles/${articleId}`)} />}
      </div>
    </section>
  );
}
