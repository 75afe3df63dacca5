import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { DomainError } from '../../domain/errors.js';
import { text, type LocalText } from '../../site/i18n.js';
import type { FrontArrangement, FrontBlock, Placement } from '../../domain/front.js';
import { articleKey, frontKey, LATEST_KEY, sectionKey, tagKey } from '../../domain/purge-keys.js';
import type { Services } from '../../services/index.js';
import { frontArticles, type BlockView, type FrontEditorView, type PlacementView, type PublicFront } from '../../services/fronts/front.service.js';
import type { FrontRevisionView } from '../../services/fronts/front-history.js';
import type { ApiMapper } from '../mappers.js';
import { principalOf, requireCapability } from '../plugins/auth.js';
import { errorResponses } from '../schemas/common.schemas.js';
import { ArticleSummarySchema } from '../schemas/content.schemas.js';
import {
  AdminFrontSchema,
  FrontListSchema,
  FrontNameParams,
  FrontRevisionListSchema,
  FrontRevisionParams,
  RestoreFrontBody,
  RestoredFrontSchema,
  SaveFrontBody,
  type BlockBodyDto,
  type PlacementBodyDto,
} from '../schemas/front.schemas.js';
import { setSurrogateKeys } from '../surrogate-keys.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function toPlacement(p: PlacementBodyDto, where: LocalText): Placement {
  if (p.expiresAt === undefined || p.expiresAt === null || p.expiresAt === '') return { articleId: p.articleId, expiresAt: null };
  const ms = Date.parse(p.expiresAt);
  if (Number.isNaN(ms)) {
    throw new DomainError('BAD_REQUEST', text('frontExpiryNotDate', { where, value: p.expiresAt }));
  }
  return { articleId: p.articleId, expiresAt: ms };
}

/** A block as the client sent it → the domain's block, or a 400 naming what is missing. */
function toBlock(b: BlockBodyDto, i: number): FrontBlock {
  const title = b.title?.trim() ? b.title.trim() : null;
  const where = text('frontWhereBlock', { n: i + 1 });
  if (b.kind === 'curated') {
    return { kind: 'curated', title: title ?? '', items: (b.items ?? []).map((p, j) => toPlacement(p, text('frontWhereStory', { story: j + 1, block: i + 1 }))) };
  }
  if (b.items?.length) throw new DomainError('BAD_REQUEST', text(b.kind === 'tag' ? 'frontTopicBlockItems' : 'frontSectionBlockItems', { where }));
  const count = b.count ?? 4;
  if (b.kind === 'section') {
    if (!b.sectionId) throw new DomainError('BAD_REQUEST', text('frontSectionBlockNeedsSection', { where }));
    return { kind: 'section', sectionId: b.sectionId, title, count };
  }
  if (!b.tagId) throw new DomainError('BAD_REQUEST', text('frontTopicBlockNeedsTopic', { where }));
  return { kind: 'tag', tagId: b.tagId, title, count };
}

/**
 * The surrogate keys of a front: the front itself, every story on it, `latest` (home) or
 * its section, and the section or topic of every automatic block, so a new story there
 * purges the pages showing the block.
 */
export function frontSurrogateKeys(front: PublicFront): string[] {
  return [
    frontKey(front.name),
    ...(front.section ? [sectionKey(front.section.id)] : [LATEST_KEY]),
    ...front.blocks.flatMap((b) => (b.section ? [sectionKey(b.section.id)] : b.tag ? [tagKey(b.tag.id)] : [])),
    ...frontArticles(front).map((a) => articleKey(a.id)),
  ];
}

const storedPlacement = (p: Placement) => ({ articleId: p.articleId, expiresAt: iso(p.expiresAt) });
const storedBlocks = (blocks: FrontArrangement['blocks']) =>
  blocks === null
    ? null
    : blocks.map((b) => ({
        kind: b.kind,
        title: b.title,
        sectionId: b.kind === 'section' ? b.sectionId : null,
        tagId: b.kind === 'tag' ? b.tagId : null,
        count: b.kind === 'curated' ? null : b.count,
        items: b.kind === 'curated' ? b.items.map(storedPlacement) : [],
      }));

/** Admin API: arrange fronts (editors and owners save and restore; anyone in the newsroom reads). */
export function adminFrontsRoutes(services: Services): FastifyPluginAsyncTypebox {
  const tags = ['admin'];
  const placement = (p: PlacementView) => ({
    articleId: p.articleId,
    expiresAt: iso(p.expiresAt),
    article: p.article ? { id: p.article.id, headline: p.article.headline, status: p.article.status, language: p.article.language, direction: p.article.direction } : null,
  });
  const block = (b: BlockView) => ({ ...b, items: b.items.map(placement) });
  const view = (v: FrontEditorView) => ({
    ...v,
    updatedAt: iso(v.updatedAt),
    lead: v.lead ? placement(v.lead) : null,
    top: v.top.map(placement),
    blocks: v.blocks ? v.blocks.map(block) : null,
    automaticBlocks: v.automaticBlocks.map(block),
  });
  const revision = (r: FrontRevisionView) => ({
    revision: r.revision,
    createdAt: new Date(r.createdAt).toISOString(),
    actorName: r.actorName,
    changes: r.changes,
    lead: r.arrangement.lead ? storedPlacement(r.arrangement.lead) : null,
    top: r.arrangement.top.map(storedPlacement),
    blocks: storedBlocks(r.arrangement.blocks),
  });
  return async (app) => {
    app.get('/fronts', { preHandler: requireCapability('articles.read'), schema: { tags, summary: 'Fronts editors can arrange: home and each section', response: { 200: FrontListSchema } } }, async () => ({
      items: await services.fronts.list(),
    }));
    app.get(
      '/fronts/:name',
      { preHandler: requireCapability('articles.read'), schema: { tags, summary: "A front's placements and blocks", params: FrontNameParams, response: { 200: AdminFrontSchema } } },
      async (request) => view(await services.fronts.editorView(request.params.name)),
    );
    app.put(
      '/fronts/:name',
      { preHandler: requireCapability('articles.publish'), schema: { tags, summary: 'Save a front (editors and owners)', params: FrontNameParams, body: SaveFrontBody, response: { 200: AdminFrontSchema } } },
      async (request) => {
        const body = request.body;
        const saved = await services.fronts.save(principalOf(request), request.params.name, {
          revision: body.revision,
          lead: body.lead ? toPlacement(body.lead, text('frontWhereLead')) : null,
          top: body.top.map((p, i) => toPlacement(p, text('frontWhereTop', { n: i + 1 }))),
          ...(body.blocks !== undefined ? { blocks: body.blocks === null ? null : body.blocks.map(toBlock) } : {}),
        });
        return view(saved);
      },
    );
    app.get(
      '/fronts/:name/revisions',
      { preHandler: requireCapability('articles.read'), schema: { tags, summary: "A front's saved arrangements, newest first, with what each changed", params: FrontNameParams, response: { 200: FrontRevisionListSchema } } },
      async (request) => ({ items: (await services.fronts.revisions(request.params.name)).map(revision) }),
    );
    app.post(
      '/fronts/:name/revisions/:revision/restore',
      {
        preHandler: requireCapability('articles.publish'),
        schema: { tags, summary: 'Restore an earlier arrangement as the newest revision (editors and owners)', params: FrontRevisionParams, body: RestoreFrontBody, response: { 200: RestoredFrontSchema } },
      },
      async (request) => {
        const restored = await services.fronts.restore(principalOf(request), request.params.name, request.params.revision, request.body.revision);
        return { ...view(restored), leftOut: restored.leftOut };
      },
    );
  };
}

const SourceSchema = Type.Object({ id: Type.Integer(), slug: Type.String(), name: Type.String() });
const PublicFrontSchema = Type.Object(
  {
    name: Type.String(),
    revision: Type.Integer(),
    section: Type.Union([SourceSchema, Type.Null()]),
    lead: Type.Union([Type.Ref(ArticleSummarySchema), Type.Null()]),
    leadPlaced: Type.Boolean({ description: 'Whether an editor placed the lead (else it was picked automatically)' }),
    top: Type.Array(Type.Ref(ArticleSummarySchema)),
    topPlaced: Type.Integer({ description: 'How many of `top`, from the start, editors placed; the rest are the newest stories' }),
    blocks: Type.Array(
      Type.Object({
        kind: Type.Union([Type.Literal('section'), Type.Literal('tag'), Type.Literal('curated')]),
        title: Type.String({ description: "The heading: the editor's title, else the section's or topic's name" }),
        section: Type.Union([SourceSchema, Type.Null()], { description: 'The section a section block shows' }),
        tag: Type.Union([SourceSchema, Type.Null()], { description: 'The topic a topic block shows' }),
        articles: Type.Array(Type.Ref(ArticleSummarySchema)),
        placed: Type.Integer({ description: 'How many of `articles` an editor placed by hand' }),
      }),
      { description: 'Blocks below the top stories, in order (a block may be empty right now)' },
    ),
  },
  { description: 'A front: lead, then top stories, then blocks' },
);

const source = (s: { id: number; slug: string; name: string } | null) => (s ? { id: s.id, slug: s.slug, name: s.name } : null);

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
          section: source(front.section),
          lead: front.lead ? mapper.summary(front.lead) : null,
          leadPlaced: front.leadPlaced,
          top: front.top.map((a) => mapper.summary(a)),
          topPlaced: front.topPlaced,
          blocks: front.blocks.map((b) => ({
            kind: b.kind,
            title: b.title ?? b.section?.name ?? b.tag?.name ?? '',
            section: source(b.section),
            tag: source(b.tag),
            articles: b.articles.map((a) => mapper.summary(a)),
            placed: b.placed,
          })),
        };
      },
    );
  };
}
