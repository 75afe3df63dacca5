import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, errorMessage } from '../api.js';
import type { MailStatus } from '../newsroom-types.js';

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
      <h1>Forgot your password?</h1>
      {mail && !mail.enabled ? (
        <p class="notice" role="status">
          This newsroom does not send email. Ask an owner to reset your password: they get a one-time link to give you.
        </p>
      ) : sent ? (
        <p class="notice" role="status">{sent} Check your inbox (and the spam folder).</p>
      ) : (
        <form onSubmit={submit} class="stack">
          <p>Give the email address of your account. We send it a link to choose a new password.</p>
          <label>
            Email
            <input type="email" name="email" autoComplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
          </label>
          {error && <p class="error" role="alert">{error}</p>}
          <button type="submit" class="primary" disabled={busy}>{busy ? 'Sending…' : 'Email me a link'}</button>
        </form>
      )}
      <p><a href="/admin/login">Back to sign in</a></p>
    </main>
  );
}
