import { useEffect, useState } from 'preact/hooks';
import type {
  DeliveryListDto,
  WebhookDeliveryDto,
  WebhookEndpointDto,
  WebhookListDto,
  WebhookWithSecretDto,
} from '../../../src/http/schemas/webhooks.schemas.js';
import { api, errorMessage } from '../api.js';
import { formatTime } from '../format.js';

type Endpoint = WebhookEndpointDto;
type Delivery = WebhookDeliveryDto;

const EVENT_LABELS: Record<string, string> = {
  'article.published': 'Article published',
  'article.updated': 'Article updated',
  'article.unpublished': 'Article unpublished',
  'article.corrected': 'Article corrected',
  'article.killed': 'Article killed',
  'media.ready': 'Media ready',
  'breaking.alert': 'Breaking news alert',
  'live.alert': 'Live blog alert',
};

/** Shows a just-made secret once, with a copy button. */
function SecretNotice({ secret, onClose }: { secret: string; onClose: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div class="notice" role="status">
      <p>
        <strong>Signing secret.</strong> Give it to the receiver now: it is not shown again. Receivers verify the
        <code> webhook-signature</code> header with it (Standard Webhooks).
      </p>
      <p class="invite-link"><input readOnly aria-label="Signing secret" value={secret} onFocus={(e) => e.currentTarget.select()} /></p>
      <button type="button" onClick={() => void navigator.clipboard?.writeText(secret).then(() => setCopied(true), () => undefined)}>{copied ? 'Copied' : 'Copy secret'}</button>{' '}
      <button type="button" class="link-button" onClick={onClose}>Done</button>
    </div>
  );
}

function DeliveryLog({ endpoint }: { endpoint: Endpoint }) {
  const [items, setItems] = useState<Delivery[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState('');
  const [open, setOpen] = useState<number | null>(null);

  const load = async (after: string | null) => {
    try {
      const page = await api.get<DeliveryListDto>(`/api/admin/webhooks/${endpoint.id}/deliveries?limit=20${after ? `&cursor=${after}` : ''}`);
      setItems((prev) => (after ? [...prev, ...page.items] : page.items));
      setCursor(page.nextCursor);
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  useEffect(() => void load(null), [endpoint.id, endpoint.updatedAt]);

  const retry = async (d: Delivery) => {
    setError('');
    try {
      const updated = await api.post<Delivery>(`/api/admin/webhooks/${endpoint.id}/deliveries/${d.id}/retry`);
      setItems((list) => list.map((x) => (x.id === d.id ? updated : x)));
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  return (
    <div class="delivery-log">
      <div class="inline-form">
        <h3 class="panel-title grow">Delivery log</h3>
        <button type="button" onClick={() => void load(null)}>Refresh</button>
      </div>
      {error && <p class="error" role="alert">{error}</p>}
      {items.length === 0 ? (
        <p class="muted">Nothing sent yet.</p>
      ) : (
        <table class="list">
          <thead>
            <tr><th scope="col">Event</th><th scope="col">Status</th><th scope="col">Response</th><th scope="col">Latency</th><th scope="col">Attempts</th><th scope="col">Last attempt</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr>
          </thead>
          <tbody>
            {items.map((d) => (
              <>
                <tr key={d.id}>
                  <td data-label="Event"><code>{d.event}</code></td>
                  <td data-label="Status">
                    <span class={`status status-delivery-${d.status}`}>{d.status === 'pending' && d.attempts > 0 ? 'retrying' : d.status}</span>
                    {d.error && <div class="muted small">{d.error}</div>}
                    {d.status === 'pending' && d.nextAttemptAt && <div class="muted small">next try {formatTime(d.nextAttemptAt)}</div>}
                  </td>
                  <td data-label="Response">{d.responseStatus ?? '—'}</td>
                  <td data-label="Latency">{d.latencyMs === null ? '—' : `${d.latencyMs} ms`}</td>
                  <td data-label="Attempts">{d.attempts}</td>
                  <td data-label="Last attempt">{formatTime(d.lastAttemptAt)}</td>
                  <td data-label="Actions">
                    <button type="button" onClick={() => void retry(d)}>Retry now</button>{' '}
                    <button type="button" class="link-button" aria-expanded={open === d.id} onClick={() => setOpen(open === d.id ? null : d.id)}>Payload</button>
                  </td>
                </tr>
                {open === d.id && (
                  <tr key={`${d.id}-payload`}>
                    <td colSpan={7}><pre class="payload">{JSON.stringify(JSON.parse(d.payload), null, 2)}</pre><p class="muted small">webhook-id: <code>{d.messageId}</code></p></td>
                  </tr>
                )}
              </>
            ))}
          </tbody>
        </table>
      )}
      {cursor && <button type="button" onClick={() => void load(cursor)}>Older deliveries</button>}
    </div>
  );
}

function EventChoice({ events, chosen, onChange, name }: { events: string[]; chosen: string[]; onChange: (e: string[]) => void; name: string }) {
  return (
    <fieldset class="events">
      <legend>Events</legend>
      {events.map((e) => (
        <label class="check" key={e}>
          <input
            type="checkbox"
            name={name}
            value={e}
            checked={chosen.includes(e)}
            onChange={(ev) => onChange(ev.currentTarget.checked ? [...chosen, e] : chosen.filter((x) => x !== e))}
          />
          {EVENT_LABELS[e] ?? e}
        </label>
      ))}
    </fieldset>
  );
}

/** Owners register partner endpoints, watch deliveries, retry, rotate secrets. */
export function WebhooksScreen() {
  const [endpoints, setEndpoints] = useState<Endpoint[]>([]);
  const [events, setEvents] = useState<string[]>([]);
  const [error, setError] = useState('');
  const [form, setForm] = useState({ url: '', description: '', events: ['article.published', 'article.updated', 'article.unpublished', 'article.corrected', 'article.killed'] });
  const [secret, setSecret] = useState<{ id: number; value: string } | null>(null);
  const [selected, setSelected] = useState<number | null>(null);

  const load = () =>
    api.get<WebhookListDto>('/api/admin/webhooks').then(
      (r) => {
        setEndpoints(r.items);
        setEvents(r.events);
      },
      (err: unknown) => setError(errorMessage(err)),
    );
  useEffect(() => void load(), []);

  const replace = (e: Endpoint) => setEndpoints((list) => list.map((x) => (x.id === e.id ? e : x)));
  const act = async (fn: () => Promise<void>) => {
    setError('');
    try {
      await fn();
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  const create = (e: Event) => {
    e.preventDefault();
    void act(async () => {
      const res = await api.post<WebhookWithSecretDto>('/api/admin/webhooks', form);
      setEndpoints((list) => [...list, res.endpoint]);
      setSecret({ id: res.endpoint.id, value: res.secret });
      setSelected(res.endpoint.id);
      setForm({ ...form, url: '', description: '' });
    });
  };

  return (
    <section>
      <h1>Webhooks</h1>
      <p class="muted">
        Partners receive signed HTTP POSTs (Standard Webhooks) when stories are published, updated, corrected, unpublished or killed, and when media is ready.
        Deliveries are retried with growing pauses; an endpoint that keeps failing is switched off.
      </p>
      {error && <p class="error" role="alert">{error}</p>}
      <form class="panel" onSubmit={create}>
        <h2 class="panel-title">Add an endpoint</h2>
        <div class="inline-form">
          <label class="grow">
            URL
            <input type="url" required placeholder="https://partner.example/hooks/dateline" value={form.url} onInput={(e) => setForm({ ...form, url: e.currentTarget.value })} />
          </label>
          <label class="grow">
            Description
            <input value={form.description} maxLength={500} onInput={(e) => setForm({ ...form, description: e.currentTarget.value })} />
          </label>
        </div>
        <EventChoice events={events} chosen={form.events} name="new-events" onChange={(chosen) => setForm({ ...form, events: chosen })} />
        <button type="submit" class="primary">Add endpoint</button>
      </form>

      {endpoints.length === 0 && <p class="muted">No endpoints yet.</p>}
      {endpoints.map((ep) => (
        <article class="panel webhook" key={ep.id} aria-labelledby={`webhook-${ep.id}`}>
          <div class="inline-form">
            <h2 class="panel-title grow" id={`webhook-${ep.id}`}>
              <code>{ep.url}</code> <span class={`status ${ep.enabled ? 'status-published' : 'status-killed'}`}>{ep.enabled ? 'on' : 'off'}</span>
            </h2>
            <button type="button" onClick={() => setSelected(selected === ep.id ? null : ep.id)} aria-expanded={selected === ep.id}>
              {selected === ep.id ? 'Hide log' : 'Delivery log'}
            </button>
          </div>
          {ep.description && <p>{ep.description}</p>}
          {ep.disabledReason && (
            <p class="error" role="alert">
              {ep.disabledReason}
            </p>
          )}
          {secret?.id === ep.id && <SecretNotice secret={secret.value} onClose={() => setSecret(null)} />}
          <p class="muted small">
            Events: {ep.events.map((e) => EVENT_LABELS[e] ?? e).join(', ')} · Secret {ep.secretHint}
            {ep.previousSecretUntil && ` · previous secret also signs until ${formatTime(ep.previousSecretUntil)}`}
            {ep.failureStreak > 0 && ` · ${ep.failureStreak} failed attempt(s) in a row`}
          </p>
          <div class="inline-form">
            <button type="button" onClick={() => void act(async () => replace(await api.patch<Endpoint>(`/api/admin/webhooks/${ep.id}`, { enabled: !ep.enabled })))}>
              {ep.enabled ? 'Switch off' : 'Switch on'}
            </button>
            <button type="button" onClick={() => void act(async () => { await api.post(`/api/admin/webhooks/${ep.id}/test`); setSelected(ep.id); replace({ ...ep }); })}>Send test event</button>
            <button
              type="button"
              onClick={() =>
                void act(async () => {
                  if (!confirm('Make a new secret? The old one keeps signing beside it for 24 hours.')) return;
                  const res = await api.post<WebhookWithSecretDto>(`/api/admin/webhooks/${ep.id}/rotate-secret`);
                  replace(res.endpoint);
                  setSecret({ id: ep.id, value: res.secret });
                })
              }
            >
              Rotate secret
            </button>
            <button
              type="button"
              class="danger"
              onClick={() =>
                void act(async () => {
                  if (!confirm(`Remove ${ep.url} and its delivery log?`)) return;
                  await api.del(`/api/admin/webhooks/${ep.id}`);
                  setEndpoints((list) => list.filter((x) => x.id !== ep.id));
                })
              }
            >
              Remove
            </button>
          </div>
          {selected === ep.id && <DeliveryLog endpoint={ep} />}
        </article>
      ))}
    </section>
  );
}
