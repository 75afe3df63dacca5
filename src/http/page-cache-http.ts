import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SURROGATE_KEY_PATTERN } from '../domain/purge-keys.js';
import type { CachedPage, PageCache } from '../services/cache/page-cache.js';
import { etagOf, ifNoneMatchHits, isValidIfNoneMatch } from './plugins/http-caching.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** Paths never served from the page cache: the newsroom, media streams, docs, live event streams, operators' endpoints. */
const BYPASS = /^\/(?:admin(?:\/|$|\?)|api\/admin\/|api\/docs|media\/|assets\/|live\/events|healthz|readyz|metrics)/;
/** Response headers not kept with an entry (per-connection or per-response). */
const DROPPED = new Set(['content-length', 'content-encoding', 'date', 'connection', 'keep-alive', 'transfer-encoding', 'x-cache', 'set-cookie', 'x-request-id', 'age']);
const MARK = Symbol('pageCacheMark');

interface Mark {
  key: string;
  seq: number;
}
type MarkedRequest = IncomingMessage & { [MARK]?: Mark };

/** Shared-cache directives for a response that names surrogate keys. */
export function sharedCacheControl(routeValue: string | undefined, ttlSeconds: number, swrSeconds: number, sieSeconds: number): string {
  const maxAge = /max-age=(\d+)/.exec(routeValue ?? '')?.[1] ?? '60';
  return `public, max-age=${maxAge}, s-maxage=${ttlSeconds}, stale-while-revalidate=${swrSeconds}, stale-if-error=${sieSeconds}`;
}

/** The best encoding the client accepts among those this entry has. */
export function pickEncoding(acceptEncoding: string | undefined, has: { br: boolean; gzip: boolean }): 'br' | 'gzip' | null {
  if (!acceptEncoding) return null;
  let br = false;
  let gz = false;
  for (const part of acceptEncoding.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (q && Number(q.slice(2)) === 0) continue;
    if (name === 'br') br = true;
    else if (name === 'gzip' || name === 'x-gzip') gz = true;
    else if (name === '*') {
      br = true;
      gz = true;
    }
  }
  if (br && has.br) return 'br';
  if (gz && has.gzip) return 'gzip';
  return null;
}

export interface PageCacheLayerOptions {
  ttlSeconds: number;
  staleWhileRevalidateSeconds: number;
  staleIfErrorSeconds: number;
  /** How long a request waits for another's render of the same page before rendering itself. */
  coalesceWaitMs?: number;
  /** Languages have hosts of their own (LANGUAGE_HOSTS): the same path on two hosts is two pages. */
  keyByHost?: boolean;
}

/**
 * The page cache in front of Fastify. Hits are answered from the raw Node server
 * before routing, hooks, rendering or any database query; misses go to Fastify
 * once per page at a time (concurrent requests for the same missing page wait for
 * that one render); a stale entry is served while one background render refreshes it;
 * when that render fails, the stale copy keeps serving for the stale-if-error window.
 * Only responses that name surrogate keys, are `public` and set no cookie are kept.
 */
export class PageCacheLayer {
  private app: FastifyInstance | null = null;
  private readonly pending = new Map<string, Promise<void>>();
  private readonly token = randomBytes(12).toString('hex');
  private readonly cacheControl: string;

  constructor(
    readonly cache: PageCache,
    private readonly options: PageCacheLayerOptions,
  ) {
    this.cacheControl = sharedCacheControl(undefined, options.ttlSeconds, options.staleWhileRevalidateSeconds, options.staleIfErrorSeconds);
  }

  /** For Fastify's `serverFactory`: a plain HTTP server whose requests pass through the cache. */
  serverFactory = (handler: Handler): Server => createServer((req, res) => this.handle(req, res, handler));

  /** The cache key of a request, or null when it must not be served from the cache. */
  keyOf(req: IncomingMessage): string | null {
    if (req.method !== 'GET' && req.method !== 'HEAD') return null;
    const url = req.url ?? '/';
    if (url.length > 2048 || BYPASS.test(url) || req.headers.authorization) return null;
    return this.keyFor(req.headers.host, url);
  }

  /** `/path` or, keyed by host, `//host/path` (a path never starts with `//`, so the two never meet). */
  private keyFor(host: string | undefined, url: string): string {
    return this.options.keyByHost ? `//${(host ?? '').toLowerCase()}${url}` : url;
  }

  /** The request URL of a cache key. */
  private urlOf(key: string): string {
    return key.startsWith('//') ? key.slice(key.indexOf('/', 2)) : key;
  }

  handle(req: IncomingMessage, res: ServerResponse, next: Handler): void {
    const key = this.keyOf(req);
    const inm = req.headers['if-none-match'];
    // Malformed preconditions get Fastify's 400.
    if (key === null || (inm !== undefined && !isValidIfNoneMatch(inm))) return next(req, res);
    const found = this.cache.lookup(key);
    if (found?.freshness === 'fresh') {
      this.cache.stats.hits++;
      return this.serve(req, res, found.entry, 'HIT');
    }
    if (found?.freshness === 'stale') {
      this.cache.stats.staleServed++;
      void this.revalidate(key, req);
      return this.serve(req, res, found.entry, 'STALE');
    }
    if (found) {
      // Past stale-while-revalidate: render now, and fall back on the old copy if that fails.
      void this.revalidate(key, req).then(() => {
        const again = this.cache.lookup(key);
        if (again && again.entry !== found.entry) return this.serve(req, res, again.entry, 'MISS');
        this.cache.stats.staleServed++;
        return this.serve(req, res, found.entry, 'STALE-IF-ERROR');
      });
      return;
    }
    const pending = this.pending.get(key);
    if (pending) {
      void pending.then(() => {
        const again = this.cache.lookup(key);
        if (again) {
          this.cache.stats.hits++;
          return this.serve(req, res, again.entry, 'HIT');
        }
        return next(req, res);
      });
      return;
    }
    this.cache.stats.misses++;
    // A HEAD answer has no body to keep: render it without storing.
    if (req.method === 'HEAD') return next(req, res);
    let done!: () => void;
    const wait = new Promise<void>((resolve) => (done = resolve));
    const timer = setTimeout(() => release(), this.options.coalesceWaitMs ?? 10_000);
    timer.unref();
    const release = () => {
      clearTimeout(timer);
      if (this.pending.get(key) === wait) this.pending.delete(key);
      done();
    };
    this.pending.set(key, wait);
    (req as MarkedRequest)[MARK] = { key, seq: this.cache.begin() };
    res.once('close', release);
    next(req, res);
  }

  /** One background render of `key` at a time; it stores itself through the onSend hook. */
  private revalidate(key: string, req: IncomingMessage): Promise<void> {
    const running = this.pending.get(key);
    if (running) return running;
    const app = this.app;
    if (!app) return Promise.resolve();
    const headers: Record<string, string> = { 'x-dateline-page-cache': `${this.token}:${this.cache.begin()}` };
    for (const h of ['host', 'accept', 'accept-language', 'x-forwarded-proto', 'x-forwarded-host']) {
      const v = req.headers[h];
      if (typeof v === 'string') headers[h] = v;
    }
    const p = app
      .inject({ method: 'GET', url: this.urlOf(key), headers })
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => {
        if (this.pending.get(key) === p) this.pending.delete(key);
      });
    this.pending.set(key, p);
    return p;
  }

  /** Ready-made flat header lists per entry, encoding and state (built once, reused by every hit). */
  private readonly wire = new WeakMap<CachedPage, Map<string, string[]>>();

  private headersFor(entry: CachedPage, encoding: 'br' | 'gzip' | null, length: number, state: string): string[] {
    let byVariant = this.wire.get(entry);
    if (!byVariant) this.wire.set(entry, (byVariant = new Map()));
    const variant = `${encoding ?? 'identity'}:${state}`;
    let flat = byVariant.get(variant);
    if (!flat) {
      flat = [];
      for (const [name, value] of Object.entries(entry.headers)) flat.push(name, value);
      flat.push('content-length', String(length), 'x-cache', state);
      if (encoding) flat.push('content-encoding', encoding);
      byVariant.set(variant, flat);
    }
    return flat;
  }

  private serve(req: IncomingMessage, res: ServerResponse, entry: CachedPage, state: string): void {
    const inm = req.headers['if-none-match'];
    if (inm && ifNoneMatchHits(inm, entry.etag)) {
      res.writeHead(304, { etag: entry.etag, 'cache-control': entry.headers['cache-control'] ?? this.cacheControl, vary: 'Accept-Encoding', 'x-cache': state });
      res.end();
      return;
    }
    const ae = req.headers['accept-encoding'];
    const encoding = ae === undefined || entry.br === undefined ? null : pickEncoding(ae, { br: true, gzip: entry.gzip !== undefined });
    const body = encoding === 'br' ? entry.br! : encoding === 'gzip' ? entry.gzip! : entry.identity;
    res.writeHead(entry.status, this.headersFor(entry, encoding, body.length, state));
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  /** Adds the storing hook (after the ETag hook) and keeps the app for background renders. */
  register(app: FastifyInstance): void {
    this.app = app;
    app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => this.onSend(request, reply, payload));
  }

  private onSend(request: FastifyRequest, reply: FastifyReply, payload: unknown): unknown {
    if (request.method !== 'GET' && request.method !== 'HEAD') return payload;
    const header = reply.getHeader('surrogate-key');
    if (typeof header !== 'string' || !header) return payload;
    const keys = header.split(/\s+/).filter((k) => SURROGATE_KEY_PATTERN.test(k));
    const routeCacheControl = String(reply.getHeader('cache-control') ?? '');
    const cacheable = /\bpublic\b/.test(routeCacheControl) && !/no-store|private/.test(routeCacheControl);
    if (cacheable) {
      reply.header('cache-control', sharedCacheControl(routeCacheControl, this.options.ttlSeconds, this.options.staleWhileRevalidateSeconds, this.options.staleIfErrorSeconds));
    }
    reply.header('cache-tag', keys.join(','));
    const vary = String(reply.getHeader('vary') ?? '');
    const otherVary = vary.split(',').map((v) => v.trim().toLowerCase()).filter((v) => v && v !== 'accept-encoding');
    reply.header('vary', ['Accept-Encoding', ...otherVary].join(', '));

    const mark = this.markOf(request);
    if (!mark) return payload;
    const storable =
      cacheable &&
      reply.statusCode === 200 &&
      otherVary.length === 0 &&
      !reply.hasHeader('set-cookie') &&
      (typeof payload === 'string' || Buffer.isBuffer(payload));
    if (!storable) return payload;
    const body = Buffer.isBuffer(payload) ? payload : Buffer.from(payload as string);
    let etag = reply.getHeader('etag') as string | undefined;
    if (!etag) {
      etag = etagOf(body);
      reply.header('etag', etag);
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(reply.getHeaders())) {
      if (value === undefined || DROPPED.has(name)) continue;
      headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
    }
    const stored = this.cache.store(mark.key, { status: 200, body, etag, headers, surrogateKeys: keys }, mark.seq);
    reply.header('x-cache', stored ? 'MISS' : 'MISS, NOT-STORED');
    return payload;
  }

  private markOf(request: FastifyRequest): Mark | null {
    const raw = (request.raw as MarkedRequest)[MARK];
    if (raw) return raw;
    const h = request.headers['x-dateline-page-cache'];
    if (typeof h !== 'string') return null;
    const [token, seq] = h.split(':');
    if (token !== this.token) return null;
    return { key: this.keyFor(request.headers.host, request.url), seq: Number(seq) };
  }
}
