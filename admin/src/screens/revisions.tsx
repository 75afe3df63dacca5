import { useEffect, useState } from 'preact/hooks';
import { api, errorMessage } from '../api.js';
import { formatTime } from '../format.js';
import { navigate } from '../router.js';
import type { AdminArticle, RevisionComparison, RevisionSummary } from '../types.js';

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
        <h1>History{article ? `: ${article.headline}` : ''}</h1>
        <a class="button secondary" href={`/admin/articles/${articleId}`}>Back to the editor</a>
      </div>
      {error && <p class="error" role="alert">{error}</p>}
      <div class="history-grid">
        <table class="list">
          <caption>Revisions, newest first. Choose one to compare (“this”) and one to compare it with (“against”).</caption>
          <thead>
            <tr><th scope="col">#</th><th scope="col">When</th><th scope="col">Who</th><th scope="col">Headline</th><th scope="col">This</th><th scope="col">Against</th></tr>
          </thead>
          <tbody>
            {revisions.map((r) => (
              <tr key={r.number}>
                <td>{r.number}{r.autosave && <small> (autosave)</small>}</td>
                <td>{formatTime(r.createdAt)}</td>
                <td>{r.userName ?? '—'}</td>
                <td>{r.headline}</td>
                <td><input type="radio" name="rev-this" aria-label={`Compare revision ${r.number}`} checked={selected === r.number} onChange={() => setSelected(r.number)} /></td>
                <td><input type="radio" name="rev-against" aria-label={`Against revision ${r.number}`} checked={against === r.number} onChange={() => setAgainst(r.number)} /></td>
              </tr>
            ))}
          </tbody>
        </table>
        <div>
          {selected !== null && (
            <div class="button-row">
              <button type="button" class="primary" disabled={busy || selected === article?.revision} onClick={() => void restore()}>Restore revision {selected}</button>
            </div>
          )}
          {diff && (
            <div class="diff" data-from={diff.from} data-to={diff.to}>
              <h2>Revision {diff.from} → {diff.to}</h2>
              <p class="muted">What changed from revision {diff.from} to revision {diff.to}: <ins>added text</ins>, <del>removed text</del>.</p>
              {diff.fields.length === 0 && <p class="muted">No field changed.</p>}
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
