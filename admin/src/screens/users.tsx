import { useEffect, useState } from 'preact/hooks';
import { api, errorMessage } from '../api.js';
import { formatTime } from '../format.js';
import { useSession } from '../session.js';
import type { InviteResult, OwnerPasswordReset } from '../newsroom-types.js';
import type { Role, User } from '../types.js';

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
        setNotice(`Invitation emailed to ${res.user.email}.`);
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
      <h1>Users</h1>
      {error && <p class="error" role="alert">{error}</p>}
      <form class="panel inline-form" onSubmit={sendInvite}>
        <h2 class="panel-title full">Invite someone</h2>
        <label class="grow">
          Name
          <input required value={invite.name} onInput={(e) => setInvite({ ...invite, name: e.currentTarget.value })} />
        </label>
        <label class="grow">
          Email
          <input type="email" required value={invite.email} onInput={(e) => setInvite({ ...invite, email: e.currentTarget.value })} />
        </label>
        <label>
          Role
          <select value={invite.role} onChange={(e) => setInvite({ ...invite, role: e.currentTarget.value as Role })}>
            {ROLES.map((r) => <option value={r}>{r}</option>)}
          </select>
        </label>
        <button type="submit" class="primary">Create invitation</button>
      </form>
      {notice && <p class="notice" role="status">{notice}</p>}
      {inviteUrl && (
        <div class="notice" role="status">
          <p>Send this one-time link to {linkFor}:</p>
          <p class="invite-link"><input readOnly aria-label="One-time link" value={inviteUrl} onFocus={(e) => e.currentTarget.select()} /></p>
          <button
            type="button"
            onClick={() => {
              void navigator.clipboard?.writeText(inviteUrl).then(() => setCopied(true), () => undefined);
            }}
          >
            {copied ? 'Copied' : 'Copy link'}
          </button>
        </div>
      )}
      <table class="list">
        <thead>
          <tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Last sign-in</th><th scope="col">Account</th></tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id} class={u.disabled ? 'disabled' : undefined}>
              <td data-label="Name">{u.name}</td>
              <td data-label="Email">{u.email}</td>
              <td data-label="Role">
                <select aria-label={`Role of ${u.name}`} value={u.role} disabled={u.id === me.id} onChange={(e) => void patch(u, { role: e.currentTarget.value as Role })}>
                  {ROLES.map((r) => <option value={r}>{r}</option>)}
                </select>
              </td>
              <td data-label="Last sign-in">{formatTime(u.lastLoginAt)}</td>
              <td data-label="Account">
                {u.id === me.id ? (
                  <span class="muted">You</span>
                ) : (
                  <span class="row-actions">
                    <button type="button" class={u.disabled ? '' : 'danger'} onClick={() => void patch(u, { disabled: !u.disabled })}>
                      {u.disabled ? `Enable ${u.name}` : `Disable ${u.name}`}
                    </button>
                    {!u.disabled && <button type="button" onClick={() => void resetPassword(u)}>Reset password of {u.name}</button>}
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
