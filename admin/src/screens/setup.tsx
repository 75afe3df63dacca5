import { useState } from 'preact/hooks';
import { api, errorMessage } from '../api.js';
import type { SessionInfo } from '../types.js';
import { PasswordFields } from './password-form.js';

/** First run: the one-time link printed at start-up creates the owner account. */
export function SetupScreen({ token, onDone }: { token: string; onDone: (info: SessionInfo) => void }) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      onDone(await api.post<SessionInfo>('/api/admin/setup', { token, email, name, password }, { quiet401: true }));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="narrow" id="main">
      <h1>Set up the newsroom</h1>
      {!token ? (
        <p class="error" role="alert">
          This page needs the one-time setup link printed by the server when it starts (<code>/admin/setup?token=…</code>). Open that link.
        </p>
      ) : (
        <>
          <p>Create the owner account. The owner invites everyone else.</p>
          <form onSubmit={submit} class="stack">
            <label>
              Your name
              <input name="name" autoComplete="name" required value={name} onInput={(e) => setName(e.currentTarget.value)} />
            </label>
            <label>
              Email
              <input type="email" name="email" autoComplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
            </label>
            <PasswordFields value={password} onChange={setPassword} />
            {error && <p class="error" role="alert">{error}</p>}
            <button type="submit" class="primary" disabled={busy}>{busy ? 'Creating…' : 'Create owner account'}</button>
          </form>
        </>
      )}
    </main>
  );
}
