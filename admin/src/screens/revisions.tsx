import { useEffect, useState } from 'preact/hooks';
import { api, errorMessage } from '../api.js';
import { formatTime } from '../format.js';
import { navigate } from '../router.js';
import type { AdminArticle, RevisionComparison, RevisionSummary } from '../types.js';
import { t } from '../i18n.js';

/** Revision history of one article: pick two revisions, see the diff, restore an old one. */
export function RevisionsScreen({ articleId }: { articleId: number }) {
  const [article, setArticle] = useState<AdminArticle | null>(null);
  const [revisions, setRevisions] = useState<RevisionSummary[]>([]);
  const [selected, setSelected] = useState<number | null>(null);
  const [against, setAgainst] = useState<number | null>(null);
  const [diff, setDiff] = useState<RevisionComparison | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    (async () => {
      try {
        const [a, r] = await Promise.all([
          api.get<AdminArticle>(`/api/admin/articles/${articleId}`),
          api.get<{ items: RevisionSummary[] }>(`/api/admin/articles/${articleId}/revisions`),
        ]);
        setArticle(a);
        setRevisions(r.items);
        if (r.items.length > 1) {
          setSelected(r.items[1]!.number);
          setAgainst(r.items[0]!.number);
        }
      } catch (err) {
        setError(errorMessage(err));
      }
    })();
  }, [articleId]);

  useEffect(() => {
    if (selected === null || against === null || selected === against) return setDiff(null);
    api
      // The server orders the pair: changes always read from the older revision to the newer one.
      .get<RevisionComparison>(`/api/admin/articles/${articleId}/revisions/compare?a=${selected}&b=${against}`)
      .then(setDiff, (err: unknown) => setError(errorMessage(err)));
  }, [articleId, selected, against]);

  const restore = async () => {
    if (selected === null || !article) return;
    setBusy(true);
    try {
      await api.post(`/api/admin/articles/${articleId}/revisions/${selected}/restore`, { baseRevision: article.revision });
      navigate(`/articles/${articleId}`);
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };

  return (
    <section>
      <div class="page-head">
        <h1>{article ? t('revisions.historyOf', { headline: article.headline }) : t('articleEditor.history')}</h1>
        <a class="button secondary" href={`/admin/articles/${articleId}`}>{t('revisions.backToTheEditor')}</a>
      </div>
      {error && <p class="error" role="alert">{error}</p>}
      <div class="history-grid">
        <table class="list">
          <caption>{t('revisions.revisionsNewestFirstChooseOne')}</caption>
          <thead>
            <tr><th scope="col">#</th><th scope="col">{t('revisions.when')}</th><th scope="col">{t('revisions.who')}</th><th scope="col">{t('articleList.headline')}</th><th scope="col">{t('revisions.this')}</th><th scope="col">{t('revisions.against')}</th></tr>
          </thead>
          <tbody>
            {revisions.map((r) => (
              <tr key={r.number}>
                <td>{r.number}{r.autosave && <small> {t('revisions.autosave')}</small>}</td>
                <td>{formatTime(r.createdAt)}</td>
                <td>{r.userName ?? '—'}</td>
                <td>{r.headline}</td>
                <td><input type="radio" name="rev-this" aria-label={t('revisions.compareRevision', { number: r.number })} checked={selected === r.number} onChange={() => setSelected(r.number)} /></td>
                <td><input type="radio" name="rev-against" aria-label={t('revisions.againstRevision', { number: r.number })} checked={against === r.number} onChange={() => setAgainst(r.number)} /></td>
              </tr>
            ))}
          </tbody>
        </table>
        <div>
          {selected !== null && (
            <div class="button-row">
              <button type="button" class="primary" disabled={busy || selected === article?.revision} onClick={() => void restore()}>{t('revisions.restoreRevisionNumber', { number: selected })}</button>
            </div>
          )}
          {diff && (
            <div class="diff" data-from={diff.from} data-to={diff.to}>
              <h2>{t('revisions.diffTitle', { from: diff.from, to: diff.to })}</h2>
              <p class="muted">{t('revisions.whatChanged', { from: diff.from, to: diff.to })} <ins>{t('revisions.addedText')}</ins>, <del>{t('revisions.removedText')}</del>.</p>
              {diff.fields.length === 0 && <p class="muted">{t('revisions.noFieldChanged')}</p>}
              {diff.fields.map((f) => (
                <section class="diff-field" key={f.field} data-field={f.field}>
                  <h3>{f.label}</h3>
                  <p class="body-diff">
                    {f.parts.map((part) => (part.op === 'insert' ? <ins>{part.text}</ins> : part.op === 'delete' ? <del>{part.text}</del> : <span>{part.text}</span>))}
                  </p>
                </section>
              ))}
            </div>
          )}
        </div>
      </div>
    </section>
  );
}
