import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { DomainError } from '../../domain/errors.js';
import { text } from '../../site/i18n.js';
import { blogChannel, breakingChannel, liveKey, parseEventId } from '../../domain/live.js';
import { articleKey } from '../../domain/purge-keys.js';
import type { LiveReader } from '../../services/live/live-hub.js';
import type { Services } from '../../services/index.js';
import { LiveMapper } from '../live-mappers.js';
import { IdParam } from '../schemas/common.schemas.js';
import { LiveBlogSchema, LiveChangesQuery, LiveChangesSchema, LiveEventsQuery, LivePageQuery } from '../schemas/live.schemas.js';
import { setSurrogateKeys } from '../surrogate-keys.js';
import { liveBlogFeed } from '../../services/distribution/live-feed.js';

/** The live client, read once, served under a content-hashed name (cached forever, CSP `script-src 'self'`). */
export function loadLiveScript(): { href: string; js: string } {
  const js = readFileSync(new URL('../../site/assets/live.js', import.meta.url), 'utf8');
  const hash = createHash('sha1').update(js).digest('hex').slice(0, 10);
  return { href: `/assets/live.${hash}.js`, js };
}

/** Seconds a reader refused for LIVE_MAX_READERS is asked to wait. */
const LIVE_BUSY_RETRY_SECONDS = 10;

/** Frames as HTTP/1.1 chunks, made once per frame whatever the number of readers. */
const chunks = new WeakMap<Buffer, Buffer>();
const CRLF = Buffer.from('\r\n');
function httpChunk(frame: Buffer): Buffer {
  let chunk = chunks.get(frame);
  if (!chunk) chunks.set(frame, (chunk = Buffer.concat([Buffer.from(`${frame.length.toString(16)}\r\n`), frame, CRLF])));
  return chunk;
}

/** Path of the SSE endpoint; the page cache lets it through (page-cache-http.ts). */
export const LIVE_EVENTS_PATH = '/live/events';

/**
 * Public side of live coverage: the client script, the Server-Sent Events stream (one
 * per page: the banner of its language and, on a live blog, its entries) and the
 * content API's live blog endpoints.
 */
export function liveRoutes(services: Services, options: { script: { href: string; js: string }; languages: readonly string[]; baseUrl: string; siteName: string }): FastifyPluginAsyncTypebox {
  const live = services.live;
  const mapper = new LiveMapper(options.baseUrl);
  return async (app) => {
    app.get(options.script.href, async (_request, reply) =>
      reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=31536000, immutable').send(options.script.js),
    );

    // Open streams end before the server waits for its connections to close.
    app.addHook('preClose', async () => live.hub.stop());

    app.get(LIVE_EVENTS_PATH, { schema: { querystring: LiveEventsQuery } }, async (request, reply) => {
      const { language, blog, since } = request.query;
      if (!options.languages.includes(language)) throw new DomainError('VALIDATION_FAILED', text('siteHasNoLanguage', { language, languages: options.languages.join(', ') }));
      const header = request.headers['last-event-id'];
      // EventSource sends the last id it saw when it reconnects: that wins over the page's `since`.
      const from = parseEventId(typeof header === 'string' ? header : undefined) ?? parseEventId(since);
      const channels = [breakingChannel(language), ...(blog ? [blogChannel(blog)] : [])];
      if (live.hub.stats.readers >= live.settings.maxReaders) {
        // Full: the browser's EventSource gives up on a 503, so the page keeps working without live updates; proxies and apps retry later.
        reply.header('retry-after', String(LIVE_BUSY_RETRY_SECONDS));
        throw new DomainError('LIVE_BUSY', text('liveBusy', { max: live.settings.maxReaders, seconds: { plural: 'seconds', count: LIVE_BUSY_RETRY_SECONDS } }), { retryAfterSeconds: LIVE_BUSY_RETRY_SECONDS });
      }
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        'x-accel-buffering': 'no',
        connection: 'keep-alive',
        'x-content-type-options': 'nosniff',
      });
      res.socket?.setNoDelay(true);
      res.write('retry: 1000\n\n');
      // The response owns its socket and its head is out: frames go straight to the socket as
      // ready-made chunks (one write each, no per-reader encoding or framing). Otherwise (an
      // HTTP/1.0 client, a pipelined request still queued) through the response.
      const socket = res.socket && (res as { chunkedEncoding?: boolean }).chunkedEncoding ? res.socket : null;
      const reader: LiveReader = {
        channels,
        write: socket ? (frame) => socket.write(httpChunk(frame)) : (frame) => res.write(frame),
        get buffered() {
          return res.writableLength;
        },
        close: () => res.end(),
      };
      res.on('close', () => live.hub.remove(reader));
      await live.hub.add(reader, from);
    });

    app.get(
      '/api/v1/live/:id',
      { schema: { tags: ['content'], summary: 'A live blog: state, key points and one page of entries, newest first', params: Type.Object({ id: IdParam }), querystring: LivePageQuery, response: { 200: LiveBlogSchema } } },
      async (request, reply) => {
        const id = request.params.id;
        if (!(await services.repos.articles.isVisible(id, services.clock()))) throw new DomainError('NOT_FOUND', text('liveNotFound', { id: String(id) }));
        const page = request.query.page ?? 1;
        const limit = request.query.limit ?? 20;
        const p = await live.service.page(id, page, limit);
        setSurrogateKeys(reply, [liveKey(id), articleKey(id)]);
        reply.header('cache-control', 'public, max-age=5');
        return mapper.blog(p, page, limit);
      },
    );

    app.get(
      '/feeds/live/:id/:file',
      { schema: { params: Type.Object({ id: IdParam, file: Type.Union([Type.Literal('rss.xml'), Type.Literal('atom.xml')]) }) } },
      async (request, reply) => {
        const id = request.params.id;
        const article = await services.repos.articles.findById(id);
        if (!article || !(await services.repos.articles.isVisible(id, services.clock())) || !(await live.service.blogState(id))) throw new DomainError('NOT_FOUND', text('liveNotFound', { id: String(id) }));
        const p = await live.service.page(id, 1, 50);
        const format = request.params.file === 'rss.xml' ? 'rss' : 'atom';
        setSurrogateKeys(reply, [liveKey(id), articleKey(id), 'feed']);
        return reply
          .type(format === 'rss' ? 'application/rss+xml; charset=utf-8' : 'application/atom+xml; charset=utf-8')
          .header('cache-control', 'public, max-age=30')
          .send(await liveBlogFeed(article, p.entries, p.endedAt, { baseUrl: options.baseUrl, siteName: options.siteName }, format));
      },
    );

    app.get(
      '/api/v1/live/:id/changes',
      { schema: { tags: ['content'], summary: 'Entries added, changed or deleted after a cursor (oldest first)', params: Type.Object({ id: IdParam }), querystring: LiveChangesQuery, response: { 200: LiveChangesSchema } } },
      async (request, reply) => {
        const id = request.params.id;
        if (!(await services.repos.articles.isVisible(id, services.clock()))) throw new DomainError('NOT_FOUND', text('liveNotFound', { id: String(id) }));
        const { changes, next } = await live.service.changesSince(id, Number(request.query.since), request.query.limit ?? 100);
        // Answers change with every entry; a cursor URL is cheap to recompute, so keep it out of shared caches.
        reply.header('cache-control', 'no-cache');
        return {
          changes: changes.map((c) => ({ id: String(c.id), type: c.type, ...(c.entry ? { entry: mapper.entry(c.entry) } : {}), ...(c.entryId !== undefined ? { entryId: c.entryId } : {}) })),
          cursor: String(next),
        };
      },
    );
  };
}
