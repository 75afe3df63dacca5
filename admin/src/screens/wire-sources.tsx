import { useEffect, useState } from 'preact/hooks';
import type { CreateWireSourceDto, WireSourceDto, WireSourceListDto } from '../../../src/http/schemas/wire.schemas.js';
import { api, errorMessage } from '../api.js';
import { formatTime } from '../format.js';

const EMPTY: CreateWireSourceDto = { name: '', kind: 'feed', location: '', agency: '', language: 'en', intervalSeconds: 300 };
const STATUS: Record<string, string> = { ok: 'OK', 'not-modified': 'Unchanged', error: 'Error' };

function SourceForm({ value, onChange, submit, label }: { value: CreateWireSourceDto; onChange: (v: CreateWireSourceDto) => void; submit: string; label: string }) {
  return (
    <>
      <h2 class="panel-title full">{label}</h2>
      <label class="grow">Name<input required maxLength={200} value={value.name} onInput={(e) => onChange({ ...value, name: e.currentTarget.value })} /></label>
      <label>
        Kind
        <select value={value.kind} onChange={(e) => onChange({ ...value, kind: e.currentTarget.value as CreateWireSourceDto['kind'] })}>
          <option value="feed">RSS, Atom or JSON Feed URL</option>
          <option value="ninjs">ninjs URL</option>
          <option value="folder">Watched folder</option>
        </select>
      </label>
      <label class="grow">{value.kind === 'folder' ? 'Folder' : 'Address'}<input required maxLength={2000} value={value.location} onInput={(e) => onChange({ ...value, location: e.currentTarget.value })} /></label>
      <label>Agency<input maxLength={200} value={value.agency} onInput={(e) => onChange({ ...value, agency: e.currentTarget.value })} /></label>
      <label>Language<input required maxLength={35} size={5} value={value.language} onInput={(e) => onChange({ ...value, language: e.currentTarget.value })} /></label>
      <label>Every (seconds)<input type="number" min={60} max={86400} step={1} value={value.intervalSeconds} onInput={(e) => onChange({ ...value, intervalSeconds: Number(e.currentTarget.value) })} /></label>
      <button type="submit" class="primary">{submit}</button>
    </>
  );
}

/** Wire sources: add, edit, switch off, poll now, and the last poll's status or error. */
export function WireSourcesScreen() {
  const [items, setItems] = useState<WireSourceDto[]>([]);
  const [creating, setCreating] = useState<CreateWireSourceDto>(EMPTY);
  const [editing, setEditing] = useState<(CreateWireSourceDto & { id: number }) | null>(null);
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');

  const load = () => api.get<WireSourceListDto>('/api/admin/wire-sources').then((r) => setItems(r.items), (err: unknown) => setError(errorMessage(err)));
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
      <h1>Wire sources</h1>
      <p class="muted">Agency feeds polled on a schedule into <a href="/admin/incoming">Incoming</a>. A failing source is tried again later and later (up to six hours).</p>
      {error && <p class="error" role="alert">{error}</p>}
      {notice && <p class="notice" role="status">{notice}</p>}
      <form class="panel inline-form" onSubmit={(e) => { e.preventDefault(); void run(async () => { const s = await api.post<WireSourceDto>('/api/admin/wire-sources', { ...creating, agency: creating.agency?.trim() }); setCreating(EMPTY); return `Source "${s.name}" added; it is polled now.`; }); }}>
        <SourceForm value={creating} onChange={setCreating} submit="Add source" label="New source" />
      </form>
      <table class="list">
        <thead><tr><th scope="col">Source</th><th scope="col">Last poll</th><th scope="col">Items</th><th scope="col">Next poll</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
        <tbody>
          {items.map((s) =>
            editing?.id === s.id ? (
              <tr key={s.id}><td colSpan={5}>
                <form class="inline-form" onSubmit={(e) => { e.preventDefault(); void run(async () => { const { id, ...body } = editing; await api.patch(`/api/admin/wire-sources/${id}`, body); setEditing(null); return 'Source saved.'; }); }}>
                  <SourceForm value={editing} onChange={(v) => setEditing({ ...v, id: s.id })} submit="Save source" label={`Edit ${s.name}`} />
                  <button type="button" onClick={() => setEditing(null)}>Cancel</button>
                </form>
              </td></tr>
            ) : (
              <tr key={s.id} class={s.enabled ? '' : 'muted'}>
                <td data-label="Source"><strong>{s.name}</strong>{s.agency && <> ({s.agency})</>}<div class="muted small"><code>{s.location}</code> · {s.kind} · {s.language}{s.enabled ? '' : ' · switched off'}</div></td>
                <td data-label="Last poll">
                  {s.lastStatus ? <span class={`status wire-${s.lastStatus}`}>{STATUS[s.lastStatus]}</span> : '—'} {formatTime(s.lastPolledAt)}
                  {s.lastError && <div class="error small">{s.lastError}{s.failureStreak > 0 && ` (${s.failureStreak} failed in a row)`}</div>}
                </td>
                <td data-label="Items">{s.itemsReceived}</td>
                <td data-label="Next poll">{s.enabled ? formatTime(s.nextPollAt) : '—'}</td>
                <td data-label="Actions">
                  <button type="button" onClick={() => setEditing({ id: s.id, name: s.name, kind: s.kind, location: s.location, agency: s.agency, language: s.language, intervalSeconds: s.intervalSeconds })}>Edit</button>{' '}
                  {s.enabled && <button type="button" onClick={() => void run(async () => { await api.post(`/api/admin/wire-sources/${s.id}/poll`); return `"${s.name}" is polled now.`; })}>Poll now</button>}{' '}
                  <button type="button" onClick={() => void run(async () => { await api.patch(`/api/admin/wire-sources/${s.id}`, { enabled: !s.enabled }); return s.enabled ? `"${s.name}" switched off.` : `"${s.name}" switched on.`; })}>{s.enabled ? 'Switch off' : 'Switch on'}</button>{' '}
                  <button type="button" class="danger" onClick={() => { if (confirm(`Remove "${s.name}" and its queue items? Drafts made from them stay.`)) void run(async () => { await api.del(`/api/admin/wire-sources/${s.id}`); return `"${s.name}" removed.`; }); }}>Remove</button>
                </td>
              </tr>
            ),
          )}
        </tbody>
      </table>
    </section>
  );
}
