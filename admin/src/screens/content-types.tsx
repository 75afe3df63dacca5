import { useEffect, useState } from 'preact/hooks';
import { api, errorMessage } from '../api.js';
import type { ContentTypeDto } from '../newsroom-types.js';

/** Content types: numeric ids (legacy ids such as 21 are kept), a name for URLs and APIs, a label for people. */
export function ContentTypesScreen() {
  const [items, setItems] = useState<ContentTypeDto[]>([]);
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const [creating, setCreating] = useState({ id: '', name: '', label: '' });
  const [editing, setEditing] = useState<ContentTypeDto | null>(null);

  const load = () => api.get<{ items: ContentTypeDto[] }>('/api/admin/content-types').then((r) => setItems(r.items), (err: unknown) => setError(errorMessage(err)));
  useEffect(() => void load(), []);

  const run = async (work: () => Promise<string>) => {
    setError('');
    setNotice('');
    try {
      setNotice(await work());
      await load();
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  return (
    <section>
      <h1>Content types</h1>
      {error && <p class="error" role="alert">{error}</p>}
      {notice && <p class="notice" role="status">{notice}</p>}
      <form
        class="panel inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            const body = { name: creating.name.trim(), label: creating.label.trim(), ...(creating.id ? { id: Number(creating.id) } : {}) };
            const c = await api.post<ContentTypeDto>('/api/admin/content-types', body);
            setCreating({ id: '', name: '', label: '' });
            return `Content type "${c.label}" created with id ${c.id}.`;
          });
        }}
      >
        <h2 class="panel-title full">New content type</h2>
        <label class="grow">
          Label
          <input required maxLength={200} value={creating.label} onInput={(e) => setCreating({ ...creating, label: e.currentTarget.value })} />
        </label>
        <label>
          Name <small>(e.g. photo-gallery)</small>
          <input required maxLength={100} value={creating.name} onInput={(e) => setCreating({ ...creating, name: e.currentTarget.value })} />
        </label>
        <label>
          Id <small>(optional; next free)</small>
          <input type="number" min={1} step={1} value={creating.id} onInput={(e) => setCreating({ ...creating, id: e.currentTarget.value })} />
        </label>
        <button type="submit" class="primary">Create content type</button>
      </form>
      <table class="list">
        <thead>
          <tr><th scope="col">Id</th><th scope="col">Label</th><th scope="col">Name</th><th scope="col">Actions</th></tr>
        </thead>
        <tbody>
          {items.map((c) =>
            editing?.id === c.id ? (
              <tr key={c.id}>
                <td data-label="Id">{c.id}</td>
                <td colSpan={3}>
                  <form
                    class="inline-form"
                    onSubmit={(e) => {
                      e.preventDefault();
                      void run(async () => {
                        const saved = await api.patch<ContentTypeDto>(`/api/admin/content-types/${c.id}`, { name: editing.name.trim(), label: editing.label.trim() });
                        setEditing(null);
                        return `Content type "${saved.label}" saved.`;
                      });
                    }}
                  >
                    <label class="grow">
                      Label
                      <input required maxLength={200} value={editing.label} onInput={(e) => setEditing({ ...editing, label: e.currentTarget.value })} />
                    </label>
                    <label>
                      Name
                      <input required maxLength={100} value={editing.name} onInput={(e) => setEditing({ ...editing, name: e.currentTarget.value })} />
                    </label>
                    <div class="filter-actions">
                      <button type="submit" class="primary">Save content type</button>
                      <button type="button" onClick={() => setEditing(null)}>Cancel</button>
                    </div>
                  </form>
                </td>
              </tr>
            ) : (
              <tr key={c.id}>
                <td data-label="Id">{c.id}</td>
                <td data-label="Label">{c.label}</td>
                <td data-label="Name"><code>{c.name}</code></td>
                <td data-label="Actions"><button type="button" aria-label={`Edit ${c.label}`} onClick={() => setEditing(c)}>Edit</button></td>
              </tr>
            ),
          )}
        </tbody>
      </table>
    </section>
  );
}
