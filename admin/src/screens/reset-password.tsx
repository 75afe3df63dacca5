import { useState } from 'preact/hooks';
import { api, errorMessage } from '../api.js';
import type { SessionInfo } from '../types.js';
import { PasswordFields } from './password-form.js';

/** The page a reset link opens: choose a new password, then you are signed in with it. */
export function ResetPasswordScreen({ token, onDone }: { token: string; onDone: (info: SessionInfo) => void }) {
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      const { email } = await api.post<{ email: string }>('/api/admin/password-resets/complete', { token, password }, { quiet401: true });
      onDone(await api.post<SessionInfo>('/api/admin/session', { email, password }, { quiet401: true }));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="narrow" id="main">
      <h1>Choose a new password</h1>
      {!token ? (
        <p class="error" role="alert">This page needs the link from the password reset email (<code>/admin/reset-password?token=…</code>).</p>
      ) : (
        <form onSubmit={submit} class="stack">
          <p>The link works once. Every device signed in to your account is signed out.</p>
          <PasswordFields value={password} onChange={setPassword} />
          {error && <p class="error" role="alert">{error}</p>}
          <button type="submit" class="primary" disabled={busy}>{busy ? 'Saving…' : 'Save the new password'}</button>
        </form>
      )}
      <p><a href="/admin/forgot-password">Ask for a new link</a> · <a href="/admin/login">Sign in</a></p>
    </main>
  );
}
