import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../services/index.js';
import type { TranslationsView } from '../../services/translation.service.js';
import type { AdminMapper } from '../admin-mappers.js';
import { principalOf, requireCapability } from '../plugins/auth.js';
import { AdminArticleSchema, IdParams } from '../schemas/admin.schemas.js';
import { TranslateBody, TranslationsSchema, type TranslationsDto } from '../schemas/translations.schemas.js';

const tags = ['admin'];

function translationsDto(v: TranslationsView): TranslationsDto {
  return {
    group: v.group,
    translationOf: v.translationOf,
    needsTranslation: v.needsTranslation,
    versions: v.versions.map((r) => ({ id: r.id, language: r.language, headline: r.headline, status: r.status, translationOf: r.translationOf, needsTranslation: r.needsTranslation })),
    missing: v.missing,
  };
}

/** "Translate into…": an article's versions in other languages, and a new translation draft. */
export function adminTranslationsRoutes(services: Services, mapper: AdminMapper): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/articles/:id/translations',
      { preHandler: requireCapability('articles.read'), schema: { tags, summary: 'The versions of this article\'s story in other languages', params: IdParams, response: { 200: TranslationsSchema } } },
      async (request) => translationsDto(await services.translations.versionsOf(request.params.id)),
    );

    app.post(
      '/articles/:id/translations',
      {
        preHandler: requireCapability('articles.create'),
        schema: { tags, summary: 'Translate into another language: a new linked draft prefilled with this article, marked as needing translation', params: IdParams, body: TranslateBody, response: { 201: AdminArticleSchema } },
      },
      async (request, reply) => reply.code(201).send(mapper.article(await services.translations.translate(principalOf(request), request.params.id, request.body.language))),
    );
  };
}
