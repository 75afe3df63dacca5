import { useEffect, useState } from 'preact/hooks';
import { api, errorMessage, query } from '../api.js';
import { formatTime } from '../format.js';
import type { AuditEntryDto, AuditPage } from '../newsroom-types.js';
import { navigate, useLocation } from '../router.js';
import type { User } from '../types.js';

/** A local calendar day as an instant: its start, or (for "to") the start of the next day. */
function dayBound(day: string, end: boolean): string | undefined {
  if (!day) return undefined;
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d + (end ? 1 : 0)).toISOString();
}

/** Who did what, when: filter by person, action and day (in this browser's time zone); filters stay in the address. */
export function AuditLogScreen() {
  const loc = useLocation();
  const filter = {
    userId: loc.params.get('userId') ?? '',
    action: loc.params.get('action') ?? '',
    from: loc.params.get('from') ?? '',
    to: loc.params.get('to') ?? '',
  };
  const [users, setUsers] = useState<User[]>([]);
  const [actions, setActions] = useState<string[]>([]);
  const [items, setItems] = useState<AuditEntryDto[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState('');

  useEffect(() => {
    api.get<{ items: User[] }>('/api/admin/users').then((r) => setUsers(r.items), () => undefined);
    api.get<{ items: string[] }>('/api/admin/audit/actions').then((r) => setActions(r.items), () => undefined);
  }, []);

  const load = async (after: string | null) => {
    setLoading(true);
    setError('');
    try {
      const page = await api.get<AuditPage>(
        `/api/admin/audit${query({ userId: filter.userId, action: filter.action, from: dayBound(filter.from, false), to: dayBound(filter.to, true), cursor: after, limit: 50 })}`,
      );
      setItems((prev) => (after ? [...prev, ...page.items] : page.items));
      setCursor(page.nextCursor);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => void load(null), [filter.userId, filter.action, filter.from, filter.to]);

  const set = (key: keyof typeof filter, value: string) => navigate(`/audit${query({ ...filter, [key]: value })}`, { replace: true });
  const families = [...new Set(actions.map((a) => `${a.split('.')[0]}.*`))];

  return (
    <section>
      <h1>Audit log</h1>
      <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          Person
          <select value={filter.userId} onChange={(e) => set('userId', e.currentTarget.value)}>
            <option value="">Everyone</option>
            {users.map((u) => <option key={u.id} value={String(u.id)}>{u.name}</option>)}
          </select>
        </label>
        <label>
          Action
          <select value={filter.action} onChange={(e) => set('action', e.currentTarget.value)}>
            <option value="">All actions</option>
            <optgroup label="Families">
              {families.map((f) => <option key={f} value={f}>{f.replace('.*', ' (all)')}</option>)}
            </optgroup>
            <optgroup label="Actions">
              {actions.map((a) => <option key={a} value={a}>{a}</option>)}
            </optgroup>
          </select>
        </label>
        <label>
          From
          <input type="date" value={filter.from} max={filter.to || undefined} onChange={(e) => set('from', e.currentTarget.value)} />
        </label>
        <label>
          To
          <input type="date" value={filter.to} min={filter.from || undefined} onChange={(e) => set('to', e.currentTarget.value)} />
        </label>
        {(filter.userId || filter.action || filter.from || filter.to) && (
          <div class="filter-actions"><button type="button" onClick={() => navigate('/audit', { replace: true })}>Clear filters</button></div>
        )}
      </form>
      {error && <p class="error" role="alert">{error}</p>}
      <table class="list" aria-busy={loading}>
        <thead>
          <tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Action</th><th scope="col">Subject</th><th scope="col">Detail</th></tr>
        </thead>
        <tbody>
          {items.map((e, i) => (
            <tr key={`${e.at}-${i}`}>
              <td data-label="When"><time dateTime={e.at}>{formatTime(e.at)}</time></td>
              <td data-label="Who">{e.userName}</td>
              <td data-label="Action"><code>{e.action}</code></td>
              <td data-label="Subject">{e.subject}</td>
              <td data-label="Detail" dir="auto">{e.detail}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {loading && <p role="status">Loading…</p>}
      {!loading && items.length === 0 && !error && <p>Nothing matches these filters.</p>}
      {cursor && !loading && <button type="button" onClick={() => void load(cursor)}>Load more</button>}
    </section>
  );
}
