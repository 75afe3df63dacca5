import { useState } from 'preact/hooks';
import { api, errorMessage } from '../api.js';
import type { SessionInfo } from '../types.js';
import { PasswordFields } from './password-form.js';
import { t } from '../i18n.js';

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
      <h1>{t('setup.setUpTheNewsroom')}</h1>
      {!token ? (
        <p class="error" role="alert">
          {t('setup.needsSetupLink')} <code>/admin/setup?token=…</code> {t('setup.openThatLink')}
        </p>
      ) : (
        <>
          <p>{t('setup.createTheOwnerAccountThe')}</p>
          <form onSubmit={submit} class="stack">
            <label>
              {t('setup.yourName')}
              <input name="name" autoComplete="name" required value={name} onInput={(e) => setName(e.currentTarget.value)} />
            </label>
            <label>
              {t('login.email')}
              <input type="email" name="email" autoComplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
            </label>
            <PasswordFields value={password} onChange={setPassword} />
            {error && <p class="error" role="alert">{error}</p>}
            <button type="submit" class="primary" disabled={busy}>{busy ? t('setup.creating') : t('setup.createOwnerAccount')}</button>
          </form>
        </>
      )}
    </main>
  );
}
