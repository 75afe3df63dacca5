import { useEffect, useState } from 'preact/hooks';
import { api, errorMessage, query } from '../api.js';
import { MediaDetail } from '../components/media-detail.js';
import { MediaUploader } from '../components/media-uploader.js';
import type { LibraryMedia } from '../newsroom-types.js';
import type { Page } from '../types.js';
import { mediaSrc } from '../format.js';
import { t } from '../i18n.js';

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
      <h1>{t('mediaLibrary.mediaLibrary')}</h1>
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
          {t('mediaLibrary.searchFileNameAltText')}
          <input type="search" name="q" value={q} onInput={(e) => setQ(e.currentTarget.value)} />
        </label>
        <label>
          {t('tagsEditor.kind')}
          <select
            name="kind"
            value={kind}
            onChange={(e) => {
              setKind(e.currentTarget.value);
              void load(null, q, e.currentTarget.value);
            }}
          >
            <option value="">{t('mediaLibrary.all')}</option>
            <option value="image">{t('mediaLibrary.images')}</option>
            <option value="video">{t('mediaLibrary.videos')}</option>
          </select>
        </label>
        <div class="filter-actions"><button type="submit">{t('articleList.search')}</button></div>
      </form>
      {error && <p class="error" role="alert">{error}</p>}
      <div class="media-layout">
        <ul class="media-grid" aria-label={t('mediaLibrary.mediaItems')}>
          {items.map((m) => (
            <li key={m.id}>
              <button type="button" class={m.state === 'failed' ? 'media-choice failed' : 'media-choice'} aria-pressed={selected?.id === m.id} onClick={() => setSelected(m)}>
                <img src={mediaSrc(m.kind === 'video' ? m.posterUrl : m.url)} alt="" loading="lazy" />
                <span>{m.alt || m.caption || m.originalName || m.key.split('/').pop()}</span>
                {m.originalName && (m.alt || m.caption) && <span class="original-name" title={m.originalName}>{m.originalName}</span>}
                <small>
                  {t(m.kind === 'video' ? 'mediaDetail.video' : 'richTextEditor.image')}
                  {m.usedBy > 0 ? t('mediaLibrary.usedTimes', { count: m.usedBy }) : t('mediaLibrary.unused')}
                  {m.state === 'failed' && <> · <span class="media-state failed">{t('mediaLibrary.processingFailed')}</span></>}
                  {m.state === 'processing' && t('mediaLibrary.processing')}
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
      {loading && <p role="status">{t('articleList.loading')}</p>}
      {!loading && items.length === 0 && !error && <p>{t('mediaLibrary.noMediaYet')}</p>}
      {cursor && !loading && <button type="button" onClick={() => void load(cursor)}>{t('articleList.loadMore')}</button>}
    </section>
  );
}
