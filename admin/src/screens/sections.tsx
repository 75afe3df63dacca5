import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { useManagedList } from '../components/use-managed-list.js';
import type { AdminSection } from '../newsroom-types.js';
import { LANGUAGES } from '../taxonomy.js';
import { t } from '../i18n.js';

type Draft = { slug: string; name: string; names: Record<string, string>; position: string };
const EMPTY: Draft = { slug: '', name: '', names: {}, position: '0' };
const OTHER_LANGUAGES = LANGUAGES.filter((l) => l.tag !== 'en');

function draftOf(s: AdminSection): Draft {
  return { slug: s.slug, name: s.name, names: { ...s.names }, position: String(s.position) };
}

function bodyOf(d: Draft) {
  const names = Object.fromEntries(Object.entries(d.names).filter(([, v]) => v.trim() !== ''));
  return { slug: d.slug.trim(), name: d.name.trim(), names, position: Number(d.position) || 0 };
}

/** One form for a new section or for changing one: slug, name, names per language, position. */
function SectionForm({ initial, submitLabel, onSubmit, onCancel }: { initial: Draft; submitLabel: string; onSubmit: (d: Draft) => Promise<void>; onCancel?: () => void }) {
  const [d, setD] = useState(initial);
  const [busy, setBusy] = useState(false);
  return (
    <form
      class="inline-form"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        try {
          await onSubmit(d);
        } finally {
          setBusy(false);
        }
      }}
    >
      <label class="grow">
        {t('users.name')}
        <input required maxLength={200} value={d.name} onInput={(e) => setD({ ...d, name: e.currentTarget.value })} />
      </label>
      <label>
        {t('sections.slug')} <small>{t('sections.addressSectionSlug')}</small>
        <input required maxLength={100} pattern="[\p{L}\p{N}]+(-[\p{L}\p{N}]+)*" title={t('sections.lettersDigitsAndSingleHyphens')} value={d.slug} onInput={(e) => setD({ ...d, slug: e.currentTarget.value })} />
      </label>
      {OTHER_LANGUAGES.map((l) => (
        <label key={l.tag}>
          {t('sections.nameIn', { language: l.name })}
          <input dir="auto" lang={l.tag} maxLength={200} value={d.names[l.tag] ?? ''} onInput={(e) => setD({ ...d, names: { ...d.names, [l.tag]: e.currentTarget.value } })} />
        </label>
      ))}
      <label>
        {t('sections.position')}
        <input type="number" step={1} value={d.position} onInput={(e) => setD({ ...d, position: e.currentTarget.value })} />
      </label>
      <div class="filter-actions">
        <button type="submit" class="primary" disabled={busy}>{submitLabel}</button>
        {onCancel && <button type="button" onClick={onCancel}>{t('articleActions.cancel')}</button>}
      </div>
    </form>
  );
}

/** Sections: create, rename, translate, reorder, delete empty ones. */
export function SectionsScreen() {
  const { items, error, notice, run } = useManagedList<AdminSection>('/api/admin/sections');
  const [editing, setEditing] = useState<number | null>(null);
  const [formKey, setFormKey] = useState(0);

  return (
    <section>
      <h1>{t('app.sections')}</h1>
      {error && <p class="error" role="alert">{error}</p>}
      {notice && <p class="notice" role="status">{notice}</p>}
      <div class="panel">
        <h2 class="panel-title">{t('sections.newSection')}</h2>
        <SectionForm
          key={formKey}
          initial={EMPTY}
          submitLabel="Create section"
          onSubmit={(d) =>
            run(async () => {
              const s = await api.post<AdminSection>('/api/admin/sections', bodyOf(d));
              setFormKey((k) => k + 1);
              return `Section "${s.name}" created.`;
            })
          }
        />
      </div>
      <table class="list">
        <thead>
          <tr><th scope="col">{t('sections.position')}</th><th scope="col">{t('users.name')}</th><th scope="col">{t('sections.slug')}</th><th scope="col">{t('sections.otherLanguages')}</th><th scope="col">{t('sections.actions')}</th></tr>
        </thead>
        <tbody>
          {items.map((s) =>
            editing === s.id ? (
              <tr key={s.id}>
                <td colSpan={5}>
                  <SectionForm
                    initial={draftOf(s)}
                    submitLabel="Save section"
                    onCancel={() => setEditing(null)}
                    onSubmit={(d) =>
                      run(async () => {
                        const saved = await api.patch<AdminSection>(`/api/admin/sections/${s.id}`, bodyOf(d));
                        setEditing(null);
                        return `Section "${saved.name}" saved.`;
                      })
                    }
                  />
                </td>
              </tr>
            ) : (
              <tr key={s.id}>
                <td data-label={t('sections.position')}>{s.position}</td>
                <td data-label={t('users.name')}><a href={s.url} target="_blank" rel="noopener">{s.name}</a></td>
                <td data-label={t('sections.slug')}><code>{s.slug}</code></td>
                <td data-label={t('sections.otherLanguages')}>{Object.entries(s.names).map(([lang, name]) => <span key={lang} class="chip" lang={lang} dir="auto">{name}</span>)}</td>
                <td data-label={t('sections.actions')}>
                  <span class="row-actions">
                  <button type="button" onClick={() => setEditing(s.id)} aria-label={t('sections.editNamed', { name: s.name })}>{t('sections.edit')}</button>
                  <button
                    type="button"
                    class="danger"
                    aria-label={t('sections.deleteNamed', { name: s.name })}
                    onClick={() => {
                      if (confirm(t('sections.confirmDelete', { name: s.name }))) {
                        void run(async () => {
                          await api.del(`/api/admin/sections/${s.id}`);
                          return `Section "${s.name}" deleted.`;
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
    </section>
  );
}
