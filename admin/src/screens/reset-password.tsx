import { useState } from 'preact/hooks';
import { api, errorMessage } from '../api.js';
import type { SessionInfo } from '../types.js';
import { PasswordFields } from './password-form.js';
import { t } from '../i18n.js';

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
      <h1>{t('resetPassword.chooseANewPassword')}</h1>
      {!token ? (
        <p class="error" role="alert">{t('resetPassword.needsResetLink')} <code>/admin/reset-password?token=…</code></p>
      ) : (
        <form onSubmit={submit} class="stack">
          <p>{t('resetPassword.theLinkWorksOnceEvery')}</p>
          <PasswordFields value={password} onChange={setPassword} />
          {error && <p class="error" role="alert">{error}</p>}
          <button type="submit" class="primary" disabled={busy}>{busy ? t('resetPassword.saving') : t('resetPassword.saveTheNewPassword')}</button>
        </form>
      )}
      <p><a href="/admin/forgot-password">{t('resetPassword.askForANewLink')}</a> · <a href="/admin/login">{t('login.signIn')}</a></p>
    </main>
  );
}
