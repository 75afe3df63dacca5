import { Type, type Static } from '@sinclair/typebox';

export const TranslateBody = Type.Object(
  { language: Type.String({ minLength: 2, maxLength: 35, description: 'One of the site languages (SITE_LANGUAGES), other than the article\'s own' }) },
  { additionalProperties: false },
);

export const TranslationVersionSchema = Type.Object({
  id: Type.Integer(),
  language: Type.String(),
  headline: Type.String(),
  status: Type.String(),
  translationOf: Type.Union([Type.Integer(), Type.Null()]),
  needsTranslation: Type.Boolean(),
});

export const TranslationsSchema = Type.Object({
  group: Type.Union([Type.String(), Type.Null()], { description: 'Translation group id; null until the story has a second version' }),
  translationOf: Type.Union([Type.Integer(), Type.Null()], { description: 'The article this one was translated from' }),
  needsTranslation: Type.Boolean({ description: 'Still holds the source\'s text (until an editor saves it)' }),
  versions: Type.Array(TranslationVersionSchema),
  missing: Type.Array(Type.String(), { description: 'Site languages without a version: what "Translate into…" offers' }),
});

export type TranslationsDto = Static<typeof TranslationsSchema>;
