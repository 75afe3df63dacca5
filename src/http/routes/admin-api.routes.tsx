import { adminTranslationsRoutes } from './admin-translations.routes.js';
import fastifyCookie from '@fastify/cookie';
import { Type } from '@sinclair/typebox';
import type { FastifyError, FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { AdminArticle } from '../../domain/admin-article.js';
import { DomainError } from '../../domain/errors.js';
import { text } from '../../site/i18n.js';
import type { Services } from '../../services/index.js';
import { ArticlePage } from '../../site/pages/article-page.js';
import { renderDocument } from '../../site/render.js';
import type { SiteContext } from '../../site/site-context.js';
import { AdminMapper } from '../admin-mappers.js';
import type { ApiMapper } from '../mappers.js';
import { registerAuth, requireCapability } from '../plugins/auth.js';
import type { ErrorResponder } from '../plugins/errors.js';
import { IdParam } from '../schemas/common.schemas.js';
import { adminArticlesRoutes } from './admin-articles.routes.js';
import { adminAuthRoutes } from './admin-auth.routes.js';
import { adminMailRoutes } from './admin-mail.routes.js';
import { adminMediaRoutes } from './admin-media.routes.js';
import { adminTaxonomyRoutes } from './admin-taxonomy.routes.js';
import { adminUsersRoutes } from './admin-users.routes.js';
import { adminFrontsRoutes } from './fronts.routes.js';
import { adminWebhooksRoutes } from './admin-webhooks.routes.js';
import { adminWireRoutes } from './admin-wire.routes.js';
import { adminLiveRoutes } from './admin-live.routes.js';
import { sendHtml } from './site.routes.js';

export interface NewsroomHttpOptions {
  baseUrl: string;
  maxUploadBytes: number;
  mapper: ApiMapper;
  site: SiteContext;
  /** The app's error responder; admin errors are completed here, then answered by it. */
  respond: ErrorResponder;
}

/**
 * The newsroom over HTTP: cookies and authentication for this scope, the admin API
 * under /api/admin (no-store, problem+json) and the article preview.
 */
export function newsroomHttp(services: Services, options: NewsroomHttpOptions): FastifyPluginAsync {
  const admin = new AdminMapper(options.baseUrl, options.mapper);
  return async (app: FastifyInstance) => {
    await app.register(fastifyCookie);
    registerAuth(app, services.newsroom.auth);
    app.setErrorHandler(async (err: FastifyError | DomainError, request, reply) => {
      if (err instanceof DomainError && err.extensions) {
        const { current, retryAfterSeconds } = err.extensions as { current?: AdminArticle; retryAfterSeconds?: number };
        if (retryAfterSeconds) reply.header('retry-after', String(retryAfterSeconds));
        // The conflicting version goes out in the same shape as GET /articles/:id.
        if (current) err = err.with({ current: admin.article(current) });
      }
      return options.respond(err, request, reply);
    });

    await app.register(
      async (api) => {
        api.addHook('onRequest', async (_request, reply) => {
          reply.header('cache-control', 'no-store');
        });
        // Responses are shaped by AdminMapper; the schemas document them.
        api.setSerializerCompiler(() => (data) => JSON.stringify(data));
        await api.register(adminAuthRoutes(services, admin));
        await api.register(adminUsersRoutes(services, admin));
        await api.register(adminMailRoutes(services));
        await api.register(adminArticlesRoutes(services, admin));
        await api.register(adminTranslationsRoutes(services, admin));
        await api.register(adminTaxonomyRoutes(services, options.mapper));
        await api.register(adminWebhooksRoutes(services));
        await api.register(adminWireRoutes(services));
        await api.register(adminMediaRoutes(services, options.mapper, { maxUploadBytes: options.maxUploadBytes, guard: (c) => requireCapability(c) }));
        await api.register(adminFrontsRoutes(services));
        await api.register(adminLiveRoutes(services, options.baseUrl));
      },
      { prefix: '/api/admin' },
    );

    // The public page as readers would see it, for any status (signed-in staff only).
    app.get(
      '/admin/preview/:id',
      { preHandler: requireCapability('articles.read'), schema: { params: Type.Object({ id: IdParam }) } },
      async (request, reply) => {
        const id = (request.params as { id: number }).id;
        const article = await services.repos.articles.findById(id);
        if (!article) throw new DomainError('ARTICLE_NOT_FOUND', text('articleNotFound', { id: String(id) }));
        const [snapshot, related] = await Promise.all([services.catalog.current(), services.repos.related.listVisible(id, services.clock())]);
        const chrome = { site: options.site, sections: snapshot.sections, contentTypes: snapshot.contentTypes };
        reply.header('x-robots-tag', 'noindex');
        return sendHtml(reply, renderDocument(<ArticlePage chrome={chrome} article={article} related={related} />), 'private, no-store');
      },
    );
  };
}
