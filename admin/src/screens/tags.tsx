import { useEffect, useState } from 'preact/hooks';
import { api, errorMessage, query } from '../api.js';
import type { AdminTag, TagMergeResult } from '../newsroom-types.js';
import type { TagKind } from '../types.js';

const KINDS: TagKind[] = ['topic', 'person', 'organisation', 'place'];
type Page = { items: AdminTag[]; nextCursor: string | null };

/** Picks the tag another one is merged into: search by name, then choose. */
function MergePanel({ source, onMerged, onCancel }: { source: AdminTag; onMerged: (r: TagMergeResult) => void; onCancel: () => void }) {
  const [q, setQ] = useState('');
  const [found, setFound] = useState<AdminTag[]>([]);
  const [error, setError] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => {
      api.get<Page>(`/api/admin/tags${query({ q, limit: 20 })}`).then((r) => setFound(r.items.filter((t) => t.id !== source.id)), (err: unknown) => setError(errorMessage(err)));
    }, 150);
    return () => clearTimeout(timer);
  }, [q, source.id]);

  const merge = async (target: AdminTag) => {
    const n = source.articleCount;
    if (!confirm(`Merge "${source.name}" into "${target.name}"? Its ${n} article${n === 1 ? '' : 's'} will carry "${target.name}" and "${source.name}" is deleted.`)) return;
    try {
      onMerged(await api.post<TagMergeResult>(`/api/admin/tags/${source.id}/merge`, { into: target.id }));
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  return (
    <div class="panel" role="region" aria-label={`Merge ${source.name}`}>
      <h2 class="panel-title">Merge “{source.name}” ({source.kind}, {source.articleCount} article{source.articleCount === 1 ? '' : 's'}) into another tag</h2>
      <label>
        Find the tag to keep
        <input type="search" value={q} onInput={(e) => setQ(e.currentTarget.value)} autoFocus />
      </label>
      {error && <p class="error" role="alert">{error}</p>}
      <ul class="plain-list">
        {found.map((t) => (
          <li key={t.id}>
            <button type="button" onClick={() => void merge(t)}>Merge into {t.name}</button> <small class="muted">{t.kind} · {t.articleCount} article{t.articleCount === 1 ? '' : 's'}</small>
          </li>
        ))}
        {found.length === 0 && <li class="muted">No other tag matches.</li>}
      </ul>
      <button type="button" onClick={onCancel}>Cancel</button>
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
      <h1>Tags</h1>
      {error && <p class="error" role="alert">{error}</p>}
      {notice && <p class="notice" role="status">{notice}</p>}
      <form
        class="panel inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            const t = await api.post<AdminTag>('/api/admin/tags', creating);
            setCreating({ name: '', kind: creating.kind });
            return `Tag "${t.name}" created.`;
          });
        }}
      >
        <h2 class="panel-title full">New tag</h2>
        <label class="grow">
          Name
          <input required maxLength={200} value={creating.name} onInput={(e) => setCreating({ ...creating, name: e.currentTarget.value })} />
        </label>
        <label>
          Kind
          <select value={creating.kind} onChange={(e) => setCreating({ ...creating, kind: e.currentTarget.value as TagKind })}>
            {KINDS.map((k) => <option value={k}>{k}</option>)}
          </select>
        </label>
        <button type="submit" class="primary">Create tag</button>
      </form>
      {merging && (
        <MergePanel
          key={merging.id}
          source={merging}
          onCancel={() => setMerging(null)}
          onMerged={(r) => {
            setMerging(null);
            void run(async () => `Merged "${merging.name}" into "${r.tag.name}": ${r.moved} article${r.moved === 1 ? '' : 's'} moved; "${r.tag.name}" is now on ${r.tag.articleCount}.`);
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
          Search tags
          <input type="search" name="q" value={q} onInput={(e) => setQ(e.currentTarget.value)} />
        </label>
        <label>
          Kind
          <select
            value={kind}
            onChange={(e) => {
              setKind(e.currentTarget.value);
              void load(null, q, e.currentTarget.value);
            }}
          >
            <option value="">All</option>
            {KINDS.map((k) => <option value={k}>{k}</option>)}
          </select>
        </label>
        <div class="filter-actions"><button type="submit">Search</button></div>
      </form>
      <table class="list">
        <thead>
          <tr><th scope="col">Name</th><th scope="col">Kind</th><th scope="col">Articles</th><th scope="col">Actions</th></tr>
        </thead>
        <tbody>
          {items.map((t) =>
            editing?.id === t.id ? (
              <tr key={t.id}>
                <td colSpan={4}>
                  <form
                    class="inline-form"
                    onSubmit={(e) => {
                      e.preventDefault();
                      void run(async () => {
                        const saved = await api.patch<AdminTag>(`/api/admin/tags/${t.id}`, { name: editing.name, kind: editing.kind });
                        setEditing(null);
                        return `Tag "${saved.name}" saved.`;
                      });
                    }}
                  >
                    <label class="grow">
                      Name
                      <input required maxLength={200} value={editing.name} onInput={(e) => setEditing({ ...editing, name: e.currentTarget.value })} />
                    </label>
                    <label>
                      Kind
                      <select value={editing.kind} onChange={(e) => setEditing({ ...editing, kind: e.currentTarget.value as TagKind })}>
                        {KINDS.map((k) => <option value={k}>{k}</option>)}
                      </select>
                    </label>
                    <div class="filter-actions">
                      <button type="submit" class="primary">Save tag</button>
                      <button type="button" onClick={() => setEditing(null)}>Cancel</button>
                    </div>
                  </form>
                </td>
              </tr>
            ) : (
              <tr key={t.id}>
                <td data-label="Name"><a href={t.url} target="_blank" rel="noopener" dir="auto">{t.name}</a></td>
                <td data-label="Kind">{t.kind}</td>
                <td data-label="Articles">{t.articleCount}</td>
                <td data-label="Actions">
                  <span class="row-actions">
                  <button type="button" aria-label={`Edit ${t.name}`} onClick={() => setEditing({ id: t.id, name: t.name, kind: t.kind })}>Edit</button>
                  <button type="button" aria-label={`Merge ${t.name}`} onClick={() => setMerging(t)}>Merge…</button>
                  <button
                    type="button"
                    class="danger"
                    aria-label={`Delete ${t.name}`}
                    onClick={() => {
                      if (confirm(`Delete the tag "${t.name}"? It is removed from ${t.articleCount} article${t.articleCount === 1 ? '' : 's'}.`)) {
                        void run(async () => {
                          await api.del(`/api/admin/tags/${t.id}`);
                          return `Tag "${t.name}" deleted.`;
                        });
                      }
                    }}
                  >
                    Delete
                  </button>
                </span>
                </td>
              </tr>
            ),
          )}
        </tbody>
      </table>
      {items.length === 0 && <p>No tags match.</p>}
      {cursor && <button type="button" onClick={() => void load(cursor)}>Load more</button>}
    </section>
  );
}
