import { Type, type Static } from '@sinclair/typebox';
import { FRONT_TOP_SLOTS } from '../../domain/front.js';

export const FrontNameParams = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 200, description: '`home` or a section slug' }) },
  { additionalProperties: false },
);

/** A placement as clients send it: the story and an optional expiry (ISO 8601). */
export const PlacementBody = Type.Object(
  {
    articleId: Type.Integer({ minimum: 1, maximum: 2147483647 }),
    expiresAt: Type.Optional(Type.Union([Type.String({ maxLength: 40, description: 'ISO 8601 date-time; the slot fills again after it' }), Type.Null()])),
  },
  { additionalProperties: false },
);
export type PlacementBodyDto = Static<typeof PlacementBody>;

export const SaveFrontBody = Type.Object(
  {
    revision: Type.Integer({ minimum: 0, description: 'The revision you started from (0 for a front never saved)' }),
    lead: Type.Union([PlacementBody, Type.Null()]),
    top: Type.Array(PlacementBody, { maxItems: FRONT_TOP_SLOTS }),
  },
  { additionalProperties: false },
);
export type SaveFrontBodyDto = Static<typeof SaveFrontBody>;
