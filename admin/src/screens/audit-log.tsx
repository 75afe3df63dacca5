import { useEffect, useState } from 'preact/hooks';
import { api, errorMessage, query } from '../api.js';
import { formatTime } from '../format.js';
import type { AuditEntryDto, AuditPage } from '../newsroom-types.js';
import { navigate, useLocation } from '../router.js';
import type { User } from '../types.js';
import { t } from '../i18n.js';

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
      <h1>{t('app.auditLog')}</h1>
      <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          {t('auditLog.person')}
          <select value={filter.userId} onChange={(e) => set('userId', e.currentTarget.value)}>
            <option value="">{t('auditLog.everyone')}</option>
            {users.map((u) => <option key={u.id} value={String(u.id)}>{u.name}</option>)}
          </select>
        </label>
        <label>
          {t('auditLog.action')}
          <select value={filter.action} onChange={(e) => set('action', e.currentTarget.value)}>
            <option value="">{t('auditLog.allActions')}</option>
            <optgroup label={t('auditLog.families')}>
              {families.map((f) => <option key={f} value={f}>{f.replace('.*', ' (all)')}</option>)}
            </optgroup>
            <optgroup label={t('sections.actions')}>
              {actions.map((a) => <option key={a} value={a}>{a}</option>)}
            </optgroup>
          </select>
        </label>
        <label>
          {t('auditLog.from')}
          <input type="date" value={filter.from} max={filter.to || undefined} onChange={(e) => set('from', e.currentTarget.value)} />
        </label>
        <label>
          {t('auditLog.to')}
          <input type="date" value={filter.to} min={filter.from || undefined} onChange={(e) => set('to', e.currentTarget.value)} />
        </label>
        {(filter.userId || filter.action || filter.from || filter.to) && (
          <div class="filter-actions"><button type="button" onClick={() => navigate('/audit', { replace: true })}>{t('auditLog.clearFilters')}</button></div>
        )}
      </form>
      {error && <p class="error" role="alert">{error}</p>}
      <table class="list" aria-busy={loading}>
        <thead>
          <tr><th scope="col">{t('revisions.when')}</th><th scope="col">{t('revisions.who')}</th><th scope="col">{t('auditLog.action')}</th><th scope="col">{t('auditLog.subject')}</th><th scope="col">{t('auditLog.detail')}</th></tr>
        </thead>
        <tbody>
          {items.map((e, i) => (
            <tr key={`${e.at}-${i}`}>
              <td data-label={t('revisions.when')}><time dateTime={e.at}>{formatTime(e.at)}</time></td>
              <td data-label={t('revisions.who')}>{e.userName}</td>
              <td data-label={t('auditLog.action')}><code>{e.action}</code></td>
              <td data-label={t('auditLog.subject')}>{e.subject}</td>
              <td data-label={t('auditLog.detail')} dir="auto">{e.detail}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {loading && <p role="status">{t('articleList.loading')}</p>}
      {!loading && items.length === 0 && !error && <p>{t('auditLog.nothingMatchesTheseFilters')}</p>}
      {cursor && !loading && <button type="button" onClick={() => void load(cursor)}>{t('articleList.loadMore')}</button>}
    </section>
  );
}
