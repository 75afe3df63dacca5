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
import { t } from '../i18n.js';

type Endpoint = WebhookEndpointDto;
type Delivery = WebhookDeliveryDto;

type EventKey = 'article_published' | 'article_updated' | 'article_unpublished' | 'article_corrected' | 'article_killed' | 'media_ready' | 'breaking_alert' | 'live_alert';
const EVENTS = ['article.published', 'article.updated', 'article.unpublished', 'article.corrected', 'article.killed', 'media.ready', 'breaking.alert', 'live.alert'] as const;
/** An event's name in the interface language (an unknown event as it is). */
const eventLabel = (e: string) => ((EVENTS as readonly string[]).includes(e) ? t(`webhooks.eventNames.${e.replace('.', '_') as EventKey}`) : e);

/** Shows a just-made secret once, with a copy button. */
function SecretNotice({ secret, onClose }: { secret: string; onClose: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div class="notice" role="status">
      <p>
        <strong>{t('webhooks.signingSecret')}</strong> {t('webhooks.giveItToTheReceiver')}
        <code>webhook-signature</code> {t('webhooks.headerWithItStandardWebhooks')}
      </p>
      <p class="invite-link"><input readOnly aria-label={t('webhooks.signingSecret2')} value={secret} onFocus={(e) => e.currentTarget.select()} /></p>
      <button type="button" onClick={() => void navigator.clipboard?.writeText(secret).then(() => setCopied(true), () => undefined)}>{copied ? t('users.copied') : t('apiKeys.copySecret')}</button>{' '}
      <button type="button" class="link-button" onClick={onClose}>{t('apiKeys.done')}</button>
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
        <h3 class="panel-title grow">{t('webhooks.deliveryLog')}</h3>
        <button type="button" onClick={() => void load(null)}>{t('incoming.refresh')}</button>
      </div>
      {error && <p class="error" role="alert">{error}</p>}
      {items.length === 0 ? (
        <p class="muted">{t('webhooks.nothingSentYet')}</p>
      ) : (
        <table class="list">
          <thead>
            <tr><th scope="col">{t('webhooks.event')}</th><th scope="col">{t('articleList.status')}</th><th scope="col">{t('webhooks.response')}</th><th scope="col">{t('webhooks.latency')}</th><th scope="col">{t('webhooks.attempts')}</th><th scope="col">{t('webhooks.lastAttempt')}</th><th scope="col"><span class="visually-hidden">{t('sections.actions')}</span></th></tr>
          </thead>
          <tbody>
            {items.map((d) => (
              <>
                <tr key={d.id}>
                  <td data-label={t('webhooks.event')}><code>{d.event}</code></td>
                  <td data-label={t('articleList.status')}>
                    <span class={`status status-delivery-${d.status}`}>{d.status === 'pending' && d.attempts > 0 ? t('webhooks.retrying') : d.status}</span>
                    {d.error && <div class="muted small">{d.error}</div>}
                    {d.status === 'pending' && d.nextAttemptAt && <div class="muted small">{t('webhooks.nextTryAt', { time: formatTime(d.nextAttemptAt) })}</div>}
                  </td>
                  <td data-label={t('webhooks.response')}>{d.responseStatus ?? '—'}</td>
                  <td data-label={t('webhooks.latency')}>{d.latencyMs === null ? '—' : t('webhooks.milliseconds', { ms: d.latencyMs })}</td>
                  <td data-label={t('webhooks.attempts')}>{d.attempts}</td>
                  <td data-label={t('webhooks.lastAttempt')}>{formatTime(d.lastAttemptAt)}</td>
                  <td data-label={t('sections.actions')}>
                    <button type="button" onClick={() => void retry(d)}>{t('webhooks.retryNow')}</button>{' '}
                    <button type="button" class="link-button" aria-expanded={open === d.id} onClick={() => setOpen(open === d.id ? null : d.id)}>{t('webhooks.payload')}</button>
                  </td>
                </tr>
                {open === d.id && (
                  <tr key={`${d.id}-payload`}>
                    <td colSpan={7}><pre class="payload">{JSON.stringify(JSON.parse(d.payload), null, 2)}</pre><p class="muted small"><code>webhook-id</code> <code>{d.messageId}</code></p></td>
                  </tr>
                )}
              </>
            ))}
          </tbody>
        </table>
      )}
      {cursor && <button type="button" onClick={() => void load(cursor)}>{t('webhooks.olderDeliveries')}</button>}
    </div>
  );
}

function EventChoice({ events, chosen, onChange, name }: { events: string[]; chosen: string[]; onChange: (e: string[]) => void; name: string }) {
  return (
    <fieldset class="events">
      <legend>{t('webhooks.events')}</legend>
      {events.map((e) => (
        <label class="check" key={e}>
          <input
            type="checkbox"
            name={name}
            value={e}
            checked={chosen.includes(e)}
            onChange={(ev) => onChange(ev.currentTarget.checked ? [...chosen, e] : chosen.filter((x) => x !== e))}
          />
          {eventLabel(e)}
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
      <h1>{t('app.webhooks')}</h1>
      <p class="muted">
        {t('webhooks.partnersReceiveSignedHttpPosts')}
      </p>
      {error && <p class="error" role="alert">{error}</p>}
      <form class="panel" onSubmit={create}>
        <h2 class="panel-title">{t('webhooks.addAnEndpoint')}</h2>
        <div class="inline-form">
          <label class="grow">
            {t('webhooks.url')}
            <input type="url" required placeholder={t('webhooks.httpsPartnerExampleHooksDateline')} value={form.url} onInput={(e) => setForm({ ...form, url: e.currentTarget.value })} />
          </label>
          <label class="grow">
            {t('webhooks.description')}
            <input value={form.description} maxLength={500} onInput={(e) => setForm({ ...form, description: e.currentTarget.value })} />
          </label>
        </div>
        <EventChoice events={events} chosen={form.events} name="new-events" onChange={(chosen) => setForm({ ...form, events: chosen })} />
        <button type="submit" class="primary">{t('webhooks.addEndpoint')}</button>
      </form>

      {endpoints.length === 0 && <p class="muted">{t('webhooks.noEndpointsYet')}</p>}
      {endpoints.map((ep) => (
        <article class="panel webhook" key={ep.id} aria-labelledby={`webhook-${ep.id}`}>
          <div class="inline-form">
            <h2 class="panel-title grow" id={`webhook-${ep.id}`}>
              <code>{ep.url}</code> <span class={`status ${ep.enabled ? 'status-published' : 'status-killed'}`}>{ep.enabled ? t('webhooks.on') : t('webhooks.off')}</span>
            </h2>
            <button type="button" onClick={() => setSelected(selected === ep.id ? null : ep.id)} aria-expanded={selected === ep.id}>
              {selected === ep.id ? t('webhooks.hideLog') : t('webhooks.deliveryLog')}
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
            {t('webhooks.eventsAndSecret', { events: ep.events.map(eventLabel).join(', '), hint: ep.secretHint })}
            {ep.previousSecretUntil && t('webhooks.previousSecretUntil', { time: formatTime(ep.previousSecretUntil) })}
            {ep.failureStreak > 0 && t('webhooks.failedInARow', { count: ep.failureStreak })}
          </p>
          <div class="inline-form">
            <button type="button" onClick={() => void act(async () => replace(await api.patch<Endpoint>(`/api/admin/webhooks/${ep.id}`, { enabled: !ep.enabled })))}>
              {ep.enabled ? t('wireSources.switchOff') : t('wireSources.switchOn')}
            </button>
            <button type="button" onClick={() => void act(async () => { await api.post(`/api/admin/webhooks/${ep.id}/test`); setSelected(ep.id); replace({ ...ep }); })}>{t('webhooks.sendTestEvent')}</button>
            <button
              type="button"
              onClick={() =>
                void act(async () => {
                  if (!confirm(t('webhooks.confirmRotate'))) return;
                  const res = await api.post<WebhookWithSecretDto>(`/api/admin/webhooks/${ep.id}/rotate-secret`);
                  replace(res.endpoint);
                  setSecret({ id: ep.id, value: res.secret });
                })
              }
            >
              {t('webhooks.rotateSecret')}
            </button>
            <button
              type="button"
              class="danger"
              onClick={() =>
                void act(async () => {
                  if (!confirm(t('webhooks.confirmRemove', { url: ep.url }))) return;
                  await api.del(`/api/admin/webhooks/${ep.id}`);
                  setEndpoints((list) => list.filter((x) => x.id !== ep.id));
                })
              }
            >
              {t('relatedPicker.remove')}
            </button>
          </div>
          {selected === ep.id && <DeliveryLog endpoint={ep} />}
        </article>
      ))}
    </section>
  );
}
