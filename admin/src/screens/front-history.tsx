import { useEffect, useState } from 'preact/hooks';
import { api, errorMessage } from '../api.js';
import { formatTime } from '../format.js';
import type { AdminFront, FrontRevision, RestoredFront } from '../types.js';
import { t } from '../i18n.js';

/**
 * A front's saved revisions (who, when, what changed in words), newest first; restoring
 * one saves it again as the newest revision, so nothing is lost.
 */
export function FrontHistory({ front, dirty, onRestored }: { front: AdminFront; dirty: boolean; onRestored: (restored: RestoredFront, from: number) => void }) {
  const [open, setOpen] = useState(false);
  const [items, setItems] = useState<FrontRevision[] | null>(null);
  const [error, setError] = useState('');
  const base = `/api/admin/fronts/${encodeURIComponent(front.name)}`;

  useEffect(() => {
    if (!open) return;
    setError('');
    api.get<{ items: FrontRevision[] }>(`${base}/revisions`).then((r) => setItems(r.items), (err: unknown) => setError(errorMessage(err)));
  }, [open, front.name, front.revision]);

  const restore = async (revision: number) => {
    setError('');
    try {
      onRestored(await api.post<RestoredFront>(`${base}/revisions/${revision}/restore`, { revision: front.revision }), revision);
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  return (
    <section class="front-history" aria-labelledby="front-history-title">
      <h2 id="front-history-title">
        <button type="button" class="link-button" aria-expanded={open} onClick={() => setOpen(!open)}>
          {t('articleEditor.history')} {open ? '▾' : '▸'}
        </button>
      </h2>
      {open && (
        <>
          {dirty && <p class="muted">{t('frontHistory.saveOrDiscardYourChanges')}</p>}
          {items && items.length === 0 && <p class="muted">{t('frontHistory.neverSavedNothingToRestore')}</p>}
          {items && items.length > 0 && (
            <ol class="plain-list front-revisions">
              {items.map((r) => (
                <li key={r.revision} class="panel" data-testid={`front-revision-${r.revision}`}>
                  <div class="row-actions">
                    <strong class="grow">
                      {t(r.revision === front.revision ? 'frontHistory.revisionCurrent' : 'frontHistory.revisionNumber', { number: r.revision })}
                    </strong>
                    <span class="muted">
                      {t('frontHistory.whenBy', { time: formatTime(r.createdAt), name: r.actorName })}
                    </span>
                    {r.revision !== front.revision && (
                      <button type="button" disabled={dirty} onClick={() => void restore(r.revision)}>
                        {t('revisions.restoreRevisionNumber', { number: r.revision })}
                      </button>
                    )}
                  </div>
                  <ul class="front-changes">
                    {r.changes.map((c, i) => (
                      <li key={i} dir="auto">{c}</li>
                    ))}
                  </ul>
                </li>
              ))}
            </ol>
          )}
        </>
      )}
      {error && <p class="error" role="alert">{error}</p>}
    </section>
  );
}
