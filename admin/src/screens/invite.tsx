import { useState } from 'preact/hooks';
import { api, errorMessage } from '../api.js';
import type { SessionInfo } from '../types.js';
import { PasswordFields } from './password-form.js';
import { t } from '../i18n.js';

/** Accepting an invitation: the invited person chooses a password. */
export function InviteScreen({ token, onDone }: { token: string; onDone: (info: SessionInfo) => void }) {
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      onDone(await api.post<SessionInfo>('/api/admin/invitations/accept', { token, password }, { quiet401: true }));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="narrow" id="main">
      <h1>{t('invite.joinTheNewsroom')}</h1>
      {!token ? (
        <p class="error" role="alert">{t('invite.needsInvitationLink')} <code>/admin/invite?token=…</code></p>
      ) : (
        <form onSubmit={submit} class="stack">
          <p>{t('invite.chooseAPasswordToFinish')}</p>
          <PasswordFields value={password} onChange={setPassword} />
          {error && <p class="error" role="alert">{error}</p>}
          <button type="submit" class="primary" disabled={busy}>{busy ? t('invite.joining') : t('invite.join')}</button>
        </form>
      )}
    </main>
  );
}
