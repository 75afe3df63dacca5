import { useState } from 'preact/hooks';
import { api, errorMessage, query } from '../api.js';
import type { AdminArticleSummary, Page, RelatedLink } from '../types.js';
import { t } from '../i18n.js';

interface Props {
  articleId: number | null;
  related: RelatedLink[];
  onChange: (r: RelatedLink[]) => void;
}

/** Related stories: search and add, pin, reorder with buttons, remove. */
export function RelatedPicker({ articleId, related, onChange }: Props) {
  const [q, setQ] = useState('');
  const [results, setResults] = useState<AdminArticleSummary[]>([]);
  const [error, setError] = useState('');
  const [announce, setAnnounce] = useState('');

  const search = async () => {
    setError('');
    try {
      const page = await api.get<Page<AdminArticleSummary>>(`/api/admin/articles${query({ q, limit: 10 })}`);
      setResults(page.items.filter((a) => a.id !== articleId));
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  const move = (i: number, delta: number) => {
    const j = i + delta;
    if (j < 0 || j >= related.length) return;
    const next = related.slice();
    [next[i], next[j]] = [next[j]!, next[i]!];
    onChange(next);
    setAnnounce(`${next[j]!.headline} moved to position ${j + 1} of ${next.length}.`);
    // Keep focus on the same control of the moved row.
    requestAnimationFrame(() => document.getElementById(`related-${next[j]!.id}-${delta < 0 ? 'up' : 'down'}`)?.focus());
  };

  return (
    <fieldset class="related">
      <legend>{t('relatedPicker.relatedStories')}</legend>
      <p class="visually-hidden" aria-live="polite">{announce}</p>
      {related.length === 0 && <p class="muted">{t('relatedPicker.noneYet')}</p>}
      <ol class="related-list">
        {related.map((r, i) => (
          <li key={r.id}>
            <span class="grow">{r.headline}</span>
            <label class="check">
              <input type="checkbox" checked={r.pinned} onChange={(e) => onChange(related.map((x) => (x.id === r.id ? { ...x, pinned: e.currentTarget.checked } : x)))} />
              {t('relatedPicker.pinned')}
            </label>
            <button type="button" id={`related-${r.id}-up`} aria-label={t('common.moveUp', { name: r.headline })} disabled={i === 0} onClick={() => move(i, -1)}>↑</button>
            <button type="button" id={`related-${r.id}-down`} aria-label={t('common.moveDown', { name: r.headline })} disabled={i === related.length - 1} onClick={() => move(i, 1)}>↓</button>
            <button type="button" class="secondary" aria-label={t('common.removeNamed', { name: r.headline })} onClick={() => onChange(related.filter((x) => x.id !== r.id))}>{t('relatedPicker.remove')}</button>
          </li>
        ))}
      </ol>
      <div class="inline-form">
        <label class="grow">
          {t('relatedPicker.findStoriesToRelate')}
          <input
            type="search"
            value={q}
            onInput={(e) => setQ(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                void search();
              }
            }}
          />
        </label>
        <button type="button" onClick={() => void search()}>{t('articleList.search')}</button>
      </div>
      {error && <p class="error" role="alert">{error}</p>}
      {results.length > 0 && (
        <ul class="search-results">
          {results.map((a) => {
            const added = related.some((r) => r.id === a.id);
            return (
              <li key={a.id}>
                <span class="grow" dir={a.direction}>{a.headline}</span> <small>{a.status}</small>
                <button type="button" disabled={added} onClick={() => onChange([...related, { id: a.id, headline: a.headline, pinned: false, status: a.status }])}>
                  {added ? t('relatedPicker.added') : t('relatedPicker.add')}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </fieldset>
  );
}
