import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from '@sinclair/typebox';
import { snippetHtml } from '../../domain/search-snippet.js';
import type { Services } from '../../services/index.js';
import type { SearchRequest } from '../../services/search.service.js';
import { SearchPage } from '../../site/pages/search-page.js';
import { renderDocument } from '../../site/render.js';
import type { SiteContext } from '../../site/site-context.js';
import type { ApiMapper } from '../mappers.js';
import { errorResponses } from '../schemas/common.schemas.js';
import { ArticleIdParams, ArticleSummarySchema, RelatedItemSchema } from '../schemas/content.schemas.js';
import { pageChrome, pageLanguage, sendHtml } from './site.routes.js';

const filterProperties = {
  section: Type.Optional(Type.String({ maxLength: 100, description: 'Section slug' })),
  type: Type.Optional(Type.String({ maxLength: 50, description: 'Content type name or numeric id' })),
  lang: Type.Optional(Type.String({ maxLength: 35, description: 'BCP 47 language tag; `all`: every language (the default on the API and at /search; /ar/search and other language pages default to their language)' })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 1 })),
  order: Type.Optional(Type.Union([Type.Literal('relevance'), Type.Literal('date')], { default: 'relevance' })),
};

export const SearchQuery = Type.Object(
  {
    q: Type.String({ minLength: 1, maxLength: 200, description: 'Words, "quoted phrases", prefix* and -excluded words' }),
    ...filterProperties,
    published_after: Type.Optional(Type.String({ format: 'date-time', description: 'ISO 8601 date-time with offset' })),
    published_before: Type.Optional(Type.String({ format: 'date-time', description: 'ISO 8601 date-time with offset' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 20 })),
  },
  { additionalProperties: false },
);

const SearchResultSchema = Type.Object({
  article: Type.Ref(ArticleSummarySchema),
  rank: Type.Number({ description: 'Relevance (higher is better; comparable within one response). 0 for a broad query (a very common word, a phrase of common words, a prefix with many completions), which lists its newest matches instead, with totalIsExact false' }),
  headlineHtml: Type.String({ description: 'Headline, HTML-escaped, matches in <mark>' }),
  snippetHtml: Type.String({ description: 'Best-matching passage, HTML-escaped, matches in <mark>' }),
});

const SearchResponseSchema = Type.Object({
  query: Type.String(),
  items: Type.Array(SearchResultSchema),
  page: Type.Integer(),
  limit: Type.Integer(),
  total: Type.Integer({ description: 'Matches, counted up to 1,000 (totalIsExact is false beyond, or when a broad query searched only the newest articles: its total is then counted up to 200, or five pages past the one asked)' }),
  totalIsExact: Type.Boolean(),
  nextPage: Type.Union([Type.Integer(), Type.Null()]),
});

const TagSuggestionSchema = Type.Object({
  kind: Type.Union([Type.Literal('person'), Type.Literal('organisation'), Type.Literal('place')]),
  name: Type.String(),
  mentions: Type.Integer(),
  tagged: Type.Boolean({ description: 'The article already has a tag of this name' }),
});

export const RelatedQuery = Type.Object(
  {
    explain: Type.Optional(
      Type.Union([Type.Literal('1'), Type.Literal('0'), Type.Literal('true'), Type.Literal('false')], { description: 'explain=1: say why each item is in the list' }),
    ),
  },
  { additionalProperties: false },
);

export const RelatedExplainedSchema = Type.Object({
  items: Type.Array(
    Type.Intersect([
      Type.Ref(RelatedItemSchema),
      Type.Object({
        why: Type.Object({
          pinned: Type.Boolean(),
          score: Type.Number(),
          components: Type.Object({ text: Type.Number(), tags: Type.Number(), entities: Type.Number(), coherence: Type.Number(), recency: Type.Number(), headline: Type.Number() }),
          sharedTerms: Type.Array(Type.Object({ term: Type.String(), weight: Type.Number() })),
          sharedTags: Type.Array(Type.String()),
          sharedEntities: Type.Array(Type.String()),
        }),
      }),
    ]),
  ),
});

/** `GET /articles/{id}/related?explain=1`: the list with the engine's reasons (used by the content API route). */
export async function explainedRelated(services: Services, mapper: ApiMapper, id: number): Promise<Static<typeof RelatedExplainedSchema>> {
  const items = await services.articles.relatedOf(id);
  const reasons = new Map((await services.relatedEngine.explain(id)).map((r) => [r.id, r]));
  return {
    items: items.map((item) => {
      const r = reasons.get(item.id);
      return {
        ...mapper.related(item),
        why: {
          pinned: item.pinned,
          score: Math.round((r?.score ?? 0) * 10_000) / 10_000,
          components: r?.components ?? { text: 0, tags: 0, entities: 0, coherence: 0, recency: 0, headline: 0 },
          sharedTerms: r?.sharedTerms ?? [],
          sharedTags: r?.sharedTags ?? [],
          sharedEntities: r?.sharedEntities ?? [],
        },
      };
    }),
  };
}

/** The `lang` value that searches every language. */
export const ALL_LANGUAGES = 'all';

function toRequest(q: Static<typeof SearchQuery>): SearchRequest {
  return {
    q: q.q,
    section: q.section || undefined,
    type: q.type || undefined,
    lang: q.lang && q.lang !== ALL_LANGUAGES ? q.lang : undefined,
    publishedAfter: q.published_after,
    publishedBefore: q.published_before,
    page: q.page,
    limit: q.limit,
    order: q.order,
  };
}

/** Search API (`/api/v1/search`, `/api/v1/articles/{id}/entities`). */
export function searchApiRoutes(services: Services, mapper: ApiMapper): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.addHook('onRequest', async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=30, stale-while-revalidate=120');
    });
    app.setSerializerCompiler(() => (data) => JSON.stringify(data));

    app.get(
      '/search',
      {
        schema: {
          tags: ['content'],
          summary: 'Full-text search of published articles: ranked, filtered, paginated, with highlighted snippets',
          querystring: SearchQuery,
          response: { 200: SearchResponseSchema, ...errorResponses },
        },
      },
      async (request) => {
        const r = await services.search.search(toRequest(request.query));
        const more = r.page * r.limit < r.total && r.page < 100;
        return {
          query: r.query,
          items: r.items.map((i) => ({
            article: mapper.summary(i.article),
            rank: Math.round(i.rank * 1e6) / 1e6,
            headlineHtml: snippetHtml(i.headline),
            snippetHtml: snippetHtml(i.snippet),
          })),
          page: r.page,
          limit: r.limit,
          total: r.total,
          totalIsExact: r.totalIsExact,
          nextPage: more ? r.page + 1 : null,
        };
      },
    );

    app.get(
      '/articles/:id/entities',
      {
        schema: {
          tags: ['content'],
          summary: 'People, organisations and places named in an article (tag suggestions)',
          params: ArticleIdParams,
          response: { 200: Type.Object({ items: Type.Array(TagSuggestionSchema) }), ...errorResponses },
        },
      },
      async (request) => ({ items: await services.search.tagSuggestions(request.params.id, { visibleOnly: true }) }),
    );
  };
}

// Pages tolerate unknown parameters (campaign tags), but the ones they read are bounded as on the API.
const PageSearchQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  ...filterProperties,
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 20 })),
});

/** The public search page, `/search?q=`; under a language (`/ar/search`) it searches that language unless `lang=all`. */
export function searchPageRoutes(services: Services, site: SiteContext, fixed: string | null = null): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/search', { schema: { querystring: PageSearchQuery } }, async (request, reply) => {
      const chrome = await pageChrome(services, site);
      const language = pageLanguage(site, fixed, request);
      const q = request.query;
      const lang = q.lang || (language === site.defaultLanguage ? undefined : language);
      const form = { q: q.q?.trim() ?? '', section: q.section || undefined, type: q.type || undefined, lang, order: q.order };
      const results = form.q ? await services.search.search(toRequest({ ...q, lang, q: form.q })) : null;
      // Result pages change with every publish; keep them short-lived in shared caches.
      return sendHtml(reply, renderDocument(<SearchPage chrome={chrome} language={language} form={form} results={results} />), 'public, max-age=30');
    });
  };
}
