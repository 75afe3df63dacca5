import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Services } from '../../services/index.js';
import { LiveMapper } from '../live-mappers.js';
import { principalOf, requireCapability } from '../plugins/auth.js';
import { IdParams } from '../schemas/admin.schemas.js';
import { Id } from '../schemas/common.schemas.js';
import {
  BlogStateBody,
  BreakingBody,
  BreakingItemSchema,
  BreakingOverviewSchema,
  BreakingStateSchema,
  EntryBody,
  EntryPatchBody,
  LanguageParams,
  LiveBlogListSchema,
  LiveBlogSchema,
  LiveEntrySchema,
  LivePageQuery,
  StartBlogBody,
} from '../schemas/live.schemas.js';

const tags = ['admin'];

/**
 * The newsroom's live desk: the breaking banner per language (editors and owners) and
 * live blogs with their entries (authors, editors, owners; several at once).
 */
export function adminLiveRoutes(services: Services, baseUrl: string): FastifyPluginAsyncTypebox {
  const live = services.live.service;
  const mapper = new LiveMapper(baseUrl);
  const read = requireCapability('articles.read');
  const breaking = requireCapability('breaking.write');
  const write = requireCapability('live.write');
  return async (app) => {
    app.get('/breaking', { preHandler: read, schema: { tags, summary: 'The site\'s languages and the banner each shows now', response: { 200: BreakingOverviewSchema } } }, async () => {
      const state = await live.pageState();
      return { languages: Object.keys(state.breaking), current: Object.values(state.breaking).flatMap((b) => (b ? [mapper.breaking(b)] : [])) };
    });

    app.get('/breaking/:language', { preHandler: read, schema: { tags, summary: 'The banner of a language now, and its recent items', params: LanguageParams, response: { 200: BreakingStateSchema } } }, async (request) => {
      const state = await live.recentBreaking(request.params.language);
      return {
        current: state.current ? mapper.breaking(state.current) : null,
        recent: state.recent.map((r) => ({ ...mapper.breaking(r), clearedAt: r.clearedAt === null ? null : new Date(r.clearedAt).toISOString(), createdBy: r.createdBy })),
      };
    });

    app.put(
      '/breaking/:language',
      { preHandler: breaking, schema: { tags, summary: 'Show a breaking banner on every page of a language (replaces the current one)', params: LanguageParams, body: BreakingBody, response: { 200: BreakingItemSchema } } },
      async (request) => mapper.breaking(await live.setBreaking(principalOf(request), { ...request.body, language: request.params.language })),
    );

    app.delete('/breaking/:language', { preHandler: breaking, schema: { tags, summary: 'Clear the banner of a language', params: LanguageParams } }, async (request, reply) => {
      await live.clearBreaking(principalOf(request), request.params.language);
      return reply.code(204).send();
    });

    app.get('/live-blogs', { preHandler: read, schema: { tags, summary: 'Live blogs, newest first', response: { 200: LiveBlogListSchema } } }, async () => ({
      items: (await live.listBlogs()).map((b) => ({ id: b.article_id, headline: b.headline, language: b.language, status: b.status, ended: b.ended_at !== null, entries: b.entries, createdAt: new Date(b.created_at).toISOString() })),
    }));

    app.post('/live-blogs', { preHandler: write, schema: { tags, summary: 'Make an article a live blog', body: StartBlogBody } }, async (request, reply) => {
      await live.startBlog(principalOf(request), request.body.articleId);
      return reply.code(201).send({ id: request.body.articleId });
    });

    app.put('/live-blogs/:id/state', { preHandler: write, schema: { tags, summary: 'End the coverage, or reopen it', params: IdParams, body: BlogStateBody } }, async (request, reply) => {
      await live.setEnded(principalOf(request), request.params.id, request.body.ended);
      return reply.code(204).send();
    });

    app.get('/live-blogs/:id/entries', { preHandler: read, schema: { tags, summary: 'Entries of a live blog, newest first', params: IdParams, querystring: LivePageQuery, response: { 200: LiveBlogSchema } } }, async (request) => {
      const page = request.query.page ?? 1;
      const limit = request.query.limit ?? 50;
      return mapper.blog(await live.page(request.params.id, page, limit), page, limit);
    });

    app.post('/live-blogs/:id/entries', { preHandler: write, schema: { tags, summary: 'Post an entry (open pages get it within a second)', params: IdParams, body: EntryBody, response: { 201: LiveEntrySchema } } }, async (request, reply) =>
      reply.code(201).send(mapper.entry(await live.addEntry(principalOf(request), request.params.id, request.body))),
    );

    app.patch(
      '/live-entries/:id',
      { preHandler: write, schema: { tags, summary: 'Edit, pin or correct an entry', params: Type.Object({ id: Id('Entry id') }), body: EntryPatchBody, response: { 200: LiveEntrySchema } } },
      async (request) => mapper.entry(await live.updateEntry(principalOf(request), request.params.id, request.body)),
    );

    app.delete('/live-entries/:id', { preHandler: write, schema: { tags, summary: 'Delete an entry (open pages drop it)', params: Type.Object({ id: Id('Entry id') }) } }, async (request, reply) => {
      await live.deleteEntry(principalOf(request), request.params.id);
      return reply.code(204).send();
    });
  };
}
