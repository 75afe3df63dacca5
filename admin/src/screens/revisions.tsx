import { useEffect, useState } from 'preact/hooks';
import { api, errorMessage } from '../api.js';
import { formatTime } from '../format.js';
import { navigate } from '../router.js';
import type { AdminArticle, RevisionDiff, RevisionSummary } from '../types.js';

function show(v: unknown): string {
  if (v === null || v === undefined || v === '') return '(empty)';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Revision history of one article: pick two revisions, see the diff, restore an old one. */
export function RevisionsScreen({ articleId }: { articleId: number }) {
  const [article, setArticle] = useState<AdminArticle | null>(null);
  const [revisions, setRevisions] = useState<RevisionSummary[]>([]);
  const [selected, setSelected] = useState<number | null>(null);
  const [against, setAgainst] = useState<number | null>(null);
  const [diff, setDiff] = useState<RevisionDiff | null>(null);
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
      .get<RevisionDiff>(`/api/admin/articles/${articleId}/revisions/${selected}/diff?against=${against}`)
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
            <div class="diff">
              <h2>Revision {selected} → {against}</h2>
              {diff.fields.length === 0 && <p class="muted">No field changed.</p>}
              {diff.fields.length > 0 && (
                <table class="list">
                  <thead><tr><th scope="col">Field</th><th scope="col">Revision {selected}</th><th scope="col">Revision {against}</th></tr></thead>
                  <tbody>
                    {diff.fields.map((f) => (
                      <tr key={f.field}><th scope="row">{f.field}</th><td><del>{show(f.before)}</del></td><td><ins>{show(f.after)}</ins></td></tr>
                    ))}
                  </tbody>
                </table>
              )}
              <h3>Body</h3>
              <p class="body-diff">
                {diff.bodyDiff.map((part) => (part.op === 'insert' ? <ins>{part.text}</ins> : part.op === 'delete' ? <del>{part.text}</del> : <span>{part.text}</span>))}
              </p>
            </div>
          )}
        </div>
      </div>
    </section>
  );
}
