import { useEffect, useState } from 'preact/hooks';
import type { IncomingListDto, IncomingPreviewDto, MakeDraftResultDto } from '../../../src/http/schemas/wire.schemas.js';
import { api, errorMessage, query } from '../api.js';
import { formatTime } from '../format.js';
import { navigate } from '../router.js';
import { directionOf, useTaxonomy } from '../taxonomy.js';

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
  if (!item) return <aside class="panel incoming-preview" aria-label="Preview">{error ? <p class="error" role="alert">{error}</p> : <p class="muted">Loading…</p>}</aside>;
  const dir = directionOf(item.language);
  return (
    <aside class="panel incoming-preview" aria-label="Preview">
      <h2 lang={item.language} dir={dir}>{item.headline}</h2>
      <p class="muted small">
        {item.agency} · {item.sourceName} · {item.language} · {formatTime(item.publishedAt ?? item.receivedAt)}
        {item.byline && <> · {item.byline}</>}
        {item.link && <> · <a href={item.link} target="_blank" rel="noopener noreferrer">original</a></>}
      </p>
      {item.correctedAt && (
        <p class="notice" role="note">
          The agency sent a corrected version at {formatTime(item.correctedAt)}; this is that version.
          {item.draftedAt && ' The draft made earlier keeps the text it was made from: compare it with this one.'}
        </p>
      )}
      {item.summary && <p lang={item.language} dir={dir}><strong>{item.summary}</strong></p>}
      {/* Sanitized on the server with the editor's allowlist before it was stored. */}
      <div class="incoming-body" lang={item.language} dir={dir} dangerouslySetInnerHTML={{ __html: item.bodyHtml }} />
      {error && <p class="error" role="alert">{error}</p>}
      {item.draftedAt ? (
        <p class="notice">Already a draft{item.articleId ? <>: <a href={`/admin/articles/${item.articleId}`}>open draft {item.articleId}</a></> : ''}.</p>
      ) : (
        <div class="inline-form">
          <label>
            Section
            <select value={sectionId} onChange={(e) => setSectionId(e.currentTarget.value)}>
              <option value="">{sections[0] ? `${sections[0].name} (first)` : 'First section'}</option>
              {sections.map((s) => <option key={s.id} value={String(s.id)}>{s.name}</option>)}
            </select>
          </label>
          <button type="button" class="primary" disabled={busy} onClick={() => void makeDraft()}>Make draft</button>
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
      <h1>Incoming</h1>
      <p class="muted">Stories from the wire sources. Preview one and make it a draft; the agency stays its source. <a href="/admin/wire-sources">Manage sources</a></p>
      {error && <p class="error" role="alert">{error}</p>}
      <div class="filters" role="search">
        <label>
          Source
          <select value={filter.source} onChange={(e) => setFilter({ ...filter, source: e.currentTarget.value })}>
            <option value="">All sources</option>
            {data?.sources.map((s) => <option key={s.id} value={String(s.id)}>{s.name}</option>)}
          </select>
        </label>
        <label>
          Language
          <select value={filter.language} onChange={(e) => setFilter({ ...filter, language: e.currentTarget.value })}>
            <option value="">All languages</option>
            {data?.languages.map((l) => <option key={l} value={l}>{l}</option>)}
          </select>
        </label>
        <label>
          Show
          <select value={filter.state} onChange={(e) => setFilter({ ...filter, state: e.currentTarget.value })}>
            <option value="new">Not yet drafted</option>
            <option value="drafted">Drafted</option>
            <option value="all">All</option>
          </select>
        </label>
        <button type="button" onClick={() => void load()}>Refresh</button>
      </div>
      <div class="incoming">
        {items.length === 0 ? (
          <p class="muted">Nothing here. New wire stories appear as the sources are polled.</p>
        ) : (
          <table class="list incoming-list">
            <thead>
              <tr><th scope="col">Headline</th><th scope="col">Source</th><th scope="col">Language</th><th scope="col">Received</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr>
            </thead>
            <tbody>
              {items.map((i) => (
                <tr key={i.id} aria-selected={open === i.id}>
                  <td data-label="Headline" lang={i.language} dir={directionOf(i.language)}>{i.headline}</td>
                  <td data-label="Source">{i.sourceName}</td>
                  <td data-label="Language">{i.language}</td>
                  <td data-label="Received">
                    {formatTime(i.receivedAt)}
                    {i.correctedAt && <> · <span class="status status-scheduled">corrected {formatTime(i.correctedAt)}</span></>}
                  </td>
                  <td data-label="Actions">
                    {i.articleId ? <a href={`/admin/articles/${i.articleId}`}>Draft {i.articleId}</a> : null}{' '}
                    <button type="button" aria-label={`Preview ${i.headline}`} onClick={() => setOpen(i.id)}>Preview</button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {cursor && <button type="button" onClick={() => void load(cursor)}>Older items</button>}
        {open !== null && <Preview id={open} onDrafted={(articleId) => navigate(`/articles/${articleId}`)} />}
      </div>
    </section>
  );
}
