import { useState } from 'preact/hooks';
import { ApiError, api, errorMessage } from '../api.js';
import type { SessionInfo } from '../types.js';

/** The lockout, said once, with the time in the reader's own time zone. */
export function lockoutMessage(problem: { retryAt?: string }): string {
  const at = problem.retryAt ? new Date(problem.retryAt) : null;
  if (!at || Number.isNaN(at.getTime())) return 'Too many failed sign-in attempts. Try again later.';
  const minutes = Math.max(1, Math.ceil((at.getTime() - Date.now()) / 60_000));
  const time = at.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  return `Too many failed sign-in attempts. Try again after ${time} (in ${minutes} minute${minutes === 1 ? '' : 's'}).`;
}

export function LoginScreen({ expired, onDone }: { expired: boolean; onDone: (info: SessionInfo) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      onDone(await api.post<SessionInfo>('/api/admin/session', { email, password }, { quiet401: true }));
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setError('That email and password do not match an account. Check both and try again.');
      else if (err instanceof ApiError && err.status === 429) setError(lockoutMessage(err.problem as { retryAt?: string }));
      else if (err instanceof ApiError && err.status === 403) setError(err.problem.detail || 'This account cannot sign in. Ask an owner.');
      else setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="narrow" id="main">
      <h1>Sign in to the newsroom</h1>
      {expired && (
        <p class="notice" role="status">
          Your session has ended. Sign in again; unsaved text was kept on this device and will be offered back.
        </p>
      )}
      <form onSubmit={submit} class="stack" aria-describedby={error ? 'login-error' : undefined}>
        <label>
          Email
          <input type="email" name="email" autoComplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        </label>
        <label>
          Password
          <input type="password" name="password" autoComplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        </label>
        {error && <p id="login-error" class="error" role="alert">{error}</p>}
        <button type="submit" class="primary" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
      <p><a href="/admin/forgot-password">Forgot your password?</a></p>
    </main>
  );
}
