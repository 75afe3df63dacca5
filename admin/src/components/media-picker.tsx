import { useEffect, useState } from 'preact/hooks';
import { api, errorMessage, query } from '../api.js';
import type { Media, Page } from '../types.js';
import { Modal } from './modal.js';
import { mediaSrc } from '../format.js';
import { t } from '../i18n.js';

/** Choose an item from the media library (lead media, inline images). */
export function MediaPicker({ title, kind, onPick, onClose }: { title: string; kind?: 'image' | 'video'; onPick: (m: Media) => void; onClose: () => void }) {
  const [q, setQ] = useState('');
  const [items, setItems] = useState<Media[]>([]);
  const [error, setError] = useState('');
  const [loading, setLoading] = useState(false);

  const search = async (text: string) => {
    setLoading(true);
    setError('');
    try {
      const page = await api.get<Page<Media>>(`/api/admin/media${query({ q: text, kind, limit: 40 })}`);
      setItems(page.items);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => void search(''), []);

  return (
    <Modal title={title} onClose={onClose} wide>
      <form
        role="search"
        class="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          void search(q);
        }}
      >
        <label class="grow">
          {t('mediaPicker.searchMedia')}
          <input type="search" value={q} onInput={(e) => setQ(e.currentTarget.value)} />
        </label>
        <button type="submit">{t('articleList.search')}</button>
      </form>
      {error && <p class="error" role="alert">{error}</p>}
      {loading && <p role="status">{t('articleList.loading')}</p>}
      <ul class="media-grid">
        {items.map((m) => (
          <li key={m.id}>
            <button type="button" class="media-choice" onClick={() => onPick(m)}>
              <img src={mediaSrc(m.kind === 'video' ? m.posterUrl : m.url)} alt="" loading="lazy" />
              <span>{m.alt || m.caption || m.key.split('/').pop()}</span>
              <span class="visually-hidden">{t('mediaPicker.chooseThis')} {m.kind}</span>
            </button>
          </li>
        ))}
      </ul>
      {!loading && items.length === 0 && !error && <p>{t('mediaPicker.noMediaFoundUploadIn')}</p>}
    </Modal>
  );
}
