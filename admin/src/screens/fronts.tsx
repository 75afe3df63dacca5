import { useEffect, useState } from 'preact/hooks';
import { api, errorMessage, query } from '../api.js';
import { moved, ReorderableList } from '../components/reorderable-list.js';
import { formatTime } from '../format.js';
import { useTaxonomy } from '../taxonomy.js';
import type { AdminArticleSummary, AdminFront, FrontBlockRequest, FrontList, FrontPlacement, Page, SaveFrontRequest } from '../types.js';
import { blockName, FrontBlocksEditor, MAX_BLOCK_ITEMS, withUid, type EditBlock } from './front-blocks.js';
import { FrontHistory } from './front-history.js';
import { ExpiryInput, headlineOf } from './front-placements.js';

const TOP_SLOTS = 6;

const toRequest = (b: EditBlock): FrontBlockRequest => ({
  kind: b.kind,
  title: b.title,
  sectionId: b.sectionId,
  tagId: b.tagId,
  count: b.count,
  items: b.items.map((p) => ({ articleId: p.articleId, expiresAt: p.expiresAt })),
});

/**
 * Front pages: editors choose the lead, order the top stories and arrange the blocks of
 * the home page and each section front, each placement optionally until a time; the
 * history shows every saved arrangement and restores one. Empty slots fill from the
 * newest published stories. Reorder with ↑/↓, Alt+↑/↓ on a row, or by dragging.
 */
export function FrontsScreen({ name }: { name: string }) {
  const { sections } = useTaxonomy();
  const [fronts, setFronts] = useState<FrontList['items']>([]);
  const [front, setFront] = useState<AdminFront | null>(null);
  const [lead, setLead] = useState<FrontPlacement | null>(null);
  const [top, setTop] = useState<FrontPlacement[]>([]);
  const [blocks, setBlocks] = useState<EditBlock[] | null>(null);
  const [automatic, setAutomatic] = useState<EditBlock[]>([]);
  const [dirty, setDirty] = useState(false);
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');
  const [announce, setAnnounce] = useState('');
  const [q, setQ] = useState('');
  const [results, setResults] = useState<AdminArticleSummary[]>([]);

  const show = (f: AdminFront) => {
    setFront(f);
    setLead(f.lead);
    setTop(f.top);
    setBlocks(f.blocks ? f.blocks.map(withUid) : null);
    setAutomatic(f.automaticBlocks.map(withUid));
    setDirty(false);
  };
  const load = async (frontName: string) => {
    setError('');
    try {
      show(await api.get<AdminFront>(`/api/admin/fronts/${encodeURIComponent(frontName)}`));
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  useEffect(() => {
    api.get<FrontList>('/api/admin/fronts').then((r) => setFronts(r.items), (err: unknown) => setError(errorMessage(err)));
  }, []);
  useEffect(() => {
    setStatus('');
    void load(name);
  }, [name]);

  const touched = () => {
    setDirty(true);
    setStatus('');
  };
  const change = (nextLead: FrontPlacement | null, nextTop: FrontPlacement[]) => {
    setLead(nextLead);
    setTop(nextTop);
    touched();
  };
  const changeBlocks = (next: EditBlock[] | null) => {
    setBlocks(next);
    touched();
  };
  const shownBlocks = blocks ?? automatic;

  const placed = (id: number) => lead?.articleId === id || top.some((p) => p.articleId === id) || shownBlocks.some((b) => b.items.some((p) => p.articleId === id));
  const asPlacement = (a: AdminArticleSummary): FrontPlacement => ({
    articleId: a.id,
    expiresAt: null,
    article: { id: a.id, headline: a.headline, status: a.status, language: a.language, direction: a.direction },
  });

  const makeLead = (p: FrontPlacement) => {
    const rest = top.filter((x) => x.articleId !== p.articleId);
    // The story that was lead moves to the top of the list rather than vanishing.
    const next = lead && lead.articleId !== p.articleId ? [lead, ...rest] : rest;
    change(p, next.slice(0, TOP_SLOTS));
    setAnnounce(`${headlineOf(p)} is now the lead.`);
  };
  const addTop = (p: FrontPlacement) => {
    if (top.length >= TOP_SLOTS) return setError(`A front holds at most ${TOP_SLOTS} top stories; remove one first.`);
    change(lead, [...top, p]);
    setAnnounce(`${headlineOf(p)} added as top story ${top.length + 1}.`);
  };
  const addToBlock = (block: EditBlock, p: FrontPlacement) => {
    if (block.items.length >= MAX_BLOCK_ITEMS) return setError(`A block holds at most ${MAX_BLOCK_ITEMS} stories; remove one first.`);
    changeBlocks(shownBlocks.map((b) => (b.uid === block.uid ? { ...b, items: [...b.items, p] } : b)));
    setAnnounce(`${headlineOf(p)} added to ${blockName(block)}.`);
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
    const body: SaveFrontRequest = {
      revision: front.revision,
      lead: lead ? { articleId: lead.articleId, expiresAt: lead.expiresAt } : null,
      top: top.map((p) => ({ articleId: p.articleId, expiresAt: p.expiresAt })),
      blocks: blocks ? blocks.map(toRequest) : null,
    };
    try {
      show(await api.put<AdminFront>(`/api/admin/fronts/${encodeURIComponent(front.name)}`, body));
      setStatus('Saved. Readers see it now.');
    } catch (err) {
      setStatus('');
      setError(errorMessage(err));
    }
  };

  const curated = shownBlocks.filter((b) => b.kind === 'curated');
  const publicPath = front ? (front.name === 'home' ? '/' : `/section/${front.name}`) : '/';
  return (
    <section class="fronts">
      <h1>Front pages</h1>
      <p class="muted">
        Choose the lead, order the top stories and arrange the blocks below them. Empty places fill with the newest published stories; an automatic lead is the newest one with a picture or video.
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
              <strong class="grow" dir="auto">{headlineOf(lead)}</strong>
              <ExpiryInput placement={lead} label="Lead" onSet={(v) => change({ ...lead, expiresAt: v }, top)} />
              <button type="button" class="secondary" onClick={() => change(null, top)}>Remove lead</button>
            </div>
          ) : (
            <p class="muted" data-testid="front-lead">Automatic: the newest story with a picture or video.</p>
          )}
          <h2>Top stories</h2>
          {top.length === 0 && <p class="muted">None placed: the newest stories fill these places.</p>}
          <ReorderableList
            items={top}
            listId="front"
            class="front-top"
            label="Top stories (Alt+Up and Alt+Down move the focused story)"
            keyOf={(p) => p.articleId}
            nameOf={headlineOf}
            onMove={(from, to) => {
              change(lead, moved(top, from, to));
              setAnnounce(`${headlineOf(top[from]!)} moved to position ${to + 1} of ${top.length}.`);
            }}
          >
            {(p) => (
              <>
                <span class="grow" dir="auto">{headlineOf(p)}</span>
                {p.article && p.article.status !== 'published' && <span class={`status status-${p.article.status}`}>{p.article.status}</span>}
                <ExpiryInput placement={p} label={headlineOf(p)} onSet={(v) => change(lead, top.map((x) => (x.articleId === p.articleId ? { ...x, expiresAt: v } : x)))} />
                <button type="button" aria-label={`Make ${headlineOf(p)} the lead`} onClick={() => makeLead(p)}>Make lead</button>
                <button type="button" class="secondary" aria-label={`Remove ${headlineOf(p)}`} onClick={() => change(lead, top.filter((x) => x.articleId !== p.articleId))}>Remove</button>
              </>
            )}
          </ReorderableList>
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
                  <span class="grow" dir="auto">{a.headline}</span>
                  <button type="button" disabled={placed(a.id)} aria-label={`Make ${a.headline} the lead`} onClick={() => makeLead(asPlacement(a))}>Lead</button>
                  <button type="button" disabled={placed(a.id)} aria-label={`Add ${a.headline} to top stories`} onClick={() => addTop(asPlacement(a))}>Add</button>
                  {curated.map((b) => (
                    <button key={b.uid} type="button" disabled={placed(a.id)} aria-label={`Add ${a.headline} to ${blockName(b)}`} onClick={() => addToBlock(b, asPlacement(a))}>
                      + {blockName(b)}
                    </button>
                  ))}
                </li>
              ))}
            </ul>
          )}
          <FrontBlocksEditor blocks={shownBlocks} arranged={blocks !== null} sections={sections} onChange={changeBlocks} announce={setAnnounce} />
          <div class="button-row">
            <button type="button" class="primary" disabled={!dirty} onClick={() => void save()}>Save front</button>
            {dirty && <button type="button" class="secondary" onClick={() => show(front)}>Discard changes</button>}
          </div>
          {status && <p role="status">{status}</p>}
          <FrontHistory
            front={front}
            dirty={dirty}
            onRestored={(restored, from) => {
              show(restored);
              setStatus(`Restored revision ${from} as revision ${restored.revision}. Readers see it now.${restored.leftOut.length ? ` ${restored.leftOut.join(' ')}` : ''}`);
            }}
          />
        </>
      )}
      {error && <p class="error" role="alert">{error}</p>}
    </section>
  );
}
