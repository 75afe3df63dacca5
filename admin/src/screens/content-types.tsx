import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { useManagedList } from '../components/use-managed-list.js';
import type { ContentTypeDto } from '../newsroom-types.js';
import { t } from '../i18n.js';

/** Content types: numeric ids (legacy ids such as 21 are kept), a name for URLs and APIs, a label for people. */
export function ContentTypesScreen() {
  const { items, error, notice, run } = useManagedList<ContentTypeDto>('/api/admin/content-types');
  const [creating, setCreating] = useState({ id: '', name: '', label: '' });
  const [editing, setEditing] = useState<ContentTypeDto | null>(null);

  return (
    <section>
      <h1>{t('app.contentTypes')}</h1>
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
            return t('contentTypes.created', { label: c.label, id: c.id });
          });
        }}
      >
        <h2 class="panel-title full">{t('contentTypes.newContentType')}</h2>
        <label class="grow">
          {t('contentTypes.label')}
          <input required maxLength={200} value={creating.label} onInput={(e) => setCreating({ ...creating, label: e.currentTarget.value })} />
        </label>
        <label>
          {t('users.name')} <small>{t('contentTypes.eGPhotoGallery')}</small>
          <input required maxLength={100} value={creating.name} onInput={(e) => setCreating({ ...creating, name: e.currentTarget.value })} />
        </label>
        <label>
          {t('contentTypes.id')} <small>{t('contentTypes.optionalNextFree')}</small>
          <input type="number" min={1} step={1} value={creating.id} onInput={(e) => setCreating({ ...creating, id: e.currentTarget.value })} />
        </label>
        <button type="submit" class="primary">{t('contentTypes.createContentType')}</button>
      </form>
      <table class="list">
        <thead>
          <tr><th scope="col">{t('contentTypes.id')}</th><th scope="col">{t('contentTypes.label')}</th><th scope="col">{t('users.name')}</th><th scope="col">{t('sections.actions')}</th></tr>
        </thead>
        <tbody>
          {items.map((c) =>
            editing?.id === c.id ? (
              <tr key={c.id}>
                <td data-label={t('contentTypes.id')}>{c.id}</td>
                <td colSpan={3}>
                  <form
                    class="inline-form"
                    onSubmit={(e) => {
                      e.preventDefault();
                      void run(async () => {
                        const saved = await api.patch<ContentTypeDto>(`/api/admin/content-types/${c.id}`, { name: editing.name.trim(), label: editing.label.trim() });
                        setEditing(null);
                        return t('contentTypes.saved', { label: saved.label });
                      });
                    }}
                  >
                    <label class="grow">
                      {t('contentTypes.label')}
                      <input required maxLength={200} value={editing.label} onInput={(e) => setEditing({ ...editing, label: e.currentTarget.value })} />
                    </label>
                    <label>
                      {t('users.name')}
                      <input required maxLength={100} value={editing.name} onInput={(e) => setEditing({ ...editing, name: e.currentTarget.value })} />
                    </label>
                    <div class="filter-actions">
                      <button type="submit" class="primary">{t('contentTypes.saveContentType')}</button>
                      <button type="button" onClick={() => setEditing(null)}>{t('articleActions.cancel')}</button>
                    </div>
                  </form>
                </td>
              </tr>
            ) : (
              <tr key={c.id}>
                <td data-label={t('contentTypes.id')}>{c.id}</td>
                <td data-label={t('contentTypes.label')}>{c.label}</td>
                <td data-label={t('users.name')}><code>{c.name}</code></td>
                <td data-label={t('sections.actions')}><button type="button" aria-label={t('sections.editNamed', { name: c.label })} onClick={() => setEditing(c)}>{t('sections.edit')}</button></td>
              </tr>
            ),
          )}
        </tbody>
      </table>
    </section>
  );
}
