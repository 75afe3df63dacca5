import { useEffect, useState } from 'preact/hooks';
import { api, errorMessage } from '../api.js';
import { formatTime } from '../format.js';
import { useSession } from '../session.js';
import type { InviteResult, OwnerPasswordReset } from '../newsroom-types.js';
import type { Role, User } from '../types.js';
import { t } from '../i18n.js';

const ROLES: Role[] = ['contributor', 'author', 'editor', 'owner'];

/** Owners invite people, change roles and disable accounts. */
export function UsersScreen() {
  const { user: me } = useSession();
  const [users, setUsers] = useState<User[]>([]);
  const [error, setError] = useState('');
  const [invite, setInvite] = useState({ email: '', name: '', role: 'author' as Role });
  const [inviteUrl, setInviteUrl] = useState('');
  const [linkFor, setLinkFor] = useState('');
  const [notice, setNotice] = useState('');
  const [copied, setCopied] = useState(false);

  const load = () => api.get<{ items: User[] }>('/api/admin/users').then((r) => setUsers(r.items), (err: unknown) => setError(errorMessage(err)));
  useEffect(() => void load(), []);

  const sendInvite = async (e: Event) => {
    e.preventDefault();
    setError('');
    setNotice('');
    try {
      const res = await api.post<InviteResult>('/api/admin/users', invite);
      setCopied(false);
      if (res.emailed) {
        setInviteUrl('');
        setNotice(t('users.invitationEmailed', { email: res.user.email }));
      } else {
        setInviteUrl(new URL(res.inviteUrl, location.origin).toString());
        setLinkFor(`the person you invited (${res.user.email})`);
        setNotice(res.emailError ?? '');
      }
      setInvite({ email: '', name: '', role: 'author' });
      void load();
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  const resetPassword = async (u: User) => {
    setError('');
    setNotice('');
    try {
      const res = await api.post<OwnerPasswordReset>(`/api/admin/users/${u.id}/password-reset`);
      if (res.emailed) {
        setInviteUrl('');
        setNotice(`A password reset link was emailed to ${u.email}.`);
      } else if (res.resetUrl) {
        setCopied(false);
        setInviteUrl(new URL(res.resetUrl, location.origin).toString());
        setLinkFor(`${u.name}: it sets a new password (once, within an hour)`);
        setNotice(res.error ?? '');
      }
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  const patch = async (u: User, change: Partial<Pick<User, 'role' | 'disabled' | 'name'>>) => {
    setError('');
    try {
      const updated = await api.patch<User>(`/api/admin/users/${u.id}`, change);
      setUsers((list) => list.map((x) => (x.id === u.id ? updated : x)));
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  return (
    <section>
      <h1>{t('app.users')}</h1>
      {error && <p class="error" role="alert">{error}</p>}
      <form class="panel inline-form" onSubmit={sendInvite}>
        <h2 class="panel-title full">{t('users.inviteSomeone')}</h2>
        <label class="grow">
          {t('users.name')}
          <input required value={invite.name} onInput={(e) => setInvite({ ...invite, name: e.currentTarget.value })} />
        </label>
        <label class="grow">
          {t('login.email')}
          <input type="email" required value={invite.email} onInput={(e) => setInvite({ ...invite, email: e.currentTarget.value })} />
        </label>
        <label>
          {t('users.role')}
          <select value={invite.role} onChange={(e) => setInvite({ ...invite, role: e.currentTarget.value as Role })}>
            {ROLES.map((r) => <option value={r}>{t(`common.roles.${r}`)}</option>)}
          </select>
        </label>
        <button type="submit" class="primary">{t('users.createInvitation')}</button>
      </form>
      {notice && <p class="notice" role="status">{notice}</p>}
      {inviteUrl && (
        <div class="notice" role="status">
          <p>{t('users.sendLinkTo', { name: linkFor })}</p>
          <p class="invite-link"><input readOnly aria-label={t('users.oneTimeLink')} value={inviteUrl} onFocus={(e) => e.currentTarget.select()} /></p>
          <button
            type="button"
            onClick={() => {
              void navigator.clipboard?.writeText(inviteUrl).then(() => setCopied(true), () => undefined);
            }}
          >
            {copied ? t('users.copied') : t('users.copyLink')}
          </button>
        </div>
      )}
      <table class="list">
        <thead>
          <tr><th scope="col">{t('users.name')}</th><th scope="col">{t('login.email')}</th><th scope="col">{t('users.role')}</th><th scope="col">{t('users.lastSignIn')}</th><th scope="col">{t('users.account')}</th></tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id} class={u.disabled ? 'disabled' : undefined}>
              <td data-label={t('users.name')}>{u.name}</td>
              <td data-label={t('login.email')}>{u.email}</td>
              <td data-label={t('users.role')}>
                <select aria-label={t('users.roleOf', { name: u.name })} value={u.role} disabled={u.id === me.id} onChange={(e) => void patch(u, { role: e.currentTarget.value as Role })}>
                  {ROLES.map((r) => <option value={r}>{t(`common.roles.${r}`)}</option>)}
                </select>
              </td>
              <td data-label={t('users.lastSignIn')}>{formatTime(u.lastLoginAt)}</td>
              <td data-label={t('users.account')}>
                {u.id === me.id ? (
                  <span class="muted">{t('users.you')}</span>
                ) : (
                  <span class="row-actions">
                    <button type="button" class={u.disabled ? '' : 'danger'} onClick={() => void patch(u, { disabled: !u.disabled })}>
                      {t(u.disabled ? 'users.enableNamed' : 'users.disableNamed', { name: u.name })}
                    </button>
                    {!u.disabled && <button type="button" onClick={() => void resetPassword(u)}>{t('users.resetPasswordOf', { name: u.name })}</button>}
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
