import { useEffect, useState } from 'preact/hooks';
import { api, errorMessage } from '../api.js';
import { formatTime } from '../format.js';
import type { ApiKeyDto } from '../newsroom-types.js';

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
    if (chosen.size === 0) return setError('Choose at least one scope: what the key may do.');
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
    if (!confirm(`Revoke the key "${k.name}"? Integrations using it stop working at once.`)) return;
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
      <h1>API keys</h1>
      {error && <p class="error" role="alert">{error}</p>}
      <form class="panel" onSubmit={create}>
        <h2 class="panel-title">New key</h2>
        <label>
          Name <small>(who uses it, e.g. “Mobile app”)</small>
          <input required maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <fieldset class="scopes">
          <legend>Scopes: what the key may do</legend>
          {scopes.map((s) => (
            <label key={s} class="checkbox">
              <input type="checkbox" checked={chosen.has(s)} onChange={(e) => toggle(s, e.currentTarget.checked)} /> <code>{s}</code>
            </label>
          ))}
        </fieldset>
        <button type="submit" class="primary">Create key</button>
      </form>
      {secret && (
        <div class="notice" role="status">
          <p>The secret of “{secret.name}”. Copy it now: it is shown only this once. Send it as <code>Authorization: Bearer …</code>.</p>
          <p class="invite-link"><input readOnly aria-label="New key secret" value={secret.value} onFocus={(e) => e.currentTarget.select()} /></p>
          <button type="button" onClick={() => void navigator.clipboard?.writeText(secret.value).catch(() => undefined)}>Copy secret</button>{' '}
          <button type="button" onClick={() => setSecret(null)}>Done</button>
        </div>
      )}
      <table class="list">
        <thead>
          <tr><th scope="col">Name</th><th scope="col">Starts with</th><th scope="col">Scopes</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col">State</th></tr>
        </thead>
        <tbody>
          {keys.map((k) => (
            <tr key={k.id} class={k.revokedAt ? 'disabled' : undefined}>
              <td data-label="Name">{k.name}</td>
              <td data-label="Starts with"><code>{k.prefix}…</code></td>
              <td data-label="Scopes">{k.scopes.map((s) => <code key={s} class="chip">{s}</code>)}</td>
              <td data-label="Created">{formatTime(k.createdAt)}</td>
              <td data-label="Last used">{formatTime(k.lastUsedAt)}</td>
              <td data-label="State">
                {k.revokedAt ? (
                  <span class="muted">Revoked {formatTime(k.revokedAt)}</span>
                ) : (
                  <button type="button" class="danger" onClick={() => void revoke(k)}>Revoke {k.name}</button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {keys.length === 0 && <p>No keys yet.</p>}
    </section>
  );
}
