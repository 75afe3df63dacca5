import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { RelatedItem } from '../../domain/article.js';
import type { Services } from '../../services/index.js';
import { articleKey, relatedKey } from '../../domain/purge-keys.js';
import { JsonMemo, sendJsonMemo } from '../json-memo.js';
import { setSurrogateKeys } from '../surrogate-keys.js';
import type { ApiMapper } from '../mappers.js';
import { errorResponses } from '../schemas/common.schemas.js';
import { ArticleIdParams, LegacyRelatedSchema } from '../schemas/content.schemas.js';

/** Endpoints in the exact shapes the first customer's existing apps read. */
export function legacyRoutes(services: Services, mapper: ApiMapper): FastifyPluginAsyncTypebox {
  const legacyJson = new JsonMemo((items: RelatedItem[]) => items.map((r) => mapper.legacyRelated(r)));
  return async (app) => {
    app.get(
      '/related/:id',
      {
        schema: {
          tags: ['legacy'],
          summary: 'Related list in the legacy shape: [{id, sort, contenttypeid, pic, title}], all strings, in sort order',
          params: ArticleIdParams,
          response: { 200: LegacyRelatedSchema, ...errorResponses },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', 'public, max-age=30, stale-while-revalidate=120');
        const items = await services.articles.legacyRelatedOf(request.params.id);
        setSurrogateKeys(reply, [relatedKey(request.params.id), ...items.map((r) => articleKey(r.id))]);
        const memo = legacyJson.get(items);
        return sendJsonMemo(reply, memo);
      },
    );
  };
}
