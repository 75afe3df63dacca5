import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { WireItemRow, WireSourceRow } from '../../db/repositories/wire.repository.js';
import { MAX_ID } from '../../domain/limits.js';
import type { Services } from '../../services/index.js';
import { principalOf, requireCapability } from '../plugins/auth.js';
import { IdParams } from '../schemas/admin.schemas.js';
import {
  CreateWireSourceBody,
  IncomingListSchema,
  IncomingPreviewSchema,
  IncomingQuery,
  MakeDraftBody,
  MakeDraftResultSchema,
  PatchWireSourceBody,
  WireSourceListSchema,
  WireSourceSchema,
  type IncomingItemDto,
  type WireSourceDto,
} from '../schemas/wire.schemas.js';

const tags = ['admin'];
const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());

function sourceDto(s: WireSourceRow): WireSourceDto {
  return {
    id: s.id, name: s.name, kind: s.kind, location: s.location, agency: s.agency, language: s.language, intervalSeconds: s.interval_seconds, enabled: s.enabled === 1,
    lastPolledAt: iso(s.last_polled_at), lastStatus: s.last_status, lastError: s.last_error, failureStreak: s.failure_streak, nextPollAt: iso(s.next_poll_at),
    itemsReceived: s.items_received, createdAt: iso(s.created_at)!, updatedAt: iso(s.updated_at)!,
  };
}

function itemDto(i: WireItemRow, names: Map<number, string>): IncomingItemDto {
  return {
    id: i.id, sourceId: i.source_id, sourceName: names.get(i.source_id) ?? '', headline: i.headline, summary: i.summary, byline: i.byline, language: i.language, link: i.link,
    publishedAt: iso(i.published_at), receivedAt: iso(i.received_at)!, articleId: i.article_id, draftedAt: iso(i.drafted_at), correctedAt: iso(i.corrected_at),
  };
}

/** Wire sources (editors and owners) and the Incoming queue they fill. */
export function adminWireRoutes(services: Services): FastifyPluginAsyncTypebox {
  const wires = services.wires;
  const guard = requireCapability('wires.manage');
  const sourceNames = async () => new Map((await wires.listSources()).map((s) => [s.id, s.name]));
  return async (app) => {
    app.get('/wire-sources', { preHandler: guard, schema: { tags, summary: 'Wire sources with their last poll status', response: { 200: WireSourceListSchema } } }, async () => ({
      items: (await wires.listSources()).map(sourceDto),
    }));
    app.post('/wire-sources', { preHandler: guard, schema: { tags, summary: 'Add a wire source (polled at once, then every interval)', body: CreateWireSourceBody, response: { 201: WireSourceSchema } } }, async (request, reply) =>
      reply.code(201).send(sourceDto(await wires.createSource(principalOf(request), request.body))),
    );
    app.patch('/wire-sources/:id', { preHandler: guard, schema: { tags, summary: 'Edit a wire source, or switch it on or off', params: IdParams, body: PatchWireSourceBody, response: { 200: WireSourceSchema } } }, async (request) =>
      sourceDto(await wires.updateSource(principalOf(request), request.params.id, request.body)),
    );
    app.delete('/wire-sources/:id', { preHandler: guard, schema: { tags, summary: 'Remove a wire source and its queue items (drafts made from them stay)', params: IdParams } }, async (request, reply) => {
      await wires.removeSource(principalOf(request), request.params.id);
      return reply.code(204).send();
    });
    app.post('/wire-sources/:id/poll', { preHandler: guard, schema: { tags, summary: 'Poll the source now', params: IdParams, response: { 202: WireSourceSchema } } }, async (request, reply) =>
      reply.code(202).send(sourceDto(await wires.pollSoon(principalOf(request), request.params.id))),
    );

    app.get('/incoming', { preHandler: guard, schema: { tags, summary: 'The Incoming queue, newest first, by source and language', querystring: IncomingQuery, response: { 200: IncomingListSchema } } }, async (request) => {
      const q = request.query;
      const limit = q.limit ?? 50;
      const before = q.cursor !== undefined ? Math.min(Number(q.cursor), MAX_ID) : undefined;
      const items = await wires.incoming({ sourceId: q.source, language: q.language, state: q.state ?? 'new', before }, limit + 1);
      const more = items.length > limit;
      if (more) items.length = limit;
      const sources = await wires.listSources();
      const names = new Map(sources.map((s) => [s.id, s.name]));
      return { items: items.map((i) => itemDto(i, names)), nextCursor: more ? String(items.at(-1)!.id) : null, sources: sources.map((s) => ({ id: s.id, name: s.name })), languages: await wires.languages() };
    });
    app.get('/incoming/:id', { preHandler: guard, schema: { tags, summary: 'One incoming item with its (sanitized) body', params: IdParams, response: { 200: IncomingPreviewSchema } } }, async (request) => {
      const item = await wires.item(request.params.id);
      const source = (await wires.listSources()).find((s) => s.id === item.source_id);
      return { ...itemDto(item, await sourceNames()), bodyHtml: item.body_html, agency: source ? source.agency || source.name : '' };
    });
    app.post('/incoming/:id/draft', { preHandler: guard, schema: { tags, summary: 'Make a draft from the item (source and agency kept)', params: IdParams, body: MakeDraftBody, response: { 201: MakeDraftResultSchema } } }, async (request, reply) => {
      const { item, articleId } = await wires.makeDraft(principalOf(request), request.params.id, request.body ?? {});
      return reply.code(201).send({ item: itemDto(item, await sourceNames()), articleId });
    });
  };
}
