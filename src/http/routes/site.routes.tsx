import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { articlePath } from '../../domain/article.js';
import { DomainError } from '../../domain/errors.js';
import { text } from '../../site/i18n.js';
import type { Services } from '../../services/index.js';
import { frontArticles } from '../../services/fronts/front.service.js';
import { ArticlePage } from '../../site/pages/article-page.js';
import { HomePage } from '../../site/pages/home-page.js';
import { ListPage } from '../../site/pages/list-page.js';
import { fontPreloadHeader, siteFonts } from '../../site/fonts.js';
import { renderDocument } from '../../site/render.js';
import type { PageChrome, SiteContext } from '../../site/site-context.js';
import { sectionName } from '../../site/site-context.js';
import { SITE_CSP } from '../plugins/security-headers.js';
import { IdParam } from '../schemas/common.schemas.js';
import { setSurrogateKeys } from '../surrogate-keys.js';
import { frontSurrogateKeys } from './fronts.routes.js';
import { breakingKey, liveKey } from '../../domain/live.js';
import type { LiveBlogView } from '../../site/components/live-blog.js';
import { articleKey, frontKey, langKey, LATEST_KEY, relatedKey, sectionKey, tagKey, storyTranslationKey } from '../../domain/purge-keys.js';
import { topicVersions } from '../../services/distribution/sitemap.service.js';

const PER_PAGE = 20;
const MAX_PAGE = 1000;
const PAGE_CACHE_CONTROL = 'public, max-age=60, stale-while-revalidate=300';
/** Live blog pages move by the minute: browsers re-ask soon (shared caches are purged per entry). */
const LIVE_CACHE_CONTROL = 'public, max-age=10, stale-while-revalidate=30';
const LIVE_PER_PAGE = 20;
/** Content-hashed static files (stylesheet, fonts): a new version has a new name. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Stories on a language's home page (the first is its lead). */
const HOME_COUNT = 13;

const PageQuery = Type.Object({ page: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE })) });
const SlugParam = Type.String({ minLength: 1, maxLength: 300 });

/** The stylesheet (the font faces first), read once, served under a content-hashed name so it can be cached forever. */
export function loadStylesheet(): { href: string; css: string } {
  const css = siteFonts().css + readFileSync(new URL('../../site/assets/site.css', import.meta.url), 'utf8');
  const hash = createHash('sha1').update(css).digest('hex').slice(0, 10);
  return { href: `/assets/site.${hash}.css`, css };
}

export function sendHtml(reply: FastifyReply, html: string, cacheControl = PAGE_CACHE_CONTROL): FastifyReply {
  // Every cached page shows the breaking banner of its language: a new banner purges them.
  const keys = reply.getHeader('surrogate-key');
  const language = /^<!doctype html><html lang="([a-zA-Z-]{2,12})"/.exec(html)?.[1];
  if (typeof keys === 'string' && keys && language) reply.header('surrogate-key', `${keys} ${breakingKey(language)}`);
  const preload = language ? fontPreloadHeader(language) : null;
  if (preload) reply.header('link', preload);
  return reply
    .type('text/html; charset=utf-8')
    .header('cache-control', cacheControl)
    .header('content-security-policy', SITE_CSP)
    .send(html);
}

/** Reference data every page renders with (sections, content types, breaking banners). */
export async function pageChrome(services: Services, site: SiteContext): Promise<PageChrome> {
  const [snapshot, live] = await Promise.all([services.catalog.current(), services.live.service.pageState()]);
  return { site, sections: snapshot.sections, contentTypes: snapshot.contentTypes, live };
}

/**
 * The language a language-scoped page is in: the one its path prefix names, else the one
 * its host serves (LANGUAGE_HOSTS), else the default language.
 */
export function pageLanguage(site: SiteContext, fixed: string | null, request: FastifyRequest): string {
  return fixed ?? site.urls.languageOfHost(request.headers.host) ?? site.defaultLanguage;
}

const totalPages = (total: number, perPage = PER_PAGE) => Math.max(1, Math.ceil(total / perPage));

/** Public site: article pages and the stylesheet (language pages: `languagePageRoutes`). */
export function siteRoutes(services: Services, site: SiteContext, stylesheet: { href: string; css: string }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(stylesheet.href, async (_request, reply) =>
      reply.type('text/css; charset=utf-8').header('cache-control', IMMUTABLE).send(stylesheet.css),
    );
    for (const font of siteFonts().files) {
      app.get(font.href, async (_request, reply) => reply.type('font/woff2').header('cache-control', IMMUTABLE).send(font.bytes));
    }

    app.get('/news/:id', { schema: { params: Type.Object({ id: IdParam }) } }, async (request, reply) => {
      const article = await services.articles.getVisible(request.params.id);
      return reply.redirect(articlePath(article), 301);
    });

    app.get('/news/:id/:slug', { schema: { params: Type.Object({ id: IdParam, slug: SlugParam }), querystring: PageQuery } }, async (request, reply) => {
      const { article, related } = await services.articles.articleWithRelated(request.params.id);
      // Headlines change; the id is the identity, so an old slug moves permanently.
      if (request.params.slug !== article.slug) return reply.redirect(articlePath(article), 301);
      // A story's versions (its own, and each related story's) carry their group's key: a version that
      // appears or goes changes this page's switcher or the related box (which shows the version in its language).
      const keys = [articleKey(article.id), relatedKey(article.id), ...related.map((r) => articleKey(r.id)), ...new Set([article, ...related].map(storyTranslationKey))];
      const blog = await services.live.service.blogState(article.id);
      let live: LiveBlogView | undefined;
      if (blog) {
        const page = request.query.page ?? 1;
        const p = await services.live.service.page(article.id, page, LIVE_PER_PAGE);
        const pages = totalPages(p.total, LIVE_PER_PAGE);
        if (page > pages) throw new DomainError('NOT_FOUND', text('liveBlogPageEmpty', { page }));
        live = { articleId: article.id, endedAt: p.endedAt, pinned: p.pinned, entries: p.entries, page, totalPages: pages, path: articlePath(article), startedAt: article.firstPublishedAt ?? article.publishedAt ?? 0, total: p.total };
        keys.push(liveKey(article.id));
      } else if (request.query.page !== undefined) {
        return reply.redirect(articlePath(article), 301);
      }
      setSurrogateKeys(reply, keys);
      return sendHtml(reply, renderDocument(<ArticlePage chrome={await pageChrome(services, site)} article={article} related={related} live={live} />), live ? LIVE_CACHE_CONTROL : PAGE_CACHE_CONTROL);
    });
  };
}

/**
 * A language's home, section and topic pages: registered at `/` for the default language
 * (and for languages with a host of their own, chosen by the request's host) and under
 * `/{language}` for every other language. Other languages' lists show only their stories.
 */
export function languagePageRoutes(services: Services, site: SiteContext, fixed: string | null): FastifyPluginAsyncTypebox {
  const chrome = () => pageChrome(services, site);
  const { urls } = site;
  /** Lists of a language other than the default show only its stories; the default's stay as they always were. */
  const scope = (language: string) => (language === site.defaultLanguage ? {} : { language });
  /** The path of a page as served here (`/ar/section/world` under a prefix). */
  const here = (path: string) => (fixed ? urls.path(fixed, path) : path);

  return async (app) => {
    app.get('/', async (request, reply) => {
      const language = pageLanguage(site, fixed, request);
      if (language === site.defaultLanguage) {
        const [c, home] = await Promise.all([chrome(), services.fronts.home()]);
        setSurrogateKeys(reply, [...frontSurrogateKeys(home.front), LATEST_KEY, ...home.latest.map((a) => articleKey(a.id))]);
        return sendHtml(reply, renderDocument(<HomePage chrome={c} home={home} />));
      }
      const [c, { items }] = await Promise.all([chrome(), services.articles.listPage({ language }, 1, HOME_COUNT)]);
      setSurrogateKeys(reply, [langKey(language), ...items.map((a) => articleKey(a.id))]);
      return sendHtml(reply, renderDocument(<HomePage chrome={c} home={{ front: null, latest: items }} language={language} />));
    });

    app.get(
      '/section/:slug',
      { schema: { params: Type.Object({ slug: SlugParam }), querystring: PageQuery } },
      async (request, reply) => {
        const language = pageLanguage(site, fixed, request);
        const c = await chrome();
        const section = await services.catalog.sectionBySlug(request.params.slug);
        const page = request.query.page ?? 1;
        // Page 1 of the default language is the section's front: its lead, top stories and blocks, then the newest not on it.
        const front = page === 1 && language === site.defaultLanguage ? await services.fronts.publicFront(section.slug) : undefined;
        const shown = front ? frontArticles(front).map((a) => a.id) : [];
        const { items, total } = await services.articles.listPage({ sectionId: section.id, ...scope(language), ...(shown.length ? { excludeIds: shown } : {}) }, page, PER_PAGE);
        if (page > totalPages(total)) throw new DomainError('NOT_FOUND', text('sectionPageEmpty', { page }));
        setSurrogateKeys(reply, [...(front ? frontSurrogateKeys(front) : [frontKey(section.slug)]), sectionKey(section.id), ...items.map((a) => articleKey(a.id))]);
        const path = `/section/${section.slug}`;
        return sendHtml(
          reply,
          renderDocument(
            <ListPage chrome={c} language={language} title={sectionName(section, language)} path={here(path)} items={items} page={page} totalPages={totalPages(total)} feed={{ target: { kind: 'section', slug: section.slug }, title: sectionName(section, language) }} front={front} alternates={urls.languages.map((l) => ({ language: l, href: urls.absolute(l, path) }))} />,
          ),
        );
      },
    );

    app.get(
      '/topic/:slug',
      { schema: { params: Type.Object({ slug: SlugParam }), querystring: PageQuery } },
      async (request, reply) => {
        const c = await chrome();
        const tag = await services.catalog.tagBySlug(request.params.slug);
        // At `/topic/…` a topic shows in its own language with every story, as it always has.
        const language = fixed ?? site.urls.languageOfHost(request.headers.host) ?? tag.language;
        const page = request.query.page ?? 1;
        const [{ items, total }, storyLanguages] = await Promise.all([
          services.articles.listPage({ tagId: tag.id, ...(language === tag.language && !fixed ? {} : { language }) }, page, PER_PAGE),
          services.distribution.sitemaps.topicLanguages(tag.id, urls),
        ]);
        if (page > totalPages(total)) throw new DomainError('NOT_FOUND', text('topicPageEmpty', { page }));
        // The same versions the topic sitemap lists, so hreflang agrees both ways.
        const versions = topicVersions(tag, storyLanguages, urls);
        setSurrogateKeys(reply, [tagKey(tag.id), ...items.map((a) => articleKey(a.id))]);
        return sendHtml(
          reply,
          renderDocument(
            <ListPage chrome={c} language={language} title={tag.name} path={here(`/topic/${encodeURIComponent(tag.slug)}`)} items={items} page={page} totalPages={totalPages(total)} feed={{ target: { kind: 'topic', slug: tag.slug }, title: tag.name }} alternates={versions.length > 1 ? versions : undefined} />,
          ),
        );
      },
    );
  };
}
