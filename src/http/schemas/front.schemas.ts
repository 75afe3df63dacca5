import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { BLOCK_MAX_ITEMS, BLOCK_TITLE_MAX, FRONT_MAX_BLOCKS, FRONT_TOP_SLOTS } from '../../domain/front.js';
import { Id, PositiveInt } from './common.schemas.js';
import { StatusSchema } from './admin.schemas.js';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Lit = <const T extends readonly string[]>(values: T) => Type.Unsafe<T[number]>(Type.Union(values.map((v) => Type.Literal(v))));

export const FrontNameParams = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 200, description: '`home` or a section slug' }) },
  { additionalProperties: false },
);

export const FrontRevisionParams = Type.Object(
  { name: FrontNameParams.properties.name, revision: PositiveInt('The revision to restore') },
  { additionalProperties: false },
);

/** A placement as clients send it: the story and an optional expiry (ISO 8601). */
export const PlacementBody = Type.Object(
  {
    articleId: Id('Article id'),
    expiresAt: Type.Optional(Nullable(Type.String({ maxLength: 40, description: 'ISO 8601 date-time; the slot fills again after it' }))),
  },
  { additionalProperties: false },
);
export type PlacementBodyDto = Static<typeof PlacementBody>;

export const BlockKindSchema = Lit(['section', 'tag', 'curated'] as const);

/** A block as clients send it: `section` needs `sectionId`, `tag` needs `tagId`, `curated` a title and `items`. */
export const BlockBody = Type.Object(
  {
    kind: BlockKindSchema,
    title: Type.Optional(Nullable(Type.String({ maxLength: 400, description: `Heading readers see (at most ${BLOCK_TITLE_MAX} characters); empty shows the section's or topic's name` }))),
    sectionId: Type.Optional(Nullable(Id('Section of a section block'))),
    tagId: Type.Optional(Nullable(Id('Topic of a topic block'))),
    count: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: BLOCK_MAX_ITEMS, description: 'Stories a section or topic block shows' }))),
    items: Type.Optional(Type.Array(PlacementBody, { maxItems: BLOCK_MAX_ITEMS, description: 'Stories of a hand-picked block, in order' })),
  },
  { additionalProperties: false },
);
export type BlockBodyDto = Static<typeof BlockBody>;

export const SaveFrontBody = Type.Object(
  {
    revision: Type.Integer({ minimum: 0, maximum: 2147483647, description: 'The revision you started from (0 for a front never saved)' }),
    lead: Nullable(PlacementBody),
    top: Type.Array(PlacementBody, { maxItems: FRONT_TOP_SLOTS }),
    blocks: Type.Optional(
      Nullable(Type.Array(BlockBody, { maxItems: FRONT_MAX_BLOCKS, description: 'Blocks in order; null goes back to the automatic blocks; omitted keeps the saved ones' })),
    ),
  },
  { additionalProperties: false },
);
export type SaveFrontBodyDto = Static<typeof SaveFrontBody>;

export const RestoreFrontBody = Type.Object(
  { revision: Type.Integer({ minimum: 0, maximum: 2147483647, description: 'The current revision you are replacing' }) },
  { additionalProperties: false },
);

const Iso = Type.String({ format: 'date-time' });

/** A story on a front as the newsroom sees it. */
export const PlacedArticleSchema = Type.Object({
  id: Type.Integer(),
  headline: Type.String(),
  status: StatusSchema,
  language: Type.String(),
  direction: Lit(['ltr', 'rtl'] as const),
});
export const PlacementSchema = Type.Object({
  articleId: Type.Integer(),
  expiresAt: Nullable(Iso),
  article: Nullable(PlacedArticleSchema),
});
export const FrontBlockSchema = Type.Object({
  kind: BlockKindSchema,
  title: Nullable(Type.String()),
  sectionId: Nullable(Type.Integer()),
  tagId: Nullable(Type.Integer()),
  count: Nullable(Type.Integer()),
  source: Nullable(Type.Object({ name: Type.String(), slug: Type.String() }, { description: 'The section or topic shown' })),
  items: Type.Array(PlacementSchema),
});
export const AdminFrontSchema = Type.Object({
  name: Type.String(),
  label: Type.String(),
  revision: Type.Integer(),
  updatedAt: Nullable(Iso),
  updatedBy: Nullable(Type.String()),
  lead: Nullable(PlacementSchema),
  top: Type.Array(PlacementSchema),
  blocks: Nullable(Type.Array(FrontBlockSchema, { description: 'null: never arranged, the automatic blocks show' })),
  automaticBlocks: Type.Array(FrontBlockSchema, { description: 'What shows while blocks are not arranged' }),
});
export const RestoredFrontSchema = Type.Object({
  ...AdminFrontSchema.properties,
  leftOut: Type.Array(Type.String(), { description: 'What of the old revision could not be placed again (expired, deleted, killed), in sentences' }),
});
export const FrontListSchema = Type.Object({ items: Type.Array(Type.Object({ name: Type.String(), label: Type.String() })) });

const StoredPlacement = Type.Object({ articleId: Type.Integer(), expiresAt: Nullable(Iso) });
export const FrontRevisionSchema = Type.Object({
  revision: Type.Integer(),
  createdAt: Iso,
  actorName: Type.String(),
  changes: Type.Array(Type.String(), { description: 'What this revision changed, in sentences' }),
  lead: Nullable(StoredPlacement),
  top: Type.Array(StoredPlacement),
  blocks: Nullable(
    Type.Array(
      Type.Object({
        kind: BlockKindSchema,
        title: Nullable(Type.String()),
        sectionId: Nullable(Type.Integer()),
        tagId: Nullable(Type.Integer()),
        count: Nullable(Type.Integer()),
        items: Type.Array(StoredPlacement),
      }),
    ),
  ),
});
export const FrontRevisionListSchema = Type.Object({ items: Type.Array(FrontRevisionSchema) });
