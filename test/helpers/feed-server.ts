import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FeedRoute {
  status?: number;
  body: string;
  type?: string;
  /** Answered as ETag; a request whose If-None-Match equals it gets 304. */
  etag?: string;
  lastModified?: string;
  /** Waits this long before answering (timeouts). */
  delayMs?: number;
}

/** A feed server on 127.0.0.1 that the test fills and reads the requests of; it stops with the test. */
export class FeedServer {
  readonly requests: { path: string; headers: IncomingHttpHeaders; status: number }[] = [];
  private readonly routes = new Map<string, FeedRoute>();
  private server: Server | null = null;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const path = req.url ?? '/';
      const route = this.routes.get(path);
      const answer = () => {
        if (!route) {
          this.requests.push({ path, headers: req.headers, status: 404 });
          res.writeHead(404).end('no such feed');
          return;
        }
        const fresh = (route.etag && req.headers['if-none-match'] === route.etag) || (!route.etag && route.lastModified && req.headers['if-modified-since'] === route.lastModified);
        const status = fresh ? 304 : (route.status ?? 200);
        this.requests.push({ path, headers: req.headers, status });
        const headers: Record<string, string> = { 'content-type': route.type ?? 'application/rss+xml; charset=utf-8' };
        if (route.etag) headers.etag = route.etag;
        if (route.lastModified) headers['last-modified'] = route.lastModified;
        res.writeHead(status, headers).end(fresh ? undefined : route.body);
      };
      if (route?.delayMs) setTimeout(answer, route.delayMs).unref();
      else answer();
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  set(path: string, route: FeedRoute): void {
    this.routes.set(path, route);
  }

  at(path: string) {
    return this.requests.filter((r) => r.path === path);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** An RSS 2.0 document with these items. */
export function rss(items: { guid: string; title: string; html: string; language?: string; author?: string; date?: string }[], channel = { title: 'Agency World', language: 'en' }): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>${esc(channel.title)}</title><link>https://agency.example/</link><description>Wire</description><language>${channel.language}</language>
${items
  .map(
    (i) => `<item><guid isPermaLink="false">${esc(i.guid)}</guid><title>${esc(i.title)}</title><link>https://agency.example/${encodeURIComponent(i.guid)}</link>
<pubDate>${i.date ?? 'Fri, 20 Nov 2026 10:00:00 GMT'}</pubDate>${i.author ? `<dc:creator>${esc(i.author)}</dc:creator>` : ''}${i.language ? `<dc:language>${i.language}</dc:language>` : ''}
<content:encoded><![CDATA[${i.html}]]></content:encoded></item>`,
  )
  .join('\n')}
</channel></rss>`;
}
