import { useState } from 'preact/hooks';
import { ApiError, api, errorMessage } from '../api.js';
import type { SessionInfo } from '../types.js';
import { appLanguage, t } from '../i18n.js';
import { LanguagePicker } from '../components/language-picker.js';

/** The lockout, said once, with the time in the reader's own time zone. */
export function lockoutMessage(problem: { retryAt?: string }): string {
  const at = problem.retryAt ? new Date(problem.retryAt) : null;
  if (!at || Number.isNaN(at.getTime())) return t('login.lockedOut');
  const minutes = Math.max(1, Math.ceil((at.getTime() - Date.now()) / 60_000));
  const time = at.toLocaleTimeString(appLanguage(), { hour: '2-digit', minute: '2-digit' });
  return t('login.lockedOutUntil', { time, count: minutes });
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
      if (err instanceof ApiError && err.status === 401) setError(t('login.noMatch'));
      else if (err instanceof ApiError && err.status === 429) setError(lockoutMessage(err.problem as { retryAt?: string }));
      else if (err instanceof ApiError && err.status === 403) setError(err.problem.detail || t('login.cannotSignIn'));
      else setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="narrow" id="main">
      <h1>{t('login.signInToTheNewsroom')}</h1>
      {expired && (
        <p class="notice" role="status">
          {t('login.yourSessionHasEndedSign')}
        </p>
      )}
      <form onSubmit={submit} class="stack" aria-describedby={error ? 'login-error' : undefined}>
        <label>
          {t('login.email')}
          <input type="email" name="email" autoComplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        </label>
        <label>
          {t('login.password')}
          <input type="password" name="password" autoComplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        </label>
        {error && <p id="login-error" class="error" role="alert">{error}</p>}
        <button type="submit" class="primary" disabled={busy}>{busy ? t('login.signingIn') : t('login.signIn')}</button>
      </form>
      <p><a href="/admin/forgot-password">{t('login.forgotYourPassword')}</a></p>
      <LanguagePicker />
    </main>
  );
}
