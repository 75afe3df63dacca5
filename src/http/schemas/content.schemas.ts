import { Type, type Static } from '@sinclair/typebox';
import { IdParam } from './common.schemas.js';

const Nullable = <T extends import('@sinclair/typebox').TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const MediaSchema = Type.Object(
  {
    id: Type.Integer(),
    kind: Type.Union([Type.Literal('image'), Type.Literal('video')]),
    key: Type.String({ description: 'Storage key: YYYY/MM/DD/<site>_<ticks>_<profile>_<ratio>.<ext>' }),
    url: Type.String(),
    mime: Type.String(),
    width: Nullable(Type.Integer()),
    height: Nullable(Type.Integer()),
    durationMs: Nullable(Type.Integer()),
    posterUrl: Nullable(Type.String()),
    alt: Type.String(),
    caption: Type.String(),
    credit: Type.String(),
    licence: Type.String(),
    focalX: Type.Number({ minimum: 0, maximum: 1 }),
    focalY: Type.Number({ minimum: 0, maximum: 1 }),
    state: Type.Union([Type.Literal('none'), Type.Literal('processing'), Type.Literal('ready'), Type.Literal('failed')], { description: 'renditions exist only when ready' }),
    renditions: Type.Array(
      Type.Object({
        ratio: Type.String({ description: '16x9, 4x3 or 1x1 crop around the focal point' }),
        width: Type.Integer(),
        height: Type.Integer(),
        format: Type.Union([Type.Literal('avif'), Type.Literal('webp'), Type.Literal('jpeg')]),
        url: Type.String(),
      }),
    ),
  },
  { $id: 'Media' },
);

export const TagSchema = Type.Object(
  {
    id: Type.Integer(),
    slug: Type.String(),
    name: Type.String(),
    kind: Type.Union([Type.Literal('topic'), Type.Literal('person'), Type.Literal('organisation'), Type.Literal('place')]),
    language: Type.String(),
    url: Type.String(),
  },
  { $id: 'Tag' },
);

const summaryProperties = {
  id: Type.Integer(),
  url: Type.String({ description: 'Absolute URL of the article page' }),
  language: Type.String({ description: 'BCP 47 language tag' }),
  direction: Type.Union([Type.Literal('ltr'), Type.Literal('rtl')]),
  slug: Type.String(),
  headline: Type.String(),
  dek: Type.String(),
  byline: Type.String(),
  place: Type.String(),
  contentTypeId: Type.Integer(),
  sectionId: Type.Integer(),
  publishedAt: Nullable(Type.String({ format: 'date-time' })),
  updatedAt: Type.String({ format: 'date-time' }),
  leadMedia: Nullable(Type.Ref(MediaSchema)),
};

export const ArticleSummarySchema = Type.Object(summaryProperties, { $id: 'ArticleSummary' });

export const ArticleSchema = Type.Object(
  {
    ...summaryProperties,
    source: Type.String(),
    bodyHtml: Type.String({ description: 'Sanitized HTML' }),
    bodyText: Type.String(),
    firstPublishedAt: Nullable(Type.String({ format: 'date-time' })),
    revision: Type.Integer(),
    tags: Type.Array(Type.Ref(TagSchema)),
    corrections: Type.Array(Type.Object({ at: Type.String({ format: 'date-time' }), note: Type.String() }), { description: 'Dated correction notes, oldest first' }),
    translationGroup: Nullable(Type.String({ description: 'Shared by the versions of this story in other languages; null when it has none' })),
    translations: Type.Array(Type.Object({ id: Type.Integer(), language: Type.String(), url: Type.String() }), { description: 'The other published versions of this story (translations)' }),
  },
  { $id: 'Article' },
);

export const RelatedItemSchema = Type.Object(
  {
    id: Type.Integer(),
    url: Type.String(),
    sort: Type.Integer({ description: 'Number of the link in the global related sequence; the list order' }),
    pinned: Type.Boolean(),
    contentTypeId: Type.Integer(),
    language: Type.String(),
    headline: Type.String(),
    publishedAt: Nullable(Type.String({ format: 'date-time' })),
    leadMedia: Nullable(Type.Ref(MediaSchema)),
  },
  { $id: 'RelatedItem' },
);

export const SectionSchema = Type.Object(
  {
    id: Type.Integer(),
    slug: Type.String(),
    name: Type.String(),
    names: Type.Record(Type.String(), Type.String()),
    url: Type.String(),
  },
  { $id: 'Section' },
);

export const ContentTypeSchema = Type.Object(
  { id: Type.Integer({ description: 'Numeric id (legacy ids kept, e.g. 21 = news)' }), name: Type.String(), label: Type.String() },
  { $id: 'ContentType' },
);

export const ArticleListQuery = Type.Object(
  {
    section: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Section slug' })),
    tag: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Tag slug' })),
    type: Type.Optional(Type.String({ minLength: 1, maxLength: 50, description: 'Content type name or numeric id' })),
    lang: Type.Optional(Type.String({ minLength: 2, maxLength: 35, description: 'BCP 47 language tag' })),
    published_before: Type.Optional(Type.String({ format: 'date-time', description: 'ISO 8601 date-time with offset' })),
    published_after: Type.Optional(Type.String({ format: 'date-time', description: 'ISO 8601 date-time with offset' })),
    cursor: Type.Optional(Type.String({ maxLength: 64, description: 'nextCursor of the previous page' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  },
  { additionalProperties: false },
);
export type ArticleListQueryDto = Static<typeof ArticleListQuery>;

export const ArticleListSchema = Type.Object({
  items: Type.Array(Type.Ref(ArticleSummarySchema)),
  nextCursor: Nullable(Type.String()),
});

export const TagListQuery = Type.Object(
  {
    kind: Type.Optional(Type.Union([Type.Literal('topic'), Type.Literal('person'), Type.Literal('organisation'), Type.Literal('place')])),
    cursor: Type.Optional(Type.String({ maxLength: 400 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 100 })),
  },
  { additionalProperties: false },
);

export const ArticleIdParams = Type.Object({ id: IdParam }, { additionalProperties: false });
export const SlugParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 300 }) }, { additionalProperties: false });

/** The legacy related shape: every value a string, keys in this order. */
export const LegacyRelatedSchema = Type.Array(
  Type.Object({
    id: Type.String(),
    sort: Type.String(),
    contenttypeid: Type.String(),
    pic: Type.String(),
    title: Type.String(),
  }),
);

export const SHARED_SCHEMAS = [MediaSchema, TagSchema, ArticleSummarySchema, ArticleSchema, RelatedItemSchema, SectionSchema, ContentTypeSchema];
