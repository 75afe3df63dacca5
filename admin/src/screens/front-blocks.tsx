import { useState } from 'preact/hooks';
import { api, errorMessage, query } from '../api.js';
import { moved, ReorderableList } from '../components/reorderable-list.js';
import type { AdminTag } from '../newsroom-types.js';
import type { FrontBlockView, FrontPlacement, Section } from '../types.js';
import { ExpiryInput, headlineOf } from './front-placements.js';
import { t } from '../i18n.js';

/** A block as the screen edits it: the server's shape plus a key that survives reordering. */
export type EditBlock = FrontBlockView & { uid: number };

let nextUid = 1;
export const withUid = (b: FrontBlockView): EditBlock => ({ ...b, uid: nextUid++ });

const kindLabel = (kind: FrontBlockView['kind']) => t(`frontBlocks.kinds.${kind}`);
export const MAX_BLOCKS = 12;
export const MAX_BLOCK_ITEMS = 12;

/** How a block is named on the screen and in button labels. */
export const blockName = (b: FrontBlockView) => b.title?.trim() || b.source?.name || (b.kind === 'curated' ? t('frontBlocks.untitled') : t('frontBlocks.deleted', { kind: kindLabel(b.kind) }));

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
      if (!page.items.length) setProblem(t('frontBlocks.noTopicMatches', { query: topicQuery }));
    } catch (err) {
      setProblem(errorMessage(err));
    }
  };

  const add = () => {
    setProblem('');
    if (blocks.length >= MAX_BLOCKS) return setProblem(t('frontBlocks.tooManyBlocks', { count: MAX_BLOCKS }));
    const base = { title: title.trim() || null, sectionId: null, tagId: null, count: null, source: null, items: [] as FrontPlacement[] };
    let block: FrontBlockView;
    if (kind === 'section') {
      const section = sections.find((s) => s.id === (sectionId ?? sections[0]?.id));
      if (!section) return setProblem(t('frontBlocks.chooseSection'));
      block = { ...base, kind, sectionId: section.id, count: 4, source: { name: section.name, slug: section.slug } };
    } else if (kind === 'tag') {
      const topic = topics.find((t) => t.id === tagId);
      if (!topic) return setProblem(t('frontBlocks.chooseTopic'));
      block = { ...base, kind, tagId: topic.id, count: 4, source: { name: topic.name, slug: topic.slug } };
    } else {
      if (!title.trim()) return setProblem(t('frontBlocks.needsTitle'));
      block = { ...base, kind };
    }
    onChange([...blocks, withUid(block)]);
    setTitle('');
    announce(t('frontBlocks.added', { block: blockName(block), position: blocks.length + 1 }));
  };

  return (
    <>
      <h2>{t('frontBlocks.blocks')}</h2>
      <p class="muted" data-testid="front-blocks-mode">
        {arranged
          ? t('frontBlocks.arrangedByHandSectionAnd')
          : t('frontBlocks.automaticOneBlockPerSection')}
        {arranged && (
          <>
            {' '}
            <button type="button" class="secondary" onClick={() => { onChange(null); announce('Blocks are automatic again.'); }}>{t('frontBlocks.useAutomaticBlocks')}</button>
          </>
        )}
      </p>
      {blocks.length === 0 && <p class="muted">{t('frontBlocks.noBlocks')}</p>}
      <ReorderableList
        items={blocks}
        listId="front-block"
        class="front-blocks"
        label={t('frontBlocks.blocksAltUpAndAlt')}
        keyOf={(b) => b.uid}
        nameOf={(b) => `block ${blockName(b)}`}
        onMove={(from, to) => {
          onChange(moved(blocks, from, to));
          announce(t('frontBlocks.moved', { block: blockName(blocks[from]!), position: to + 1, total: blocks.length }));
        }}
      >
        {(b, i) => (
          <div class="front-block grow">
            <div class="front-block-head">
              <span class="chip">{kindLabel(b.kind)}{b.source && b.kind !== 'curated' ? `: ${b.source.name}` : ''}</span>
              <label class="front-block-title">
                {t('frontBlocks.title')}
                <input
                  value={b.title ?? ''}
                  maxLength={120}
                  dir="auto"
                  placeholder={b.source?.name ?? ''}
                  aria-label={t('frontBlocks.titleOfBlock', { position: i + 1 })}
                  onInput={(e) => update(b.uid, { title: e.currentTarget.value || null })}
                />
              </label>
              {b.kind !== 'curated' && (
                <label class="front-block-count">
                  {t('frontBlocks.stories')}
                  <input
                    type="number"
                    min={1}
                    max={MAX_BLOCK_ITEMS}
                    value={b.count ?? 4}
                    aria-label={t('frontBlocks.storiesInBlock', { block: blockName(b) })}
                    onInput={(e) => {
                      const n = Math.round(Number(e.currentTarget.value));
                      if (n >= 1 && n <= MAX_BLOCK_ITEMS) update(b.uid, { count: n });
                    }}
                  />
                </label>
              )}
              <button type="button" class="secondary" aria-label={t('frontBlocks.removeBlock', { block: blockName(b) })} onClick={() => { onChange(blocks.filter((x) => x.uid !== b.uid)); announce(t('frontBlocks.removed', { block: blockName(b) })); }}>
                {t('relatedPicker.remove')}
              </button>
            </div>
            {b.kind === 'curated' && (
              <>
                {b.items.length === 0 && <p class="muted">{t('frontBlocks.noStoriesYetFindPublished')}</p>}
                <ReorderableList
                  items={b.items}
                  listId={`front-block-${b.uid}-story`}
                  label={t('frontBlocks.storiesOf', { block: blockName(b) })}
                  keyOf={(p) => p.articleId}
                  nameOf={headlineOf}
                  onMove={(from, to) => {
                    update(b.uid, { items: moved(b.items, from, to) });
                    announce(t('frontBlocks.storyMoved', { headline: headlineOf(b.items[from]!), position: to + 1, block: blockName(b) }));
                  }}
                >
                  {(p) => (
                    <>
                      <span class="grow" dir="auto">{headlineOf(p)}</span>
                      {p.article && p.article.status !== 'published' && <span class={`status status-${p.article.status}`}>{p.article.status}</span>}
                      <ExpiryInput placement={p} label={headlineOf(p)} onSet={(v) => update(b.uid, { items: b.items.map((x) => (x.articleId === p.articleId ? { ...x, expiresAt: v } : x)) })} />
                      <button type="button" class="secondary" aria-label={t('frontBlocks.removeFrom', { headline: headlineOf(p), block: blockName(b) })} onClick={() => update(b.uid, { items: b.items.filter((x) => x.articleId !== p.articleId) })}>
                        {t('relatedPicker.remove')}
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
        <legend>{t('frontBlocks.addABlock')}</legend>
        <label>
          {t('tagsEditor.kind')}
          <select aria-label={t('frontBlocks.kindOfNewBlock')} value={kind} onChange={(e) => setKind(e.currentTarget.value as FrontBlockView['kind'])}>
            <option value="section">{t('frontBlocks.aSectionSNewestStories')}</option>
            <option value="tag">{t('frontBlocks.aTopicSNewestStories')}</option>
            <option value="curated">{t('frontBlocks.storiesIPick')}</option>
          </select>
        </label>
        {kind === 'section' && (
          <label>
            {t('articleList.section')}
            <select aria-label={t('frontBlocks.sectionOfNewBlock')} value={String(sectionId ?? sections[0]?.id ?? '')} onChange={(e) => setSectionId(Number(e.currentTarget.value))}>
              {sections.map((s) => (
                <option key={s.id} value={String(s.id)}>{s.name}</option>
              ))}
            </select>
          </label>
        )}
        {kind === 'tag' && (
          <>
            <label>
              {t('frontBlocks.topic')}
              <input
                type="search"
                aria-label={t('frontBlocks.findATopic')}
                value={topicQuery}
                onInput={(e) => setTopicQuery(e.currentTarget.value)}
                onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); void findTopics(); } }}
              />
            </label>
            <button type="button" onClick={() => void findTopics()}>{t('frontBlocks.findTopics')}</button>
            {topics.length > 0 && (
              <select aria-label={t('frontBlocks.topicOfNewBlock')} value={String(tagId ?? '')} onChange={(e) => setTagId(Number(e.currentTarget.value))}>
                {topics.map((t) => (
                  <option key={t.id} value={String(t.id)}>{t.name}</option>
                ))}
              </select>
            )}
          </>
        )}
        <label>
          {kind === 'curated' ? t('frontBlocks.title') : t('frontBlocks.titleOptional')}
          <input aria-label={t('frontBlocks.titleOfNewBlock')} value={title} maxLength={120} dir="auto" onInput={(e) => setTitle(e.currentTarget.value)} />
        </label>
        <button type="button" onClick={add}>{t('frontBlocks.addBlock')}</button>
        {problem && <p class="error" role="alert">{problem}</p>}
      </fieldset>
    </>
  );
}
