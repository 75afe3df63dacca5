import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { DomainError } from '../../domain/errors.js';
import { text } from '../../site/i18n.js';
import type { Services } from '../../services/index.js';
import type { ApiMapper } from '../mappers.js';
import { principalOf, requireCapability } from '../plugins/auth.js';
import { ContentTypeBody, ContentTypePatchBody, IdParams, SectionBody, SectionPatchBody, TagBody, TagPatchBody, TagQuery } from '../schemas/admin.schemas.js';
import { TagMergeBody, TagMergeReply } from '../schemas/newsroom-screens.schemas.js';

const tags = ['admin'];

function decodeTagCursor(cursor: string): { name: string; id: number } {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(parsed) && typeof parsed[0] === 'string' && Number.isInteger(parsed[1])) return { name: parsed[0], id: parsed[1] as number };
  } catch {
    // fall through
  }
  throw new DomainError('INVALID_CURSOR', text('cursorInvalid'));
}

/** Sections, tags and content types. */
export function adminTaxonomyRoutes(services: Services, mapper: ApiMapper): FastifyPluginAsyncTypebox {
  const taxonomy = services.newsroom.taxonomy;
  const section = (s: Parameters<ApiMapper['section']>[0]) => ({ ...mapper.section(s), position: s.position });
  return async (app) => {
    app.get('/sections', { preHandler: requireCapability('taxonomy.read'), schema: { tags, summary: 'Sections in navigation order' } }, async () => ({
      items: (await taxonomy.sections()).map(section),
    }));
    app.post('/sections', { preHandler: requireCapability('taxonomy.write'), schema: { tags, summary: 'Create a section', body: SectionBody } }, async (request, reply) =>
      reply.code(201).send(section(await taxonomy.createSection(principalOf(request), request.body))),
    );
    app.patch('/sections/:id', { preHandler: requireCapability('taxonomy.write'), schema: { tags, summary: 'Change a section', params: IdParams, body: SectionPatchBody } }, async (request) =>
      section(await taxonomy.updateSection(principalOf(request), request.params.id, request.body)),
    );
    app.delete('/sections/:id', { preHandler: requireCapability('taxonomy.write'), schema: { tags, summary: 'Delete an empty section', params: IdParams } }, async (request, reply) => {
      await taxonomy.deleteSection(principalOf(request), request.params.id);
      return reply.code(204).send();
    });

    app.get('/tags', { preHandler: requireCapability('taxonomy.read'), schema: { tags, summary: 'Tags by name', querystring: TagQuery } }, async (request) => {
      const limit = request.query.limit ?? 100;
      const after = request.query.cursor ? decodeTagCursor(request.query.cursor) : undefined;
      const items = await taxonomy.tags({ kind: request.query.kind, q: request.query.q, limit: limit + 1, after });
      const hasMore = items.length > limit;
      if (hasMore) items.length = limit;
      const last = items.at(-1);
      return {
        // Each with its article count, for the tag screen (merging, deleting).
        items: (await services.tagMerge.withUsage(items)).map((t) => ({ ...mapper.tag(t), articleCount: t.articleCount })),
        nextCursor: hasMore && last ? Buffer.from(JSON.stringify([last.name, last.id])).toString('base64url') : null,
      };
    });
    app.post('/tags', { preHandler: requireCapability('taxonomy.write'), schema: { tags, summary: 'Create a tag', body: TagBody } }, async (request, reply) =>
      reply.code(201).send(mapper.tag(await taxonomy.createTag(principalOf(request), request.body))),
    );
    app.patch('/tags/:id', { preHandler: requireCapability('taxonomy.write'), schema: { tags, summary: 'Rename or re-kind a tag', params: IdParams, body: TagPatchBody } }, async (request) =>
      mapper.tag(await taxonomy.updateTag(principalOf(request), request.params.id, request.body)),
    );
    app.post(
      '/tags/:id/merge',
      { preHandler: requireCapability('taxonomy.write'), schema: { tags, summary: 'Merge this tag into another: its articles move there and it is deleted', params: IdParams, body: TagMergeBody, response: { 200: TagMergeReply } } },
      async (request) => {
        const { tag, moved } = await services.tagMerge.merge(principalOf(request), request.params.id, request.body.into);
        return { tag: { ...mapper.tag(tag), articleCount: tag.articleCount }, moved };
      },
    );
    app.delete('/tags/:id', { preHandler: requireCapability('taxonomy.write'), schema: { tags, summary: 'Delete a tag (removed from articles)', params: IdParams } }, async (request, reply) => {
      await taxonomy.deleteTag(principalOf(request), request.params.id);
      return reply.code(204).send();
    });

    app.get('/content-types', { preHandler: requireCapability('taxonomy.read'), schema: { tags, summary: 'Content types', response: { 200: Type.Object({ items: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String(), label: Type.String() })) }) } } }, async () => ({
      items: await taxonomy.contentTypes(),
    }));
    app.post('/content-types', { preHandler: requireCapability('contentTypes.write'), schema: { tags, summary: 'Add a content type', body: ContentTypeBody } }, async (request, reply) =>
      reply.code(201).send(await taxonomy.createContentType(principalOf(request), request.body)),
    );
    app.patch('/content-types/:id', { preHandler: requireCapability('contentTypes.write'), schema: { tags, summary: 'Rename a content type', params: IdParams, body: ContentTypePatchBody } }, async (request) =>
      taxonomy.updateContentType(principalOf(request), request.params.id, request.body),
    );
  };
}
