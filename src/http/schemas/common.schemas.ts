import { Type, type Static } from '@sinclair/typebox';

/** Positive database id in a path (32-bit, as stored). */
export const IdParam = Type.Integer({ minimum: 1, maximum: 2147483647, description: 'Article id' });

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
