import { useState } from 'preact/hooks';
import { api, errorMessage, query } from '../api.js';
import { moved, ReorderableList } from '../components/reorderable-list.js';
import type { AdminTag } from '../newsroom-types.js';
import type { FrontBlockView, FrontPlacement, Section } from '../types.js';
import { ExpiryInput, headlineOf } from './front-placements.js';

/** A block as the screen edits it: the server's shape plus a key that survives reordering. */
export type EditBlock = FrontBlockView & { uid: number };

let nextUid = 1;
export const withUid = (b: FrontBlockView): EditBlock => ({ ...b, uid: nextUid++ });

const KIND_LABELS: Record<FrontBlockView['kind'], string> = { section: 'Section', tag: 'Topic', curated: 'Hand-picked' };
export const MAX_BLOCKS = 12;
export const MAX_BLOCK_ITEMS = 12;

/** How a block is named on the screen and in button labels. */
export const blockName = (b: FrontBlockView) => b.title?.trim() || b.source?.name || (b.kind === 'curated' ? 'Untitled hand-picked block' : `${KIND_LABELS[b.kind]} (deleted)`);

/**
 * The blocks of a front, below its lead and top stories: add a section's newest, a topic's
 * newest or a hand-picked block; rename, resize, reorder (keyboard and pointer) and remove
 * them. Until an editor changes them the automatic blocks show (home: a block per section).
 */
export function FrontBlocksEditor(props: {
  blocks: EditBlock[];
  arranged: boolean;
  sections: Section[];
  onChange: (next: EditBlock[] | null) => void;
  announce: (message: string) => void;
}) {
  const { blocks, arranged, sections, onChange, announce } = props;
  const [kind, setKind] = useState<FrontBlockView['kind']>('section');
  const [sectionId, setSectionId] = useState<number | null>(null);
  const [title, setTitle] = useState('');
  const [topicQuery, setTopicQuery] = useState('');
  const [topics, setTopics] = useState<AdminTag[]>([]);
  const [tagId, setTagId] = useState<number | null>(null);
  const [problem, setProblem] = useState('');

  const update = (uid: number, patch: Partial<FrontBlockView>) => onChange(blocks.map((b) => (b.uid === uid ? { ...b, ...patch } : b)));

  const findTopics = async () => {
    setProblem('');
    try {
      const page = await api.get<{ items: AdminTag[] }>(`/api/admin/tags${query({ q: topicQuery, limit: 20 })}`);
      setTopics(page.items);
      setTagId(page.items[0]?.id ?? null);
      if (!page.items.length) setProblem(`No topic matches "${topicQuery}".`);
    } catch (err) {
      setProblem(errorMessage(err));
    }
  };

  const add = () => {
    setProblem('');
    if (blocks.length >= MAX_BLOCKS) return setProblem(`A front holds at most ${MAX_BLOCKS} blocks; remove one first.`);
    const base = { title: title.trim() || null, sectionId: null, tagId: null, count: null, source: null, items: [] as FrontPlacement[] };
    let block: FrontBlockView;
    if (kind === 'section') {
      const section = sections.find((s) => s.id === (sectionId ?? sections[0]?.id));
      if (!section) return setProblem('Choose the section the block shows.');
      block = { ...base, kind, sectionId: section.id, count: 4, source: { name: section.name, slug: section.slug } };
    } else if (kind === 'tag') {
      const topic = topics.find((t) => t.id === tagId);
      if (!topic) return setProblem('Find and choose the topic the block shows.');
      block = { ...base, kind, tagId: topic.id, count: 4, source: { name: topic.name, slug: topic.slug } };
    } else {
      if (!title.trim()) return setProblem('A hand-picked block needs a title readers see above its stories.');
      block = { ...base, kind };
    }
    onChange([...blocks, withUid(block)]);
    setTitle('');
    announce(`Block ${blockName(block)} added as block ${blocks.length + 1}.`);
  };

  return (
    <>
      <h2>Blocks</h2>
      <p class="muted" data-testid="front-blocks-mode">
        {arranged
          ? 'Arranged by hand. Section and topic blocks show their newest stories not already on this front.'
          : 'Automatic: one block per section, in navigation order. Change anything below to arrange them by hand.'}
        {arranged && (
          <>
            {' '}
            <button type="button" class="secondary" onClick={() => { onChange(null); announce('Blocks are automatic again.'); }}>Use automatic blocks</button>
          </>
        )}
      </p>
      {blocks.length === 0 && <p class="muted">No blocks.</p>}
      <ReorderableList
        items={blocks}
        listId="front-block"
        class="front-blocks"
        label="Blocks (Alt+Up and Alt+Down move the focused block)"
        keyOf={(b) => b.uid}
        nameOf={(b) => `block ${blockName(b)}`}
        onMove={(from, to) => {
          onChange(moved(blocks, from, to));
          announce(`Block ${blockName(blocks[from]!)} moved to position ${to + 1} of ${blocks.length}.`);
        }}
      >
        {(b, i) => (
          <div class="front-block grow">
            <div class="front-block-head">
              <span class="chip">{KIND_LABELS[b.kind]}{b.source && b.kind !== 'curated' ? `: ${b.source.name}` : ''}</span>
              <label class="front-block-title">
                Title
                <input
                  value={b.title ?? ''}
                  maxLength={120}
                  dir="auto"
                  placeholder={b.source?.name ?? ''}
                  aria-label={`Title of block ${i + 1}`}
                  onInput={(e) => update(b.uid, { title: e.currentTarget.value || null })}
                />
              </label>
              {b.kind !== 'curated' && (
                <label class="front-block-count">
                  Stories
                  <input
                    type="number"
                    min={1}
                    max={MAX_BLOCK_ITEMS}
                    value={b.count ?? 4}
                    aria-label={`Stories in block ${blockName(b)}`}
                    onInput={(e) => {
                      const n = Math.round(Number(e.currentTarget.value));
                      if (n >= 1 && n <= MAX_BLOCK_ITEMS) update(b.uid, { count: n });
                    }}
                  />
                </label>
              )}
              <button type="button" class="secondary" aria-label={`Remove block ${blockName(b)}`} onClick={() => { onChange(blocks.filter((x) => x.uid !== b.uid)); announce(`Block ${blockName(b)} removed.`); }}>
                Remove
              </button>
            </div>
            {b.kind === 'curated' && (
              <>
                {b.items.length === 0 && <p class="muted">No stories yet: find published stories below and add them to this block.</p>}
                <ReorderableList
                  items={b.items}
                  listId={`front-block-${b.uid}-story`}
                  label={`Stories of ${blockName(b)} (Alt+Up and Alt+Down move the focused story)`}
                  keyOf={(p) => p.articleId}
                  nameOf={headlineOf}
                  onMove={(from, to) => {
                    update(b.uid, { items: moved(b.items, from, to) });
                    announce(`${headlineOf(b.items[from]!)} moved to position ${to + 1} in ${blockName(b)}.`);
                  }}
                >
                  {(p) => (
                    <>
                      <span class="grow" dir="auto">{headlineOf(p)}</span>
                      {p.article && p.article.status !== 'published' && <span class={`status status-${p.article.status}`}>{p.article.status}</span>}
                      <ExpiryInput placement={p} label={headlineOf(p)} onSet={(v) => update(b.uid, { items: b.items.map((x) => (x.articleId === p.articleId ? { ...x, expiresAt: v } : x)) })} />
                      <button type="button" class="secondary" aria-label={`Remove ${headlineOf(p)} from ${blockName(b)}`} onClick={() => update(b.uid, { items: b.items.filter((x) => x.articleId !== p.articleId) })}>
                        Remove
                      </button>
                    </>
                  )}
                </ReorderableList>
              </>
            )}
          </div>
        )}
      </ReorderableList>
      <fieldset class="inline-form front-add-block">
        <legend>Add a block</legend>
        <label>
          Kind
          <select aria-label="Kind of new block" value={kind} onChange={(e) => setKind(e.currentTarget.value as FrontBlockView['kind'])}>
            <option value="section">A section's newest stories</option>
            <option value="tag">A topic's newest stories</option>
            <option value="curated">Stories I pick</option>
          </select>
        </label>
        {kind === 'section' && (
          <label>
            Section
            <select aria-label="Section of new block" value={String(sectionId ?? sections[0]?.id ?? '')} onChange={(e) => setSectionId(Number(e.currentTarget.value))}>
              {sections.map((s) => (
                <option key={s.id} value={String(s.id)}>{s.name}</option>
              ))}
            </select>
          </label>
        )}
        {kind === 'tag' && (
          <>
            <label>
              Topic
              <input
                type="search"
                aria-label="Find a topic"
                value={topicQuery}
                onInput={(e) => setTopicQuery(e.currentTarget.value)}
                onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); void findTopics(); } }}
              />
            </label>
            <button type="button" onClick={() => void findTopics()}>Find topics</button>
            {topics.length > 0 && (
              <select aria-label="Topic of new block" value={String(tagId ?? '')} onChange={(e) => setTagId(Number(e.currentTarget.value))}>
                {topics.map((t) => (
                  <option key={t.id} value={String(t.id)}>{t.name}</option>
                ))}
              </select>
            )}
          </>
        )}
        <label>
          {kind === 'curated' ? 'Title' : 'Title (optional)'}
          <input aria-label="Title of new block" value={title} maxLength={120} dir="auto" onInput={(e) => setTitle(e.currentTarget.value)} />
        </label>
        <button type="button" onClick={add}>Add block</button>
        {problem && <p class="error" role="alert">{problem}</p>}
      </fieldset>
    </>
  );
}
