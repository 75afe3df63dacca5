import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import { TAG_KINDS, type Article, type RelatedItem } from '../../domain/article.js';
import { DomainError } from '../../domain/errors.js';
import { text } from '../../site/i18n.js';
import type { Services } from '../../services/index.js';
import { articleKey, langKey, LATEST_KEY, relatedKey, sectionKey, tagKey, translationKey } from '../../domain/purge-keys.js';
import { JsonMemo, sendJsonMemo } from '../json-memo.js';
import { setSurrogateKeys } from '../surrogate-keys.js';
import type { ApiMapper } from '../mappers.js';
import { errorResponses, IdParam } from '../schemas/common.schemas.js';
import { explainedRelated, RelatedQuery } from './search.routes.js';
import {
  ArticleIdParams,
  ArticleListQuery,
  ArticleListSchema,
  ArticleSchema,
  ContentTypeSchema,
  MediaSchema,
  RelatedItemSchema,
  SectionSchema,
  SlugParams,
  TagListQuery,
  TagSchema,
} from '../schemas/content.schemas.js';

const API_CACHE = 'public, max-age=30, stale-while-revalidate=120';

function decodeTagCursor(cursor: string): { name: string; id: number } {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(parsed) && typeof parsed[0] === 'string' && Number.isInteger(parsed[1])) {
      return { name: parsed[0], id: parsed[1] as number };
    }
  } catch {
    // fall through to the error below
  }
  throw new DomainError('INVALID_CURSOR', text('cursorInvalid'));
}

/** An article's own key and, for a translated story, its group's (the versions it lists). */
function articleKeys(article: Article): string[] {
  return article.translationGroup ? [articleKey(article.id), translationKey(article.translationGroup)] : [articleKey(article.id)];
}

/** Content API v1: read-only published content. */
export function contentApiRoutes(services: Services, mapper: ApiMapper): FastifyPluginAsyncTypebox {
  const articleJson = new JsonMemo((a: Article) => mapper.article(a));
  const relatedJson = new JsonMemo((items: RelatedItem[]) => ({ items: items.map((r) => mapper.related(r)) }));

  const relatedWithKeys = async (id: number, reply: FastifyReply): Promise<RelatedItem[]> => {
    const items = await services.articles.relatedOf(id);
    setSurrogateKeys(reply, [relatedKey(id), ...items.map((r) => articleKey(r.id))]);
    return items;
  };

  return async (app) => {
    app.addHook('onRequest', async (_request, reply) => {
      reply.header('cache-control', API_CACHE);
    });
    // Responses are shaped by ApiMapper; the schemas document and test them. Native
    // JSON.stringify is several times faster than schema serialization on long HTML
    // bodies and nullable unions.
    app.setSerializerCompiler(() => (data) => JSON.stringify(data));

    app.get(
      '/articles',
      {
        schema: {
          tags: ['content'],
          summary: 'List published articles, newest first',
          querystring: ArticleListQuery,
          response: { 200: ArticleListSchema, ...errorResponses },
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
        const page = await services.articles.list(filter, q.limit ?? 20, q.cursor);
        // The newest-first lists this page is a window on: any article entering them can shift it.
        const lists = [
          ...(filter.sectionId !== undefined ? [sectionKey(filter.sectionId)] : []),
          ...(filter.tagId !== undefined ? [tagKey(filter.tagId)] : []),
          ...(filter.language !== undefined ? [langKey(filter.language)] : []),
        ];
        setSurrogateKeys(reply, [...(lists.length ? lists : [LATEST_KEY]), ...page.items.map((a) => articleKey(a.id))]);
        return { items: page.items.map((a) => mapper.summary(a)), nextCursor: page.nextCursor };
      },
    );

    app.get(
      '/articles/:id',
      {
        schema: {
          tags: ['content'],
          summary: 'One published article',
          params: ArticleIdParams,
          response: { 200: ArticleSchema, ...errorResponses },
        },
      },
      async (request, reply) => {
        const article = await services.articles.getVisible(request.params.id);
        setSurrogateKeys(reply, articleKeys(article));
        return sendJsonMemo(reply, articleJson.get(article));
      },
    );

    app.get(
      '/articles/by-slug/:slug',
      {
        schema: {
          tags: ['content'],
          summary: 'The newest published article with this slug',
          params: SlugParams,
          response: { 200: ArticleSchema, ...errorResponses },
        },
      },
      async (request, reply) => {
        const article = await services.articles.getVisibleBySlug(request.params.slug);
        setSurrogateKeys(reply, articleKeys(article));
        return mapper.article(article);
      },
    );

    app.get(
      '/articles/:id/related',
      {
        schema: {
          tags: ['content'],
          summary: "An article's related list, in link order (explain=1: why each item is there)",
          params: ArticleIdParams,
          querystring: RelatedQuery,
          response: { 200: Type.Object({ items: Type.Array(Type.Ref(RelatedItemSchema)) }), ...errorResponses },
        },
      },
      async (request, reply) =>
        request.query.explain === '1' || request.query.explain === 'true'
          ? explainedRelated(services, mapper, request.params.id)
          : sendJsonMemo(reply, relatedJson.get(await relatedWithKeys(request.params.id, reply))),
    );

    app.get(
      '/media/:id',
      {
        schema: {
          tags: ['content'],
          summary: 'A media item with its renditions (crops 16x9, 4x3, 1x1; AVIF, WebP, JPEG)',
          params: Type.Object({ id: IdParam }, { additionalProperties: false }),
          response: { 200: Type.Ref(MediaSchema), ...errorResponses },
        },
      },
      async (request) => mapper.media(await services.media.get(request.params.id))!,
    );

    app.get(
      '/content-types',
      { schema: { tags: ['content'], summary: 'Content types', response: { 200: Type.Object({ items: Type.Array(Type.Ref(ContentTypeSchema)) }) } } },
      async () => ({ items: await services.catalog.contentTypes() }),
    );

    app.get(
      '/sections',
      { schema: { tags: ['content'], summary: 'Sections in navigation order', response: { 200: Type.Object({ items: Type.Array(Type.Ref(SectionSchema)) }) } } },
      async () => ({ items: (await services.catalog.sections()).map((s) => mapper.section(s)) }),
    );

    app.get(
      '/tags',
      {
        schema: {
          tags: ['content'],
          summary: `Tags by name, optionally of one kind (${TAG_KINDS.join(', ')})`,
          querystring: TagListQuery,
          response: { 200: Type.Object({ items: Type.Array(Type.Ref(TagSchema)), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...errorResponses },
        },
      },
      async (request) => {
        const limit = request.query.limit ?? 100;
        const after = request.query.cursor ? decodeTagCursor(request.query.cursor) : undefined;
        const tags = await services.catalog.tags({ kind: request.query.kind, limit: limit + 1, after });
        const hasMore = tags.length > limit;
        if (hasMore) tags.length = limit;
        const last = tags.at(-1);
        return {
          items: tags.map((t) => mapper.tag(t)),
          nextCursor: hasMore && last ? Buffer.from(JSON.stringify([last.name, last.id])).toString('base64url') : null,
        };
      },
    );
  };
}
