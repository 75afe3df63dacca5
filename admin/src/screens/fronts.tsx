import { useEffect, useState } from 'preact/hooks';
import { api, errorMessage, query } from '../api.js';
import { moved, ReorderableList } from '../components/reorderable-list.js';
import { formatTime } from '../format.js';
import { useTaxonomy } from '../taxonomy.js';
import type { AdminArticleSummary, AdminFront, FrontBlockRequest, FrontList, FrontPlacement, Page, SaveFrontRequest } from '../types.js';
import { blockName, FrontBlocksEditor, MAX_BLOCK_ITEMS, withUid, type EditBlock } from './front-blocks.js';
import { FrontHistory } from './front-history.js';
import { ExpiryInput, headlineOf } from './front-placements.js';
import { t } from '../i18n.js';

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
    setAnnounce(t('fronts.nowLead', { headline: headlineOf(p) }));
  };
  const addTop = (p: FrontPlacement) => {
    if (top.length >= TOP_SLOTS) return setError(t('fronts.topFull', { count: TOP_SLOTS }));
    change(lead, [...top, p]);
    setAnnounce(t('fronts.addedAsTop', { headline: headlineOf(p), position: top.length + 1 }));
  };
  const addToBlock = (block: EditBlock, p: FrontPlacement) => {
    if (block.items.length >= MAX_BLOCK_ITEMS) return setError(t('fronts.blockFull', { count: MAX_BLOCK_ITEMS }));
    changeBlocks(shownBlocks.map((b) => (b.uid === block.uid ? { ...b, items: [...b.items, p] } : b)));
    setAnnounce(t('fronts.addedToBlock', { headline: headlineOf(p), block: blockName(block) }));
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
    setStatus(t('saveIndicator.saving'));
    const body: SaveFrontRequest = {
      revision: front.revision,
      lead: lead ? { articleId: lead.articleId, expiresAt: lead.expiresAt } : null,
      top: top.map((p) => ({ articleId: p.articleId, expiresAt: p.expiresAt })),
      blocks: blocks ? blocks.map(toRequest) : null,
    };
    try {
      show(await api.put<AdminFront>(`/api/admin/fronts/${encodeURIComponent(front.name)}`, body));
      setStatus(t('fronts.savedLive'));
    } catch (err) {
      setStatus('');
      setError(errorMessage(err));
    }
  };

  const curated = shownBlocks.filter((b) => b.kind === 'curated');
  const publicPath = front ? (front.name === 'home' ? '/' : `/section/${front.name}`) : '/';
  return (
    <section class="fronts">
      <h1>{t('fronts.frontPages')}</h1>
      <p class="muted">
        {t('fronts.chooseTheLeadOrderThe')}
      </p>
      <label>
        {t('fronts.front')}{' '}
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
            {t('frontHistory.revisionNumber', { number: front.revision })}
            {front.updatedAt ? t('fronts.savedBy', { time: formatTime(front.updatedAt), name: front.updatedBy }) : t('fronts.neverArranged')} · <a href={publicPath} target="_blank" rel="noopener">{t('fronts.viewOnTheSite')}</a>
          </p>
          <h2>{t('fronts.lead')}</h2>
          {lead ? (
            <div class="front-lead" data-testid="front-lead">
              <strong class="grow" dir="auto">{headlineOf(lead)}</strong>
              <ExpiryInput placement={lead} label={t('fronts.lead')} onSet={(v) => change({ ...lead, expiresAt: v }, top)} />
              <button type="button" class="secondary" onClick={() => change(null, top)}>{t('fronts.removeLead')}</button>
            </div>
          ) : (
            <p class="muted" data-testid="front-lead">{t('fronts.automaticTheNewestStoryWith')}</p>
          )}
          <h2>{t('fronts.topStories')}</h2>
          {top.length === 0 && <p class="muted">{t('fronts.nonePlacedTheNewestStories')}</p>}
          <ReorderableList
            items={top}
            listId="front"
            class="front-top"
            label={t('fronts.topStoriesAltUpAnd')}
            keyOf={(p) => p.articleId}
            nameOf={headlineOf}
            onMove={(from, to) => {
              change(lead, moved(top, from, to));
              setAnnounce(t('fronts.movedTo', { headline: headlineOf(top[from]!), position: to + 1, total: top.length }));
            }}
          >
            {(p) => (
              <>
                <span class="grow" dir="auto">{headlineOf(p)}</span>
                {p.article && p.article.status !== 'published' && <span class={`status status-${p.article.status}`}>{p.article.status}</span>}
                <ExpiryInput placement={p} label={headlineOf(p)} onSet={(v) => change(lead, top.map((x) => (x.articleId === p.articleId ? { ...x, expiresAt: v } : x)))} />
                <button type="button" aria-label={t('fronts.makeNamedLead', { headline: headlineOf(p) })} onClick={() => makeLead(p)}>{t('fronts.makeLead')}</button>
                <button type="button" class="secondary" aria-label={t('common.removeNamed', { name: headlineOf(p) })} onClick={() => change(lead, top.filter((x) => x.articleId !== p.articleId))}>{t('relatedPicker.remove')}</button>
              </>
            )}
          </ReorderableList>
          <div class="inline-form">
            <label class="grow">
              {t('fronts.findPublishedStories')}
              <input type="search" value={q} onInput={(e) => setQ(e.currentTarget.value)} onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); void search(); } }} />
            </label>
            <button type="button" onClick={() => void search()}>{t('articleList.search')}</button>
          </div>
          {results.length > 0 && (
            <ul class="search-results">
              {results.map((a) => (
                <li key={a.id}>
                  <span class="grow" dir="auto">{a.headline}</span>
                  <button type="button" disabled={placed(a.id)} aria-label={t('fronts.makeNamedLead', { headline: a.headline })} onClick={() => makeLead(asPlacement(a))}>{t('fronts.lead')}</button>
                  <button type="button" disabled={placed(a.id)} aria-label={t('fronts.addNamedToTop', { headline: a.headline })} onClick={() => addTop(asPlacement(a))}>{t('relatedPicker.add')}</button>
                  {curated.map((b) => (
                    <button key={b.uid} type="button" disabled={placed(a.id)} aria-label={t('fronts.addNamedToBlock', { headline: a.headline, block: blockName(b) })} onClick={() => addToBlock(b, asPlacement(a))}>
                      + {blockName(b)}
                    </button>
                  ))}
                </li>
              ))}
            </ul>
          )}
          <FrontBlocksEditor blocks={shownBlocks} arranged={blocks !== null} sections={sections} onChange={changeBlocks} announce={setAnnounce} />
          <div class="button-row">
            <button type="button" class="primary" disabled={!dirty} onClick={() => void save()}>{t('fronts.saveFront')}</button>
            {dirty && <button type="button" class="secondary" onClick={() => show(front)}>{t('fronts.discardChanges')}</button>}
          </div>
          {status && <p role="status">{status}</p>}
          <FrontHistory
            front={front}
            dirty={dirty}
            onRestored={(restored, from) => {
              show(restored);
              setStatus(`${t('fronts.restored', { from, to: restored.revision })}${restored.leftOut.length ? ` ${restored.leftOut.join(' ')}` : ''}`);
            }}
          />
        </>
      )}
      {error && <p class="error" role="alert">{error}</p>}
    </section>
  );
}
