import { useEffect, useState } from 'preact/hooks';
import { api, errorMessage, query } from '../api.js';
import { MediaDetail } from '../components/media-detail.js';
import { MediaUploader } from '../components/media-uploader.js';
import type { LibraryMedia } from '../newsroom-types.js';
import type { Page } from '../types.js';
import { mediaSrc } from '../format.js';

/** The media library: upload, find, describe, set focal points, delete unused items. */
export function MediaLibraryScreen() {
  const [q, setQ] = useState('');
  const [kind, setKind] = useState('');
  const [items, setItems] = useState<LibraryMedia[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState('');
  const [loading, setLoading] = useState(false);
  const [selected, setSelected] = useState<LibraryMedia | null>(null);

  const load = async (after: string | null, text = q, k = kind) => {
    setLoading(true);
    setError('');
    try {
      const page = await api.get<Page<LibraryMedia>>(`/api/admin/media${query({ q: text, kind: k, cursor: after, limit: 40 })}`);
      setItems((prev) => (after ? [...prev, ...page.items] : page.items));
      setCursor(page.nextCursor);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => void load(null), []);

  return (
    <section>
      <h1>Media library</h1>
      <MediaUploader
        onUploaded={(m) => {
          setItems((list) => [m, ...list.filter((x) => x.id !== m.id)]);
          setSelected(m);
        }}
      />
      <form
        class="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          void load(null);
        }}
      >
        <label class="grow">
          Search file name, alt text, caption, credit
          <input type="search" name="q" value={q} onInput={(e) => setQ(e.currentTarget.value)} />
        </label>
        <label>
          Kind
          <select
            name="kind"
            value={kind}
            onChange={(e) => {
              setKind(e.currentTarget.value);
              void load(null, q, e.currentTarget.value);
            }}
          >
            <option value="">All</option>
            <option value="image">Images</option>
            <option value="video">Videos</option>
          </select>
        </label>
        <div class="filter-actions"><button type="submit">Search</button></div>
      </form>
      {error && <p class="error" role="alert">{error}</p>}
      <div class="media-layout">
        <ul class="media-grid" aria-label="Media items">
          {items.map((m) => (
            <li key={m.id}>
              <button type="button" class={m.state === 'failed' ? 'media-choice failed' : 'media-choice'} aria-pressed={selected?.id === m.id} onClick={() => setSelected(m)}>
                <img src={mediaSrc(m.kind === 'video' ? m.posterUrl : m.url)} alt="" loading="lazy" />
                <span>{m.alt || m.caption || m.originalName || m.key.split('/').pop()}</span>
                {m.originalName && (m.alt || m.caption) && <span class="original-name" title={m.originalName}>{m.originalName}</span>}
                <small>
                  {m.kind}
                  {m.usedBy > 0 ? ` · used ${m.usedBy}×` : ' · unused'}
                  {m.state === 'failed' && <> · <span class="media-state failed">Processing failed</span></>}
                  {m.state === 'processing' && ' · processing…'}
                </small>
              </button>
            </li>
          ))}
        </ul>
        {selected && (
          <MediaDetail
            key={selected.id}
            media={selected}
            onChange={(m) => {
              setSelected(m);
              setItems((list) => list.map((x) => (x.id === m.id ? m : x)));
            }}
            onDeleted={(id) => {
              setSelected(null);
              setItems((list) => list.filter((x) => x.id !== id));
            }}
            onClose={() => setSelected(null)}
          />
        )}
      </div>
      {loading && <p role="status">Loading…</p>}
      {!loading && items.length === 0 && !error && <p>No media yet.</p>}
      {cursor && !loading && <button type="button" onClick={() => void load(cursor)}>Load more</button>}
    </section>
  );
}
