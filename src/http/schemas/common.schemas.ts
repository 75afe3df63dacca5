import { Type, type Static } from '@sinclair/typebox';
import { LIST_LIMITS, MAX_ID } from '../../domain/limits.js';

/** Positive database id in a path (32-bit, as stored). */
export const IdParam = Type.Integer({ minimum: 1, maximum: MAX_ID, description: 'Article id' });

/**
 * Shared edge types (issue 10): every id, count and page number is a positive integer
 * within the 32-bit column range, so no query can carry one the database refuses.
 */
export const Id = (description = 'Id') => Type.Integer({ minimum: 1, maximum: MAX_ID, description });
/** A revision number, a sequence, anything counted from 1 and stored in a 32-bit column. */
export const PositiveInt = (description?: string) => Type.Integer({ minimum: 1, maximum: MAX_ID, ...(description ? { description } : {}) });
/** Page size of a list: 1 to `max`. */
export const Limit = (max: number = LIST_LIMITS.apiMaxLimit, defaultValue?: number) =>
  Type.Integer({ minimum: 1, maximum: max, ...(defaultValue !== undefined ? { default: defaultValue } : {}) });
/** Page number of an HTML list or search results: 1 to `max`. */
export const PageNumber = (max: number = LIST_LIMITS.maxPage, defaultValue?: number) =>
  Type.Integer({ minimum: 1, maximum: max, ...(defaultValue !== undefined ? { default: defaultValue } : {}) });

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String({ description: 'Stable error code, e.g. ARTICLE_NOT_FOUND' }),
    instance: Type.String(),
    requestId: Type.String(),
  },
  { $id: 'Problem', description: 'RFC 9457 problem details (application/problem+json)' },
);
export type ProblemDto = Static<typeof ProblemSchema>;

/** Error responses every route may give. */
export const errorResponses = {
  400: Type.Ref(ProblemSchema),
  404: Type.Ref(ProblemSchema),
};
