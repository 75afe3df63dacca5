import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { localText } from '../../site/i18n.js';
import { answerLanguage } from '../plugins/errors.js';
import { Type } from '@sinclair/typebox';
import { canonicalLanguage } from '../../domain/language.js';
import type { Services } from '../../services/index.js';
import type { AdminMapper } from '../admin-mappers.js';
import { principalOf, requireCapability } from '../plugins/auth.js';
import {
  AdminArticleSchema,
  AdminArticleSummarySchema,
  ArticleListQuery,
  CompareQuery,
  CreateArticleBody,
  DiffQuery,
  DiffSchema,
  IdParams,
  MergeProposalSchema,
  PublishChecksSchema,
  RestoreBody,
  RevisionComparisonSchema,
  RevisionParams,
  RevisionSummarySchema,
  SaveArticleBody,
  TransitionBody,
} from '../schemas/admin.schemas.js';

const tags = ['admin'];
const conflict = { 409: Type.Object({ code: Type.String(), current: Type.Optional(AdminArticleSchema) }, { additionalProperties: true, description: 'REVISION_CONFLICT with the current version' }) };

/** Articles: list, create, save (optimistic concurrency), autosave, workflow, revisions. */
export function adminArticlesRoutes(services: Services, mapper: AdminMapper): FastifyPluginAsyncTypebox {
  const workflow = services.newsroom.workflow;
  const revisions = services.newsroom.revisions;
  return async (app) => {
    app.get(
      '/articles',
      {
        preHandler: requireCapability('articles.read'),
        schema: { tags, summary: 'Articles in any status, last changed first', querystring: ArticleListQuery, response: { 200: Type.Object({ items: Type.Array(AdminArticleSummarySchema), nextCursor: Type.Union([Type.String(), Type.Null()]) }) } },
      },
      async (request) => {
        const q = request.query;
        const page = await workflow.list(
          { status: q.status, q: q.q?.trim() || undefined, sectionId: q.section, authorId: q.authorId, language: q.language ? (canonicalLanguage(q.language) ?? q.language) : undefined },
          q.limit ?? 30,
          q.cursor,
        );
        return { items: page.items.map((a) => mapper.articleSummary(a)), nextCursor: page.nextCursor };
      },
    );

    app.post(
      '/articles',
      { preHandler: requireCapability('articles.create'), schema: { tags, summary: 'Create a draft (revision 1)', body: CreateArticleBody, response: { 201: AdminArticleSchema } } },
      async (request, reply) => reply.code(201).send(mapper.article(await workflow.create(principalOf(request), request.body))),
    );

    app.get('/articles/:id', { preHandler: requireCapability('articles.read'), schema: { tags, summary: 'One article, any status', params: IdParams, response: { 200: AdminArticleSchema } } }, async (request) =>
      mapper.article(await workflow.get(request.params.id)),
    );

    app.put(
      '/articles/:id',
      {
        preHandler: requireCapability('articles.edit'),
        schema: { tags, summary: 'Save over baseRevision (409 REVISION_CONFLICT with current when it moved on)', params: IdParams, body: SaveArticleBody, response: { 200: AdminArticleSchema, ...conflict } },
      },
      async (request) => {
        const { baseRevision, ...fields } = request.body;
        return mapper.article(await workflow.save(principalOf(request), request.params.id, baseRevision, fields));
      },
    );

    app.post(
      '/articles/:id/autosave',
      {
        preHandler: requireCapability('articles.edit'),
        schema: { tags, summary: 'Autosave a draft (same 409 rule; consecutive autosaves squash)', params: IdParams, body: SaveArticleBody, response: { 200: AdminArticleSchema, ...conflict } },
      },
      async (request) => {
        const { baseRevision, ...fields } = request.body;
        return mapper.article(await workflow.save(principalOf(request), request.params.id, baseRevision, fields, { autosave: true }));
      },
    );

    app.post(
      '/articles/:id/transitions',
      {
        preHandler: requireCapability('articles.submit', 'articles.edit', 'articles.publish', 'articles.kill'),
        schema: { tags, summary: 'submit, return, publish, schedule (at), unpublish, kill, correct (note), embargo (at)', params: IdParams, body: TransitionBody, response: { 200: AdminArticleSchema } },
      },
      async (request) => mapper.article(await workflow.transition(principalOf(request), request.params.id, request.body)),
    );

    app.delete('/articles/:id', { preHandler: requireCapability('articles.delete'), schema: { tags, summary: 'Delete a never-published draft', params: IdParams } }, async (request, reply) => {
      await workflow.delete(principalOf(request), request.params.id);
      return reply.code(204).send();
    });

    app.get(
      '/articles/:id/revisions',
      { preHandler: requireCapability('articles.read'), schema: { tags, summary: 'Revisions, newest first', params: IdParams, response: { 200: Type.Object({ items: Type.Array(RevisionSummarySchema) }) } } },
      async (request) => ({ items: (await revisions.list(request.params.id)).map((r) => mapper.revisionSummary(r)) }),
    );

    app.get('/articles/:id/revisions/:n', { preHandler: requireCapability('articles.read'), schema: { tags, summary: 'One revision with its content', params: RevisionParams } }, async (request) =>
      mapper.revision(await revisions.get(request.params.id, request.params.n)),
    );

    app.get(
      '/articles/:id/revisions/:n/diff',
      { preHandler: requireCapability('articles.read'), schema: { tags, summary: 'Changes from revision `against` (default: the previous) to n', params: RevisionParams, querystring: DiffQuery, response: { 200: DiffSchema } } },
      async (request) => revisions.diff(request.params.id, request.params.n, request.query.against),
    );

    app.post(
      '/articles/:id/merge',
      {
        preHandler: requireCapability('articles.read'),
        schema: {
          tags,
          summary: 'Three-way merge of an edit based on baseRevision into the current version (base, theirs, mine, merged, conflicts); nothing is saved',
          params: IdParams,
          body: SaveArticleBody,
          response: { 200: MergeProposalSchema },
        },
      },
      async (request) => {
        const { baseRevision, ...fields } = request.body;
        return workflow.mergeProposal(request.params.id, baseRevision, fields);
      },
    );

    app.get(
      '/articles/:id/publish-checks',
      { preHandler: requireCapability('articles.read'), schema: { tags, summary: 'The checklist run before publish and schedule: blocking items and warnings', params: IdParams, response: { 200: PublishChecksSchema } } },
      async (request, reply) => {
        const checks = await workflow.publishChecks.checks(await workflow.get(request.params.id));
        // In the editor's interface language (the newsroom app sends it as Accept-Language).
        const language = answerLanguage(request, reply);
        return { ready: checks.every((c) => c.severity !== 'blocking'), checks: checks.map((c) => ({ ...c, message: localText(language, c.text) })) };
      },
    );

    app.get(
      '/articles/:id/revisions/compare',
      {
        preHandler: requireCapability('articles.read'),
        schema: {
          tags,
          summary: 'Compare two revisions from the older to the newer: rendered fields with word-level changes',
          params: IdParams,
          querystring: CompareQuery,
          response: { 200: RevisionComparisonSchema },
        },
      },
      async (request) => revisions.compare(request.params.id, request.query.a, request.query.b),
    );

    app.post(
      '/articles/:id/revisions/:n/restore',
      { preHandler: requireCapability('articles.edit'), schema: { tags, summary: 'Save revision n again as a new revision', params: RevisionParams, body: RestoreBody, response: { 200: AdminArticleSchema, ...conflict } } },
      async (request) => mapper.article(await revisions.restore(principalOf(request), request.params.id, request.params.n, request.body.baseRevision)),
    );
  };
}
