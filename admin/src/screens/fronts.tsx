import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, errorMessage, query } from '../api.js';
import { formatTime } from '../format.js';
import type { AdminArticleSummary, Page } from '../types.js';

/** A story on a front as the admin API returns it. */
interface PlacedArticle {
  id: number;
  headline: string;
  status: string;
  url: string;
  leadMedia: unknown;
}
interface Placement {
  articleId: number;
  /** ISO 8601, or null for "until removed". */
  expiresAt: string | null;
  article: PlacedArticle | null;
}
interface Front {
  name: string;
  label: string;
  revision: number;
  updatedAt: string | null;
  updatedBy: string | null;
  lead: Placement | null;
  top: Placement[];
}

const TOP_SLOTS = 6;

/** `datetime-local` value (the browser's zone) ↔ ISO instant. */
const toLocalInput = (iso: string | null) => {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};
const fromLocalInput = (v: string) => (v ? new Date(v).toISOString() : null);

const headlineOf = (p: Placement) => p.article?.headline ?? `Story ${p.articleId} (deleted)`;

/**
 * Front pages: editors choose the lead and order the top stories of the home page and
 * each section front, each placement optionally until a time. Empty slots fill from the
 * newest published stories. Reorder with ↑/↓, Alt+↑/↓ on a row, or by dragging.
 */
export function FrontsScreen({ name }: { name: string }) {
  const [fronts, setFronts] = useState<{ name: string; label: string }[]>([]);
  const [front, setFront] = useState<Front | null>(null);
  const [lead, setLead] = useState<Placement | null>(null);
  const [top, setTop] = useState<Placement[]>([]);
  const [dirty, setDirty] = useState(false);
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');
  const [announce, setAnnounce] = useState('');
  const [q, setQ] = useState('');
  const [results, setResults] = useState<AdminArticleSummary[]>([]);
  const [dragging, setDragging] = useState<number | null>(null);

  const show = (f: Front) => {
    setFront(f);
    setLead(f.lead);
    setTop(f.top);
    setDirty(false);
  };
  const load = async (frontName: string) => {
    setError('');
    try {
      show(await api.get<Front>(`/api/admin/fronts/${encodeURIComponent(frontName)}`));
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  useEffect(() => {
    api.get<{ items: { name: string; label: string }[] }>('/api/admin/fronts').then((r) => setFronts(r.items), (err: unknown) => setError(errorMessage(err)));
  }, []);
  useEffect(() => {
    setStatus('');
    void load(name);
  }, [name]);

  const change = (nextLead: Placement | null, nextTop: Placement[]) => {
    setLead(nextLead);
    setTop(nextTop);
    setDirty(true);
    setStatus('');
  };

  const move = (from: number, to: number, focus?: string) => {
    if (to < 0 || to >= top.length || from === to) return;
    const next = top.slice();
    const [item] = next.splice(from, 1);
    next.splice(to, 0, item!);
    change(lead, next);
    setAnnounce(`${headlineOf(item!)} moved to position ${to + 1} of ${next.length}.`);
    if (focus) requestAnimationFrame(() => document.getElementById(`${focus}-${item!.articleId}`)?.focus());
  };

  const onRowKey = (e: KeyboardEvent, i: number) => {
    if (!e.altKey || (e.key !== 'ArrowUp' && e.key !== 'ArrowDown')) return;
    e.preventDefault();
    move(i, e.key === 'ArrowUp' ? i - 1 : i + 1, 'front-row');
  };

  const placed = (id: number) => lead?.articleId === id || top.some((p) => p.articleId === id);
  const asPlacement = (a: AdminArticleSummary): Placement => ({ articleId: a.id, expiresAt: null, article: { id: a.id, headline: a.headline, status: a.status, url: '', leadMedia: a.leadMedia } });

  const makeLead = (p: Placement) => {
    const rest = top.filter((x) => x.articleId !== p.articleId);
    // The story that was lead moves to the top of the list rather than vanishing.
    const next = lead && lead.articleId !== p.articleId ? [lead, ...rest] : rest;
    change(p, next.slice(0, TOP_SLOTS));
    setAnnounce(`${headlineOf(p)} is now the lead.`);
  };
  const addTop = (p: Placement) => {
    if (top.length >= TOP_SLOTS) {
      setError(`A front holds at most ${TOP_SLOTS} top stories; remove one first.`);
      return;
    }
    change(lead, [...top, p]);
    setAnnounce(`${headlineOf(p)} added as top story ${top.length + 1}.`);
  };

  const search = async () => {
    setError('');
    try {
      const page = await api.get<Page<AdminArticleSummary>>(`/api/admin/articles${query({ q, status: 'published', limit: 10 })}`);
      setResults(page.items);
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  const save = async () => {
    if (!front) return;
    setError('');
    setStatus('Saving…');
    const body = {
      revision: front.revision,
      lead: lead ? { articleId: lead.articleId, expiresAt: lead.expiresAt } : null,
      top: top.map((p) => ({ articleId: p.articleId, expiresAt: p.expiresAt })),
    };
    try {
      show(await api.put<Front>(`/api/admin/fronts/${encodeURIComponent(front.name)}`, body));
      setStatus('Saved. Readers see it now.');
    } catch (err) {
      setStatus('');
      setError(err instanceof ApiError && err.code === 'REVISION_CONFLICT' ? `${errorMessage(err)}` : errorMessage(err));
    }
  };

  const expiryInput = (p: Placement, label: string, onSet: (v: string | null) => void) => (
    <label class="front-expiry">
      Until
      <input type="datetime-local" aria-label={`${label}: show until`} value={toLocalInput(p.expiresAt)} onInput={(e) => onSet(fromLocalInput(e.currentTarget.value))} />
    </label>
  );

  const publicPath = front ? (front.name === 'home' ? '/' : `/section/${front.name}`) : '/';
  return (
    <section class="fronts">
      <h1>Front pages</h1>
      <p class="muted">
        Choose the lead and order the top stories. Empty places fill with the newest published stories; an automatic lead is the newest one with a picture or video.
      </p>
      <label>
        Front{' '}
        <select value={name} onChange={(e) => { window.history.pushState(null, '', `/admin/fronts/${e.currentTarget.value}`); dispatchEvent(new PopStateEvent('popstate')); }}>
          {fronts.map((f) => (
            <option key={f.name} value={f.name}>{f.label}</option>
          ))}
        </select>
      </label>
      <p class="visually-hidden" aria-live="polite">{announce}</p>
      {front && (
        <>
          <p class="muted">
            Revision {front.revision}
            {front.updatedAt ? ` · saved ${formatTime(front.updatedAt)} by ${front.updatedBy}` : ' · never arranged'} · <a href={publicPath} target="_blank" rel="noopener">View on the site</a>
          </p>
          <h2>Lead</h2>
          {lead ? (
            <div class="front-lead" data-testid="front-lead">
              <strong class="grow">{headlineOf(lead)}</strong>
              {expiryInput(lead, 'Lead', (v) => change({ ...lead, expiresAt: v }, top))}
              <button type="button" class="secondary" onClick={() => change(null, top)}>Remove lead</button>
            </div>
          ) : (
            <p class="muted" data-testid="front-lead">Automatic: the newest story with a picture or video.</p>
          )}
          <h2>Top stories</h2>
          {top.length === 0 && <p class="muted">None placed: the newest stories fill these places.</p>}
          <ol class="front-list" aria-label="Top stories (Alt+Up and Alt+Down move the focused story)">
            {top.map((p, i) => (
              <li
                key={p.articleId}
                id={`front-row-${p.articleId}`}
                tabIndex={0}
                draggable
                class={dragging === i ? 'dragging' : undefined}
                aria-label={`${i + 1}. ${headlineOf(p)}`}
                onKeyDown={(e) => onRowKey(e, i)}
                onDragStart={(e) => {
                  setDragging(i);
                  e.dataTransfer?.setData('text/plain', String(i));
                }}
                onDragEnd={() => setDragging(null)}
                onDragOver={(e) => e.preventDefault()}
                onDrop={(e) => {
                  e.preventDefault();
                  const from = Number(e.dataTransfer?.getData('text/plain') ?? dragging);
                  setDragging(null);
                  if (Number.isInteger(from)) move(from, i);
                }}
              >
                <span class="drag-handle" aria-hidden="true">⠿</span>
                <span class="grow">{headlineOf(p)}</span>
                {p.article && p.article.status !== 'published' && <span class={`status status-${p.article.status}`}>{p.article.status}</span>}
                {expiryInput(p, headlineOf(p), (v) => change(lead, top.map((x) => (x.articleId === p.articleId ? { ...x, expiresAt: v } : x))))}
                <button type="button" id={`front-up-${p.articleId}`} aria-label={`Move ${headlineOf(p)} up`} disabled={i === 0} onClick={() => move(i, i - 1, 'front-up')}>↑</button>
                <button type="button" id={`front-down-${p.articleId}`} aria-label={`Move ${headlineOf(p)} down`} disabled={i === top.length - 1} onClick={() => move(i, i + 1, 'front-down')}>↓</button>
                <button type="button" aria-label={`Make ${headlineOf(p)} the lead`} onClick={() => makeLead(p)}>Make lead</button>
                <button type="button" class="secondary" aria-label={`Remove ${headlineOf(p)}`} onClick={() => change(lead, top.filter((x) => x.articleId !== p.articleId))}>Remove</button>
              </li>
            ))}
          </ol>
          <div class="inline-form">
            <label class="grow">
              Find published stories
              <input type="search" value={q} onInput={(e) => setQ(e.currentTarget.value)} onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); void search(); } }} />
            </label>
            <button type="button" onClick={() => void search()}>Search</button>
          </div>
          {results.length > 0 && (
            <ul class="search-results">
              {results.map((a) => (
                <li key={a.id}>
                  <span class="grow">{a.headline}</span>
                  <button type="button" disabled={placed(a.id)} aria-label={`Make ${a.headline} the lead`} onClick={() => makeLead(asPlacement(a))}>Lead</button>
                  <button type="button" disabled={placed(a.id)} aria-label={`Add ${a.headline} to top stories`} onClick={() => addTop(asPlacement(a))}>Add</button>
                </li>
              ))}
            </ul>
          )}
          <div class="button-row">
            <button type="button" class="primary" disabled={!dirty} onClick={() => void save()}>Save front</button>
            {dirty && <button type="button" class="secondary" onClick={() => show(front)}>Discard changes</button>}
          </div>
          {status && <p role="status">{status}</p>}
        </>
      )}
      {error && <p class="error" role="alert">{error}</p>}
    </section>
  );
}
