import { useState } from 'preact/hooks';
import type { CreateWireSourceDto, WireSourceDto } from '../../../src/http/schemas/wire.schemas.js';
import { api } from '../api.js';
import { useManagedList } from '../components/use-managed-list.js';
import { formatTime } from '../format.js';
import { t } from '../i18n.js';

const EMPTY: CreateWireSourceDto = { name: '', kind: 'feed', location: '', agency: '', language: 'en', intervalSeconds: 300 };
const STATUSES = ['ok', 'not-modified', 'error'] as const;
const statusName = (s: string) => ((STATUSES as readonly string[]).includes(s) ? t(`wireSources.status.${s as (typeof STATUSES)[number]}`) : s);

function SourceForm({ value, onChange, submit, label }: { value: CreateWireSourceDto; onChange: (v: CreateWireSourceDto) => void; submit: string; label: string }) {
  return (
    <>
      <h2 class="panel-title full">{label}</h2>
      <label class="grow">{t('users.name')}<input required maxLength={200} value={value.name} onInput={(e) => onChange({ ...value, name: e.currentTarget.value })} /></label>
      <label>
        {t('tagsEditor.kind')}
        <select value={value.kind} onChange={(e) => onChange({ ...value, kind: e.currentTarget.value as CreateWireSourceDto['kind'] })}>
          <option value="feed">{t('wireSources.rssAtomOrJsonFeed')}</option>
          <option value="ninjs">{t('wireSources.ninjsUrl')}</option>
          <option value="folder">{t('wireSources.watchedFolder')}</option>
        </select>
      </label>
      <label class="grow">{value.kind === 'folder' ? t('wireSources.folder') : t('wireSources.address')}<input required maxLength={2000} value={value.location} onInput={(e) => onChange({ ...value, location: e.currentTarget.value })} /></label>
      <label>{t('wireSources.agency')}<input maxLength={200} value={value.agency} onInput={(e) => onChange({ ...value, agency: e.currentTarget.value })} /></label>
      <label>{t('articleList.language')}<input required maxLength={35} size={5} value={value.language} onInput={(e) => onChange({ ...value, language: e.currentTarget.value })} /></label>
      <label>{t('wireSources.everySeconds')}<input type="number" min={60} max={86400} step={1} value={value.intervalSeconds} onInput={(e) => onChange({ ...value, intervalSeconds: Number(e.currentTarget.value) })} /></label>
      <button type="submit" class="primary">{submit}</button>
    </>
  );
}

/** Wire sources: add, edit, switch off, poll now, and the last poll's status or error. */
export function WireSourcesScreen() {
  const { items, error, notice, run } = useManagedList<WireSourceDto>('/api/admin/wire-sources');
  const [creating, setCreating] = useState<CreateWireSourceDto>(EMPTY);
  const [editing, setEditing] = useState<(CreateWireSourceDto & { id: number }) | null>(null);

  return (
    <section>
      <h1>{t('wireSources.wireSources')}</h1>
      <p class="muted">{t('wireSources.agencyFeedsPolledOnA')} <a href="/admin/incoming">{t('app.incoming')}</a>. {t('wireSources.aFailingSourceIsTried')}</p>
      {error && <p class="error" role="alert">{error}</p>}
      {notice && <p class="notice" role="status">{notice}</p>}
      <form class="panel inline-form" onSubmit={(e) => { e.preventDefault(); void run(async () => { const s = await api.post<WireSourceDto>('/api/admin/wire-sources', { ...creating, agency: creating.agency?.trim() }); setCreating(EMPTY); return t('wireSources.added', { name: s.name }); }); }}>
        <SourceForm value={creating} onChange={setCreating} submit={t('wireSources.addSource')} label={t('wireSources.newSource')} />
      </form>
      <table class="list">
        <thead><tr><th scope="col">{t('wireSources.source')}</th><th scope="col">{t('wireSources.lastPoll')}</th><th scope="col">{t('wireSources.items')}</th><th scope="col">{t('wireSources.nextPoll')}</th><th scope="col"><span class="visually-hidden">{t('sections.actions')}</span></th></tr></thead>
        <tbody>
          {items.map((s) =>
            editing?.id === s.id ? (
              <tr key={s.id}><td colSpan={5}>
                <form class="inline-form" onSubmit={(e) => { e.preventDefault(); void run(async () => { const { id, ...body } = editing; await api.patch(`/api/admin/wire-sources/${id}`, body); setEditing(null); return t('wireSources.saved'); }); }}>
                  <SourceForm value={editing} onChange={(v) => setEditing({ ...v, id: s.id })} submit={t('wireSources.saveSource')} label={t('sections.editNamed', { name: s.name })} />
                  <button type="button" onClick={() => setEditing(null)}>{t('articleActions.cancel')}</button>
                </form>
              </td></tr>
            ) : (
              <tr key={s.id} class={s.enabled ? '' : 'muted'}>
                <td data-label={t('wireSources.source')}><strong>{s.name}</strong>{s.agency && <> ({s.agency})</>}<div class="muted small"><code>{s.location}</code> · {s.kind} · {s.language}{s.enabled ? '' : t('wireSources.switchedOff')}</div></td>
                <td data-label={t('wireSources.lastPoll')}>
                  {s.lastStatus ? <span class={`status wire-${s.lastStatus}`}>{statusName(s.lastStatus)}</span> : '—'} {formatTime(s.lastPolledAt)}
                  {s.lastError && <div class="error small">{s.lastError}{s.failureStreak > 0 && t('wireSources.failedInARow', { count: s.failureStreak })}</div>}
                </td>
                <td data-label={t('wireSources.items')}>{s.itemsReceived}</td>
                <td data-label={t('wireSources.nextPoll')}>{s.enabled ? formatTime(s.nextPollAt) : '—'}</td>
                <td data-label={t('sections.actions')}>
                  <button type="button" onClick={() => setEditing({ id: s.id, name: s.name, kind: s.kind, location: s.location, agency: s.agency, language: s.language, intervalSeconds: s.intervalSeconds })}>{t('sections.edit')}</button>{' '}
                  {s.enabled && <button type="button" onClick={() => void run(async () => { await api.post(`/api/admin/wire-sources/${s.id}/poll`); return `"${s.name}" is polled now.`; })}>{t('wireSources.pollNow')}</button>}{' '}
                  <button type="button" onClick={() => void run(async () => { await api.patch(`/api/admin/wire-sources/${s.id}`, { enabled: !s.enabled }); return s.enabled ? `"${s.name}" switched off.` : `"${s.name}" switched on.`; })}>{s.enabled ? t('wireSources.switchOff') : t('wireSources.switchOn')}</button>{' '}
                  <button type="button" class="danger" onClick={() => { if (confirm(`Remove "${s.name}" and its queue items? Drafts made from them stay.`)) void run(async () => { await api.del(`/api/admin/wire-sources/${s.id}`); return `"${s.name}" removed.`; }); }}>{t('relatedPicker.remove')}</button>
                </td>
              </tr>
            ),
          )}
        </tbody>
      </table>
    </section>
  );
}
