import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, errorMessage } from '../api.js';
import type { MailStatus } from '../newsroom-types.js';
import { t } from '../i18n.js';

/** "Forgot password": a one-time link by email, or (no email on this server) what to do instead. */
export function ForgotPasswordScreen() {
  const [mail, setMail] = useState<MailStatus | null>(null);
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api.get<MailStatus>('/api/admin/mail', { quiet401: true }).then(setMail, () => setMail({ enabled: true }));
  }, []);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      const res = await api.post<{ message: string }>('/api/admin/password-resets', { email }, { quiet401: true });
      setSent(res.message);
    } catch (err) {
      setError(err instanceof ApiError && err.code === 'MAIL_NOT_CONFIGURED' ? err.message : errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="narrow" id="main">
      <h1>{t('login.forgotYourPassword')}</h1>
      {mail && !mail.enabled ? (
        <p class="notice" role="status">
          {t('forgotPassword.thisNewsroomDoesNotSend')}
        </p>
      ) : sent ? (
        <p class="notice" role="status">{sent} {t('forgotPassword.checkYourInboxAndThe')}</p>
      ) : (
        <form onSubmit={submit} class="stack">
          <p>{t('forgotPassword.giveTheEmailAddressOf')}</p>
          <label>
            {t('login.email')}
            <input type="email" name="email" autoComplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
          </label>
          {error && <p class="error" role="alert">{error}</p>}
          <button type="submit" class="primary" disabled={busy}>{busy ? t('forgotPassword.sending') : t('forgotPassword.emailMeALink')}</button>
        </form>
      )}
      <p><a href="/admin/login">{t('forgotPassword.backToSignIn')}</a></p>
    </main>
  );
}
