import { Type, type Static } from '@sinclair/typebox';
import { LIVE_ENTRY_KINDS, LIVE_LIMITS } from '../../domain/live.js';
import { Id, Limit, PageNumber } from './common.schemas.js';

/** A configured language code in a path or query (checked against the site's languages by the service). */
export const LanguageCode = Type.String({ pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$', maxLength: 12, description: 'Language code, e.g. en' });
/** An event id of the live log (a `since` cursor). */
export const EventCursor = Type.String({ pattern: '^[0-9]{1,15}$', maxLength: 15, description: 'Event id of the live log' });

export const BreakingBody = Type.Object(
  {
    articleId: Type.Optional(Id('A published story to flag (its headline and link are used unless given)')),
    headline: Type.Optional(Type.String({ minLength: 1, maxLength: LIVE_LIMITS.headline })),
    url: Type.Optional(Type.String({ minLength: 1, maxLength: LIVE_LIMITS.url, description: 'A site path (/…) or an http(s) address' })),
    expiresInMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: LIVE_LIMITS.maxExpiryMs / 60_000, description: 'Until the banner goes by itself (default 120)' })),
    alert: Type.Optional(Type.Boolean({ description: 'Also send the breaking.alert webhook' })),
  },
  { additionalProperties: false },
);
export const LanguageParams = Type.Object({ language: LanguageCode });

export const BreakingItemSchema = Type.Object({
  id: Type.Integer(),
  language: Type.String(),
  headline: Type.String(),
  url: Type.String(),
  articleId: Type.Union([Type.Integer(), Type.Null()]),
  alert: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.String({ format: 'date-time' }),
});
export const BreakingOverviewSchema = Type.Object({
  languages: Type.Array(Type.String(), { description: 'The languages the site publishes in' }),
  current: Type.Array(BreakingItemSchema, { description: 'The banner of each language that has one now' }),
});
export const BreakingStateSchema = Type.Object({
  current: Type.Union([BreakingItemSchema, Type.Null()]),
  recent: Type.Array(Type.Intersect([BreakingItemSchema, Type.Object({ clearedAt: Type.Union([Type.String(), Type.Null()]), createdBy: Type.String() })])),
});

export const StartBlogBody = Type.Object({ articleId: Id('The article that becomes a live blog') }, { additionalProperties: false });
export const BlogStateBody = Type.Object({ ended: Type.Boolean({ description: 'true: "This live coverage has ended"; false: reopen' }) }, { additionalProperties: false });

const EntryContent = {
  bodyHtml: Type.Optional(Type.String({ maxLength: LIVE_LIMITS.bodyHtml })),
  quoteText: Type.Optional(Type.String({ maxLength: LIVE_LIMITS.quote })),
  quoteSource: Type.Optional(Type.String({ maxLength: LIVE_LIMITS.quoteSource })),
  pinned: Type.Optional(Type.Boolean({ description: 'A key point, shown at the top' })),
};
export const EntryBody = Type.Object(
  {
    kind: Type.Union(LIVE_ENTRY_KINDS.map((k) => Type.Literal(k))),
    ...EntryContent,
    mediaId: Type.Optional(Id('A photo (picture) or video (video) of the media library')),
    alert: Type.Optional(Type.Boolean({ description: 'Also send the live.alert webhook' })),
  },
  { additionalProperties: false },
);
export const EntryPatchBody = Type.Object(
  {
    ...EntryContent,
    mediaId: Type.Optional(Type.Union([Id('Media id'), Type.Null()])),
    correction: Type.Optional(Type.String({ maxLength: LIVE_LIMITS.correction, description: 'A note readers see under the entry' })),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const LiveEntrySchema = Type.Object({
  id: Type.Integer(),
  blogId: Type.Integer(),
  kind: Type.String(),
  bodyHtml: Type.String(),
  media: Type.Union([Type.Object({ id: Type.Integer(), kind: Type.String(), url: Type.String(), alt: Type.String(), caption: Type.String(), credit: Type.String() }), Type.Null()]),
  quote: Type.Union([Type.Object({ text: Type.String(), source: Type.String() }), Type.Null()]),
  pinned: Type.Boolean(),
  alert: Type.Boolean(),
  author: Type.String(),
  correction: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export const LiveBlogSchema = Type.Object({
  id: Type.Integer(),
  ended: Type.Boolean(),
  endedAt: Type.Union([Type.String(), Type.Null()]),
  pinned: Type.Array(LiveEntrySchema),
  items: Type.Array(LiveEntrySchema),
  page: Type.Integer(),
  totalPages: Type.Integer(),
  total: Type.Integer(),
  cursor: Type.String({ description: 'Pass as `since` to /changes for what changed after this answer' }),
});
export const LiveChangesSchema = Type.Object({
  changes: Type.Array(
    Type.Object({
      id: Type.String(),
      type: Type.String({ description: 'entry, entry-updated, entry-deleted, ended, reopened' }),
      entry: Type.Optional(LiveEntrySchema),
      entryId: Type.Optional(Type.Integer()),
    }),
  ),
  cursor: Type.String(),
});
export const LiveBlogListSchema = Type.Object({
  items: Type.Array(Type.Object({ id: Type.Integer(), headline: Type.String(), language: Type.String(), status: Type.String(), ended: Type.Boolean(), entries: Type.Integer(), createdAt: Type.String() })),
});
export const LivePageQuery = Type.Object({ page: Type.Optional(PageNumber()), limit: Type.Optional(Limit(100)) }, { additionalProperties: false });
export const LiveChangesQuery = Type.Object({ since: EventCursor, limit: Type.Optional(Limit(500)) }, { additionalProperties: false });
export const LiveEventsQuery = Type.Object(
  { language: LanguageCode, blog: Type.Optional(Id('Live blog (article) id')), since: Type.Optional(EventCursor) },
  { additionalProperties: false },
);

export type BreakingItemDto = Static<typeof BreakingItemSchema>;
export type BreakingOverviewDto = Static<typeof BreakingOverviewSchema>;
export type BreakingStateDto = Static<typeof BreakingStateSchema>;
export type LiveEntryDto = Static<typeof LiveEntrySchema>;
export type LiveBlogDto = Static<typeof LiveBlogSchema>;
export type LiveBlogListDto = Static<typeof LiveBlogListSchema>;
export type BreakingBodyDto = Static<typeof BreakingBody>;
export type EntryBodyDto = Static<typeof EntryBody>;
export type EntryPatchBodyDto = Static<typeof EntryPatchBody>;
