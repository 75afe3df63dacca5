import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { ArticleListFilter } from '../../db/repositories/article.repository.js';
import type { NinjsVersion } from '../../services/distribution/ninjs.js';
import type { Services } from '../../services/index.js';
import { errorResponses, IdParam, ProblemSchema } from '../schemas/common.schemas.js';
import { ArticleIdParams, ArticleListQuery } from '../schemas/content.schemas.js';
import { setSurrogateKeys } from '../surrogate-keys.js';
import { translationKey } from '../../domain/purge-keys.js';

const API_CACHE = 'public, max-age=30, stale-while-revalidate=120';
const NinjsDocumentSchema = Type.Object({ uri: Type.String({ format: 'uri' }) }, { additionalProperties: true, description: 'An IPTC ninjs document' });

/** Surrogate keys of a list: its articles plus the list it is (site-wide, a section, a tag, a language). */
function listKeys(filter: ArticleListFilter, articleIds: number[]): string[] {
  const keys = articleIds.map((id) => `article-${id}`);
  if (filter.sectionId !== undefined) keys.push(`section-${filter.sectionId}`);
  if (filter.tagId !== undefined) keys.push(`tag-${filter.tagId}`);
  if (filter.language !== undefined) keys.push(`lang-${filter.language}`);
  if (filter.sectionId === undefined && filter.tagId === undefined && filter.language === undefined) keys.push('latest');
  keys.push('feed');
  return keys;
}

/**
 * IPTC ninjs for partners: `/api/ninjs/v2/…` speaks ninjs 2.1, `/api/ninjs/v3/…` 3.0.
 * Items and lists carry Surrogate-Key, Cache-Control and an ETag like the content API.
 */
export function ninjsRoutes(services: Services): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.addHook('onRequest', async (_request, reply) => {
      reply.header('cache-control', API_CACHE);
    });
    app.setSerializerCompiler(() => (data) => JSON.stringify(data));

    for (const [prefix, version] of [
      ['/v2', '2.1'],
      ['/v3', '3.0'],
    ] as [string, NinjsVersion][]) {
      const tags = ['ninjs'];
      app.get(
        `${prefix}/items`,
        {
          schema: {
            tags,
            summary: `Published items as ninjs ${version}, newest first (filters and cursor as /api/v1/articles)`,
            querystring: ArticleListQuery,
            response: { 200: Type.Object({ items: Type.Array(NinjsDocumentSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...errorResponses },
          },
        },
        async (request, reply) => {
          const q = request.query;
          const filter = await services.articles.resolveFilter({
            section: q.section,
            tag: q.tag,
            type: q.type,
            lang: q.lang,
            publishedBefore: q.published_before,
            publishedAfter: q.published_after,
          });
          const page = await services.ninjs.list(filter, q.limit ?? 20, q.cursor, version);
          setSurrogateKeys(reply, listKeys(filter, page.articleIds));
          return { items: page.items, nextCursor: page.nextCursor };
        },
      );

      app.get(
        `${prefix}/items/:id`,
        {
          schema: {
            tags,
            summary: `One item as ninjs ${version}: pubstatus usable, or canceled once unpublished; 410 once killed`,
            params: ArticleIdParams,
            response: { 200: NinjsDocumentSchema, 410: Type.Ref(ProblemSchema), ...errorResponses },
          },
        },
        async (request, reply) => {
          const item = await services.ninjs.item(request.params.id, version);
          const keys = item.articleIds.map((id) => `article-${id}`);
          if (item.translationGroup) keys.push(translationKey(item.translationGroup));
          setSurrogateKeys(reply, keys);
          return item.doc;
        },
      );

      app.get(
        `${prefix}/media/:id`,
        {
          schema: {
            tags,
            summary: `A media item (picture or video) as ninjs ${version}, with its renditions`,
            params: Type.Object({ id: IdParam }, { additionalProperties: false }),
            response: { 200: NinjsDocumentSchema, ...errorResponses },
          },
        },
        async (request, reply) => {
          const doc = await services.ninjs.mediaItem(request.params.id, version);
          setSurrogateKeys(reply, [`media-${request.params.id}`]);
          return doc;
        },
      );
    }
  };
}
