import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { DomainError } from '../../domain/errors.js';
import type { Placement } from '../../domain/front.js';
import type { Services } from '../../services/index.js';
import type { FrontEditorView, PlacementView, PublicFront } from '../../services/fronts/front.service.js';
import type { ApiMapper } from '../mappers.js';
import { principalOf, requireCapability } from '../plugins/auth.js';
import { errorResponses } from '../schemas/common.schemas.js';
import { ArticleSummarySchema } from '../schemas/content.schemas.js';
import { FrontNameParams, SaveFrontBody, type PlacementBodyDto } from '../schemas/front.schemas.js';
import { setSurrogateKeys } from '../surrogate-keys.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function toPlacement(p: PlacementBodyDto, where: string): Placement {
  if (p.expiresAt === undefined || p.expiresAt === null || p.expiresAt === '') return { articleId: p.articleId, expiresAt: null };
  const ms = Date.parse(p.expiresAt);
  if (Number.isNaN(ms)) {
    throw new DomainError('BAD_REQUEST', `The expiry of ${where} ("${p.expiresAt}") is not a date and time; use a form such as 2026-11-23T18:00:00Z.`);
  }
  return { articleId: p.articleId, expiresAt: ms };
}

/** The surrogate keys of a front: the front itself, every story on it, and `latest` when it fills from the newest. */
export function frontSurrogateKeys(front: PublicFront): string[] {
  return [
    `front-${front.name}`,
    ...(front.section ? [`section-${front.section.id}`] : ['latest']),
    ...[front.lead, ...front.top].filter((a) => a !== null).map((a) => `article-${a!.id}`),
  ];
}

/** Admin API: arrange fronts (editors and owners save; anyone in the newsroom reads). */
export function adminFrontsRoutes(services: Services, mapper: ApiMapper): FastifyPluginAsyncTypebox {
  const tags = ['admin'];
  const placement = (p: PlacementView) => ({ articleId: p.articleId, expiresAt: iso(p.expiresAt), article: p.article ? { ...mapper.summary(p.article), status: p.article.status } : null });
  const view = (v: FrontEditorView) => ({ ...v, updatedAt: iso(v.updatedAt), lead: v.lead ? placement(v.lead) : null, top: v.top.map(placement) });
  return async (app) => {
    app.get('/fronts', { preHandler: requireCapability('articles.read'), schema: { tags, summary: 'Fronts editors can arrange: home and each section' } }, async () => ({
      items: await services.fronts.list(),
    }));
    app.get('/fronts/:name', { preHandler: requireCapability('articles.read'), schema: { tags, summary: "A front's placements", params: FrontNameParams } }, async (request) =>
      view(await services.fronts.editorView(request.params.name)),
    );
    app.put(
      '/fronts/:name',
      { preHandler: requireCapability('articles.publish'), schema: { tags, summary: 'Save a front (editors and owners)', params: FrontNameParams, body: SaveFrontBody } },
      async (request) => {
        const body = request.body;
        const saved = await services.fronts.save(principalOf(request), request.params.name, {
          revision: body.revision,
          lead: body.lead ? toPlacement(body.lead, 'the lead') : null,
          top: body.top.map((p, i) => toPlacement(p, `top story ${i + 1}`)),
        });
        return view(saved);
      },
    );
    app.get('/fronts/:name/revisions', { preHandler: requireCapability('articles.read'), schema: { tags, summary: "A front's saved arrangements, newest first", params: FrontNameParams } }, async (request) => ({
      items: (await services.fronts.revisions(request.params.name)).map((r) => ({
        revision: r.revision,
        createdAt: iso(r.createdAt),
        actorName: r.actorName,
        lead: r.arrangement.lead ? { ...r.arrangement.lead, expiresAt: iso(r.arrangement.lead.expiresAt) } : null,
        top: r.arrangement.top.map((p) => ({ ...p, expiresAt: iso(p.expiresAt) })),
      })),
    }));
  };
}

const PublicFrontSchema = Type.Object(
  {
    name: Type.String(),
    revision: Type.Integer(),
    section: Type.Union([Type.Object({ id: Type.Integer(), slug: Type.String(), name: Type.String() }), Type.Null()]),
    lead: Type.Union([Type.Ref(ArticleSummarySchema), Type.Null()]),
    leadPlaced: Type.Boolean({ description: 'Whether an editor placed the lead (else it was picked automatically)' }),
    top: Type.Array(Type.Ref(ArticleSummarySchema)),
    topPlaced: Type.Integer({ description: 'How many of `top`, from the start, editors placed; the rest are the newest stories' }),
  },
  { description: 'A front: lead, then top stories' },
);

/** Content API: `/api/v1/fronts/{name}`, a front as readers see it now. */
export function publicFrontsRoutes(services: Services, mapper: ApiMapper): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/fronts/:name',
      { schema: { tags: ['content'], summary: 'A front (home or a section) as readers see it', params: FrontNameParams, response: { 200: PublicFrontSchema, ...errorResponses } } },
      async (request, reply) => {
        const front = await services.fronts.publicFront(request.params.name);
        reply.header('cache-control', 'public, max-age=30, stale-while-revalidate=120');
        setSurrogateKeys(reply, frontSurrogateKeys(front));
        return {
          name: front.name,
          revision: front.revision,
          section: front.section ? { id: front.section.id, slug: front.section.slug, name: front.section.name } : null,
          lead: front.lead ? mapper.summary(front.lead) : null,
          leadPlaced: front.leadPlaced,
          top: front.top.map((a) => mapper.summary(a)),
          topPlaced: front.topPlaced,
        };
      },
    );
  };
}
