import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { DomainError } from '../../domain/errors.js';
import { text } from '../../site/i18n.js';
import type { DistributionSettings } from '../../services/distribution/distribution-settings.js';
import { feedFormatOf, type FeedTarget } from '../../services/distribution/feed-paths.js';
import type { FeedDocument } from '../../services/distribution/feed.service.js';
import { renderSiteIcons, webManifest, type SiteIcons } from '../../services/distribution/site-icons.js';
import type { Services } from '../../services/index.js';
import { FeedsPage } from '../../site/pages/feeds-page.js';
import { renderDocument } from '../../site/render.js';
import type { SiteContext } from '../../site/site-context.js';
import { etagOf } from '../plugins/http-caching.js';
import { setSurrogateKeys } from '../surrogate-keys.js';
import { sendHtml } from './site.routes.js';

const FEED_CACHE_CONTROL = 'public, max-age=120, stale-while-revalidate=600';
const SITEMAP_CACHE_CONTROL = 'public, max-age=300, stale-while-revalidate=600';
const NEWS_SITEMAP_CACHE_CONTROL = 'public, max-age=120, stale-while-revalidate=300';
const ICON_CACHE_CONTROL = 'public, max-age=86400';
const XML = 'application/xml; charset=utf-8';

const SlugParam = Type.String({ minLength: 1, maxLength: 300 });
const FileParam = Type.String({ minLength: 1, maxLength: 40 });

/**
 * 304 when the client's copy is current. If-None-Match (checked by the caching plugin
 * against the body's ETag) wins; If-Modified-Since is used only without it (RFC 9110 §13.2.2).
 */
function notModifiedSince(request: FastifyRequest, lastModified: number): boolean {
  if (request.headers['if-none-match'] !== undefined) return false;
  const since = request.headers['if-modified-since'];
  if (!since) return false;
  const at = Date.parse(since);
  return !Number.isNaN(at) && Math.floor(lastModified / 1000) * 1000 <= at;
}

function sendFeed(request: FastifyRequest, reply: FastifyReply, doc: FeedDocument): FastifyReply {
  setSurrogateKeys(reply, doc.surrogateKeys);
  reply.header('cache-control', FEED_CACHE_CONTROL).header('last-modified', new Date(doc.lastModified).toUTCString()).header('etag', etagOf(doc.body));
  if (notModifiedSince(request, doc.lastModified)) return reply.code(304).send();
  return reply.type(doc.contentType).send(doc.body);
}

function feedFile(file: string) {
  const format = feedFormatOf(file);
  if (!format) throw new DomainError('NOT_FOUND', text('feedUnknown', { file }));
  return format;
}

/** Feeds, the feed list, sitemaps, robots.txt, the favicon and the web app manifest. */
export function distributionRoutes(services: Services, site: SiteContext, settings: DistributionSettings): FastifyPluginAsyncTypebox {
  const { feeds, sitemaps } = services.distribution;
  let icons: Promise<SiteIcons> | null = null;
  const siteIcons = () => (icons ??= renderSiteIcons(settings.siteName));

  return async (app) => {
    const serveFeed = async (request: FastifyRequest, reply: FastifyReply, target: FeedTarget, file: string) =>
      sendFeed(request, reply, await feeds.feed(settings, target, feedFile(file)));

    // A language's host serves that language's feed at /feeds/…; its path prefix at /{language}/feeds/….
    app.get('/feeds/:file', { schema: { params: Type.Object({ file: FileParam }) } }, (request, reply) => {
      const code = site.urls.languageOfHost(request.headers.host);
      return serveFeed(request, reply, code ? { kind: 'language', code } : { kind: 'site' }, request.params.file);
    });
    for (const code of site.urls.prefixed) {
      app.get(`/${code}/feeds/:file`, { schema: { params: Type.Object({ file: FileParam }) } }, (request, reply) =>
        serveFeed(request, reply, { kind: 'language', code }, request.params.file),
      );
    }
    app.get('/feeds/section/:slug/:file', { schema: { params: Type.Object({ slug: SlugParam, file: FileParam }) } }, (request, reply) =>
      serveFeed(request, reply, { kind: 'section', slug: request.params.slug }, request.params.file),
    );
    app.get('/feeds/topic/:slug/:file', { schema: { params: Type.Object({ slug: SlugParam, file: FileParam }) } }, (request, reply) =>
      serveFeed(request, reply, { kind: 'topic', slug: request.params.slug }, request.params.file),
    );
    app.get('/feeds/lang/:code/:file', { schema: { params: Type.Object({ code: Type.String({ minLength: 1, maxLength: 35 }), file: FileParam }) } }, (request, reply) =>
      serveFeed(request, reply, { kind: 'language', code: request.params.code }, request.params.file),
    );

    const feedsPage = async (reply: FastifyReply, language: string) => {
      const [snapshot, list] = await Promise.all([services.catalog.current(), feeds.list(settings)]);
      setSurrogateKeys(reply, ['feed']);
      return sendHtml(reply, renderDocument(<FeedsPage chrome={{ site, sections: snapshot.sections, contentTypes: snapshot.contentTypes, live: await services.live.service.pageState() }} feeds={list} language={language} />));
    };
    app.get('/feeds', async (request, reply) => feedsPage(reply, site.urls.languageOfHost(request.headers.host) ?? site.defaultLanguage));
    for (const code of site.urls.prefixed) app.get(`/${code}/feeds`, async (_request, reply) => feedsPage(reply, code));

    app.get('/sitemap.xml', async (_request, reply) => {
      setSurrogateKeys(reply, ['sitemap']);
      return reply.type(XML).header('cache-control', SITEMAP_CACHE_CONTROL).send(await sitemaps.index(settings));
    });

    app.get('/sitemap-news.xml', async (_request, reply) => {
      const news = await sitemaps.news(settings);
      setSurrogateKeys(reply, ['sitemap', 'latest', ...news.articleIds.map((id) => `article-${id}`)]);
      return reply.type(XML).header('cache-control', NEWS_SITEMAP_CACHE_CONTROL).send(news.body);
    });

    app.get('/sitemaps/articles/:file', { schema: { params: Type.Object({ file: FileParam }) } }, async (request, reply) => {
      const m = /^(.+)\.xml$/.exec(request.params.file);
      if (!m) throw new DomainError('NOT_FOUND', text('sitemapNotSitemap', { file: request.params.file }));
      const stream = await sitemaps.month(settings, m[1]!);
      setSurrogateKeys(reply, ['sitemap']);
      return reply.type(XML).header('cache-control', SITEMAP_CACHE_CONTROL).send(Readable.from(stream));
    });

    app.get('/sitemaps/:file', { schema: { params: Type.Object({ file: FileParam }) } }, async (request, reply) => {
      const file = request.params.file;
      setSurrogateKeys(reply, ['sitemap']);
      reply.type(XML).header('cache-control', SITEMAP_CACHE_CONTROL);
      if (file === 'sections.xml') return reply.send(await sitemaps.sections(settings));
      const topics = /^topics-([1-9]\d{0,5})\.xml$/.exec(file);
      if (topics) return reply.send(await sitemaps.topics(settings, Number(topics[1])));
      throw new DomainError('NOT_FOUND', text('sitemapUnknown', { file }));
    });

    app.get('/robots.txt', async (_request, reply) =>
      reply.type('text/plain; charset=utf-8').header('cache-control', 'public, max-age=3600').send(sitemaps.robots(settings)),
    );

    app.get('/manifest.webmanifest', async (_request, reply) =>
      reply.type('application/manifest+json; charset=utf-8').header('cache-control', ICON_CACHE_CONTROL).send(JSON.stringify(webManifest(settings))),
    );
    app.get('/favicon.ico', async (_request, reply) =>
      reply.type('image/x-icon').header('cache-control', ICON_CACHE_CONTROL).send((await siteIcons()).ico),
    );
    app.get('/favicon.svg', async (_request, reply) =>
      reply.type('image/svg+xml').header('cache-control', ICON_CACHE_CONTROL).send((await siteIcons()).svg),
    );
    app.get('/icons/:file', { schema: { params: Type.Object({ file: FileParam }) } }, async (request, reply) => {
      const m = /^icon-(\d{2,3})\.png$/.exec(request.params.file);
      const png = m ? (await siteIcons()).png.get(Number(m[1])) : undefined;
      if (!png) throw new DomainError('NOT_FOUND', text('iconUnknown', { file: request.params.file }));
      return reply.type('image/png').header('cache-control', ICON_CACHE_CONTROL).send(png);
    });
  };
}
