/** Where purges go beyond this process: a Varnish (xkey) and/or a CDN's HTTP purge endpoint. */
export interface CdnPurgeSettings {
  /** Varnish base URL, e.g. `http://127.0.0.1:6081/`: a `PURGE` request with an `xkey-purge` header. */
  varnishUrl: string;
  /**
   * A CDN purge endpoint: `{keys}` becomes the keys, space-separated and URL-encoded,
   * `{keys_csv}` comma-separated; sent as a POST with a JSON body `{"keys":[…]}`.
   */
  httpUrl: string;
  /** Optional `Authorization` header value for the CDN endpoint. */
  httpAuthorization: string;
}

/** Largest number of keys in one request (headers stay well under common 8 KB limits). */
const BATCH = 100;

/** Sends purges to the configured CDN(s); throws when one answers with an error, so the job retries. */
export class CdnPurger {
  constructor(
    private readonly settings: CdnPurgeSettings,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  get enabled(): boolean {
    return Boolean(this.settings.varnishUrl || this.settings.httpUrl);
  }

  async purge(keys: readonly string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += BATCH) {
      const batch = keys.slice(i, i + BATCH);
      if (this.settings.varnishUrl) {
        const res = await this.fetchImpl(this.settings.varnishUrl, { method: 'PURGE', headers: { 'xkey-purge': batch.join(' ') }, signal: AbortSignal.timeout(5000) });
        await res.arrayBuffer().catch(() => undefined);
        if (!res.ok) throw new Error(`Varnish answered ${res.status} to a purge of ${batch.length} key(s)`);
      }
      if (this.settings.httpUrl) {
        const url = this.settings.httpUrl
          .replaceAll('{keys}', encodeURIComponent(batch.join(' ')))
          .replaceAll('{keys_csv}', encodeURIComponent(batch.join(',')));
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (this.settings.httpAuthorization) headers.authorization = this.settings.httpAuthorization;
        const res = await this.fetchImpl(url, { method: 'POST', headers, body: JSON.stringify({ keys: batch }), signal: AbortSignal.timeout(5000) });
        await res.arrayBuffer().catch(() => undefined);
        if (!res.ok) throw new Error(`The CDN purge endpoint answered ${res.status} to a purge of ${batch.length} key(s)`);
      }
    }
  }
}
