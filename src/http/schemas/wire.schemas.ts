import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Id, Limit } from './common.schemas.js';

/**
 * Admin API schemas for wire sources and the Incoming queue. The newsroom app imports
 * the Static types below, so a renamed field fails its type check.
 */
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Iso = Type.String({ format: 'date-time' });

export const WIRE_SOURCE_KINDS = ['feed', 'ninjs', 'folder'] as const;
const Kind = Type.Union(WIRE_SOURCE_KINDS.map((k) => Type.Literal(k)), { description: 'feed: RSS, Atom or JSON Feed URL; ninjs: URL of ninjs JSON; folder: a watched folder on the server' });

export const WireSourceSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  kind: Kind,
  location: Type.String({ description: 'URL, or the folder path' }),
  agency: Type.String({ description: 'Credited as the draft\'s source; empty: the name' }),
  language: Type.String({ description: 'Language of items that name none' }),
  intervalSeconds: Type.Integer(),
  enabled: Type.Boolean(),
  lastPolledAt: Nullable(Iso),
  lastStatus: Nullable(Type.Union([Type.Literal('ok'), Type.Literal('not-modified'), Type.Literal('error')])),
  lastError: Nullable(Type.String()),
  failureStreak: Type.Integer({ description: 'Failed polls in a row (the next waits interval × 2^streak, at most 6 h)' }),
  nextPollAt: Nullable(Iso),
  itemsReceived: Type.Integer(),
  createdAt: Iso,
  updatedAt: Iso,
});
export type WireSourceDto = Static<typeof WireSourceSchema>;

export const WireSourceListSchema = Type.Object({ items: Type.Array(WireSourceSchema) });
export type WireSourceListDto = Static<typeof WireSourceListSchema>;

const sourceFields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  kind: Kind,
  location: Type.String({ minLength: 1, maxLength: 2000 }),
  agency: Type.String({ maxLength: 200 }),
  language: Type.String({ minLength: 2, maxLength: 35 }),
  intervalSeconds: Type.Integer({ minimum: 60, maximum: 86_400, description: 'Seconds between polls (60 to 86400)' }),
  enabled: Type.Boolean(),
};

export const CreateWireSourceBody = Type.Object(
  { name: sourceFields.name, kind: Type.Optional(sourceFields.kind), location: sourceFields.location, agency: Type.Optional(sourceFields.agency), language: Type.Optional(sourceFields.language), intervalSeconds: Type.Optional(sourceFields.intervalSeconds), enabled: Type.Optional(sourceFields.enabled) },
  { additionalProperties: false },
);
export type CreateWireSourceDto = Static<typeof CreateWireSourceBody>;

export const PatchWireSourceBody = Type.Partial(Type.Object(sourceFields), { additionalProperties: false });
export type PatchWireSourceDto = Static<typeof PatchWireSourceBody>;

export const IncomingItemSchema = Type.Object({
  id: Type.Integer(),
  sourceId: Type.Integer(),
  sourceName: Type.String(),
  headline: Type.String(),
  summary: Type.String(),
  byline: Type.String(),
  language: Type.String(),
  link: Type.String(),
  publishedAt: Nullable(Iso),
  receivedAt: Iso,
  articleId: Nullable(Type.Integer({ description: 'The draft made from it' })),
  draftedAt: Nullable(Iso),
  correctedAt: Type.Union([Iso, Type.Null()], { description: 'When the agency last sent a corrected version (same guid, other text); the queued copy is that version' }),
});
export type IncomingItemDto = Static<typeof IncomingItemSchema>;

export const IncomingPreviewSchema = Type.Intersect([IncomingItemSchema, Type.Object({ bodyHtml: Type.String({ description: 'Sanitized body' }), agency: Type.String() })]);
export type IncomingPreviewDto = Static<typeof IncomingPreviewSchema>;

export const IncomingListSchema = Type.Object({
  items: Type.Array(IncomingItemSchema),
  nextCursor: Nullable(Type.String()),
  sources: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String() })),
  languages: Type.Array(Type.String()),
});
export type IncomingListDto = Static<typeof IncomingListSchema>;

export const IncomingQuery = Type.Object(
  {
    source: Type.Optional(Id('Only this source')),
    language: Type.Optional(Type.String({ minLength: 2, maxLength: 35, pattern: '^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$' })),
    state: Type.Optional(Type.Union([Type.Literal('new'), Type.Literal('drafted'), Type.Literal('all')], { default: 'new' })),
    limit: Type.Optional(Limit(100, 50)),
    cursor: Type.Optional(Type.String({ pattern: '^[0-9]{1,10}$', description: 'nextCursor of the previous page' })),
  },
  { additionalProperties: false },
);

export const MakeDraftBody = Type.Object({ sectionId: Type.Optional(Id('Section of the draft; default the first section')) }, { additionalProperties: false });

export const MakeDraftResultSchema = Type.Object({ item: IncomingItemSchema, articleId: Type.Integer() });
export type MakeDraftResultDto = Static<typeof MakeDraftResultSchema>;
