import { useEffect, useState } from 'preact/hooks';
import { api, errorMessage } from '../api.js';
import { formatTime } from '../format.js';
import type { ApiKeyDto } from '../newsroom-types.js';
import { t } from '../i18n.js';

/** Owners create integration keys with scopes (the secret is shown once) and revoke them. */
export function ApiKeysScreen() {
  const [keys, setKeys] = useState<ApiKeyDto[]>([]);
  const [scopes, setScopes] = useState<string[]>([]);
  const [name, setName] = useState('');
  const [chosen, setChosen] = useState<Set<string>>(new Set(['articles.read']));
  const [secret, setSecret] = useState<{ name: string; value: string } | null>(null);
  const [error, setError] = useState('');

  const load = () => api.get<{ items: ApiKeyDto[] }>('/api/admin/api-keys').then((r) => setKeys(r.items), (err: unknown) => setError(errorMessage(err)));
  useEffect(() => {
    void load();
    api.get<{ items: string[] }>('/api/admin/api-keys/scopes').then((r) => setScopes(r.items), (err: unknown) => setError(errorMessage(err)));
  }, []);

  const create = async (e: Event) => {
    e.preventDefault();
    setError('');
    if (chosen.size === 0) return setError(t('apiKeys.chooseScope'));
    try {
      const res = await api.post<{ apiKey: ApiKeyDto; secret: string }>('/api/admin/api-keys', { name: name.trim(), scopes: [...chosen] });
      setSecret({ name: res.apiKey.name, value: res.secret });
      setName('');
      await load();
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  const revoke = async (k: ApiKeyDto) => {
    if (!confirm(t('apiKeys.confirmRevoke', { name: k.name }))) return;
    setError('');
    try {
      await api.del(`/api/admin/api-keys/${k.id}`);
      await load();
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  const toggle = (scope: string, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(scope);
    else next.delete(scope);
    setChosen(next);
  };

  return (
    <section>
      <h1>{t('app.apiKeys')}</h1>
      {error && <p class="error" role="alert">{error}</p>}
      <form class="panel" onSubmit={create}>
        <h2 class="panel-title">{t('apiKeys.newKey')}</h2>
        <label>
          {t('users.name')} <small>{t('apiKeys.whoUsesItEG')}</small>
          <input required maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <fieldset class="scopes">
          <legend>{t('apiKeys.scopesWhatTheKeyMay')}</legend>
          {scopes.map((s) => (
            <label key={s} class="checkbox">
              <input type="checkbox" checked={chosen.has(s)} onChange={(e) => toggle(s, e.currentTarget.checked)} /> <code>{s}</code>
            </label>
          ))}
        </fieldset>
        <button type="submit" class="primary">{t('apiKeys.createKey')}</button>
      </form>
      {secret && (
        <div class="notice" role="status">
          <p>{t('apiKeys.secretOf', { name: secret.name })} <code>Authorization: Bearer …</code></p>
          <p class="invite-link"><input readOnly aria-label={t('apiKeys.newKeySecret')} value={secret.value} onFocus={(e) => e.currentTarget.select()} /></p>
          <button type="button" onClick={() => void navigator.clipboard?.writeText(secret.value).catch(() => undefined)}>{t('apiKeys.copySecret')}</button>{' '}
          <button type="button" onClick={() => setSecret(null)}>{t('apiKeys.done')}</button>
        </div>
      )}
      <table class="list">
        <thead>
          <tr><th scope="col">{t('users.name')}</th><th scope="col">{t('apiKeys.startsWith')}</th><th scope="col">{t('apiKeys.scopes')}</th><th scope="col">{t('apiKeys.created')}</th><th scope="col">{t('apiKeys.lastUsed')}</th><th scope="col">{t('apiKeys.state')}</th></tr>
        </thead>
        <tbody>
          {keys.map((k) => (
            <tr key={k.id} class={k.revokedAt ? 'disabled' : undefined}>
              <td data-label={t('users.name')}>{k.name}</td>
              <td data-label={t('apiKeys.startsWith')}><code>{k.prefix}…</code></td>
              <td data-label={t('apiKeys.scopes')}>{k.scopes.map((s) => <code key={s} class="chip">{s}</code>)}</td>
              <td data-label={t('apiKeys.created')}>{formatTime(k.createdAt)}</td>
              <td data-label={t('apiKeys.lastUsed')}>{formatTime(k.lastUsedAt)}</td>
              <td data-label={t('apiKeys.state')}>
                {k.revokedAt ? (
                  <span class="muted">{t('apiKeys.revoked')} {formatTime(k.revokedAt)}</span>
                ) : (
                  <button type="button" class="danger" onClick={() => void revoke(k)}>{t('apiKeys.revoke')} {k.name}</button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {keys.length === 0 && <p>{t('apiKeys.noKeysYet')}</p>}
    </section>
  );
}
