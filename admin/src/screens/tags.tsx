import { useEffect, useState } from 'preact/hooks';
import { api, errorMessage, query } from '../api.js';
import type { AdminTag, TagMergeResult } from '../newsroom-types.js';
import type { TagKind } from '../types.js';
import { t } from '../i18n.js';

const KINDS: TagKind[] = ['topic', 'person', 'organisation', 'place'];
type Page = { items: AdminTag[]; nextCursor: string | null };

/** Picks the tag another one is merged into: search by name, then choose. */
function MergePanel({ source, onMerged, onCancel }: { source: AdminTag; onMerged: (r: TagMergeResult) => void; onCancel: () => void }) {
  const [q, setQ] = useState('');
  const [found, setFound] = useState<AdminTag[]>([]);
  const [error, setError] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => {
      api.get<Page>(`/api/admin/tags${query({ q, limit: 20 })}`).then((r) => setFound(r.items.filter((tag) => tag.id !== source.id)), (err: unknown) => setError(errorMessage(err)));
    }, 150);
    return () => clearTimeout(timer);
  }, [q, source.id]);

  const merge = async (target: AdminTag) => {
    const n = source.articleCount;
    if (!confirm(t('tags.confirmMerge', { source: source.name, target: target.name, count: n }))) return;
    try {
      onMerged(await api.post<TagMergeResult>(`/api/admin/tags/${source.id}/merge`, { into: target.id }));
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  return (
    <div class="panel" role="region" aria-label={t('tags.mergeNamed', { name: source.name })}>
      <h2 class="panel-title">{t('tags.mergeHeading', { name: source.name, kind: t(`common.tagKinds.${source.kind}`), count: source.articleCount })}</h2>
      <label>
        {t('tags.findTheTagToKeep')}
        <input type="search" value={q} onInput={(e) => setQ(e.currentTarget.value)} autoFocus />
      </label>
      {error && <p class="error" role="alert">{error}</p>}
      <ul class="plain-list">
        {found.map((tag) => (
          <li key={tag.id}>
            <button type="button" onClick={() => void merge(tag)}>{t('tags.mergeIntoNamed', { name: tag.name })}</button> <small class="muted">{t(`common.tagKinds.${tag.kind}`)} · {t('tags.articleCount', { count: tag.articleCount })}</small>
          </li>
        ))}
        {found.length === 0 && <li class="muted">{t('tags.noOtherTagMatches')}</li>}
      </ul>
      <button type="button" onClick={onCancel}>{t('articleActions.cancel')}</button>
    </div>
  );
}

/** Tags: find, create, rename or change kind, delete, merge duplicates. */
export function TagsScreen() {
  const [q, setQ] = useState('');
  const [kind, setKind] = useState('');
  const [items, setItems] = useState<AdminTag[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const [creating, setCreating] = useState({ name: '', kind: 'topic' as TagKind });
  const [editing, setEditing] = useState<{ id: number; name: string; kind: TagKind } | null>(null);
  const [merging, setMerging] = useState<AdminTag | null>(null);

  const load = async (after: string | null, text = q, k = kind) => {
    setError('');
    try {
      const page = await api.get<Page>(`/api/admin/tags${query({ q: text, kind: k, cursor: after, limit: 50 })}`);
      setItems((prev) => (after ? [...prev, ...page.items] : page.items));
      setCursor(page.nextCursor);
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  useEffect(() => void load(null), []);

  const run = async (work: () => Promise<string>) => {
    setError('');
    setNotice('');
    try {
      setNotice(await work());
      await load(null);
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  return (
    <section>
      <h1>{t('app.tags')}</h1>
      {error && <p class="error" role="alert">{error}</p>}
      {notice && <p class="notice" role="status">{notice}</p>}
      <form
        class="panel inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            const tag = await api.post<AdminTag>('/api/admin/tags', creating);
            setCreating({ name: '', kind: creating.kind });
            return t('tags.created', { name: tag.name });
          });
        }}
      >
        <h2 class="panel-title full">{t('tags.newTag')}</h2>
        <label class="grow">
          {t('users.name')}
          <input required maxLength={200} value={creating.name} onInput={(e) => setCreating({ ...creating, name: e.currentTarget.value })} />
        </label>
        <label>
          {t('tagsEditor.kind')}
          <select value={creating.kind} onChange={(e) => setCreating({ ...creating, kind: e.currentTarget.value as TagKind })}>
            {KINDS.map((k) => <option value={k}>{t(`common.tagKinds.${k}`)}</option>)}
          </select>
        </label>
        <button type="submit" class="primary">{t('tags.createTag')}</button>
      </form>
      {merging && (
        <MergePanel
          key={merging.id}
          source={merging}
          onCancel={() => setMerging(null)}
          onMerged={(r) => {
            setMerging(null);
            void run(async () => t('tags.merged', { source: merging.name, target: r.tag.name, count: r.moved, total: r.tag.articleCount }));
          }}
        />
      )}
      <form
        class="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          void load(null);
        }}
      >
        <label class="grow">
          {t('tags.searchTags')}
          <input type="search" name="q" value={q} onInput={(e) => setQ(e.currentTarget.value)} />
        </label>
        <label>
          {t('tagsEditor.kind')}
          <select
            value={kind}
            onChange={(e) => {
              setKind(e.currentTarget.value);
              void load(null, q, e.currentTarget.value);
            }}
          >
            <option value="">{t('mediaLibrary.all')}</option>
            {KINDS.map((k) => <option value={k}>{t(`common.tagKinds.${k}`)}</option>)}
          </select>
        </label>
        <div class="filter-actions"><button type="submit">{t('articleList.search')}</button></div>
      </form>
      <table class="list">
        <thead>
          <tr><th scope="col">{t('users.name')}</th><th scope="col">{t('tagsEditor.kind')}</th><th scope="col">{t('app.articles')}</th><th scope="col">{t('sections.actions')}</th></tr>
        </thead>
        <tbody>
          {items.map((tag) =>
            editing?.id === tag.id ? (
              <tr key={tag.id}>
                <td colSpan={4}>
                  <form
                    class="inline-form"
                    onSubmit={(e) => {
                      e.preventDefault();
                      void run(async () => {
                        const saved = await api.patch<AdminTag>(`/api/admin/tags/${tag.id}`, { name: editing.name, kind: editing.kind });
                        setEditing(null);
                        return t('tags.saved', { name: saved.name });
                      });
                    }}
                  >
                    <label class="grow">
                      {t('users.name')}
                      <input required maxLength={200} value={editing.name} onInput={(e) => setEditing({ ...editing, name: e.currentTarget.value })} />
                    </label>
                    <label>
                      {t('tagsEditor.kind')}
                      <select value={editing.kind} onChange={(e) => setEditing({ ...editing, kind: e.currentTarget.value as TagKind })}>
                        {KINDS.map((k) => <option value={k}>{t(`common.tagKinds.${k}`)}</option>)}
                      </select>
                    </label>
                    <div class="filter-actions">
                      <button type="submit" class="primary">{t('tags.saveTag')}</button>
                      <button type="button" onClick={() => setEditing(null)}>{t('articleActions.cancel')}</button>
                    </div>
                  </form>
                </td>
              </tr>
            ) : (
              <tr key={tag.id}>
                <td data-label={t('users.name')}><a href={tag.url} target="_blank" rel="noopener" dir="auto">{tag.name}</a></td>
                <td data-label={t('tagsEditor.kind')}>{t(`common.tagKinds.${tag.kind}`)}</td>
                <td data-label={t('app.articles')}>{tag.articleCount}</td>
                <td data-label={t('sections.actions')}>
                  <span class="row-actions">
                  <button type="button" aria-label={t('sections.editNamed', { name: tag.name })} onClick={() => setEditing({ id: tag.id, name: tag.name, kind: tag.kind })}>{t('sections.edit')}</button>
                  <button type="button" aria-label={t('tags.mergeNamed', { name: tag.name })} onClick={() => setMerging(tag)}>{t('tags.merge2')}</button>
                  <button
                    type="button"
                    class="danger"
                    aria-label={t('sections.deleteNamed', { name: tag.name })}
                    onClick={() => {
                      if (confirm(t('tags.confirmDelete', { name: tag.name, count: tag.articleCount }))) {
                        void run(async () => {
                          await api.del(`/api/admin/tags/${tag.id}`);
                          return t('tags.deleted', { name: tag.name });
                        });
                      }
                    }}
                  >
                    {t('mediaDetail.delete')}
                  </button>
                </span>
                </td>
              </tr>
            ),
          )}
        </tbody>
      </table>
      {items.length === 0 && <p>{t('tags.noTagsMatch')}</p>}
      {cursor && <button type="button" onClick={() => void load(cursor)}>{t('articleList.loadMore')}</button>}
    </section>
  );
}
