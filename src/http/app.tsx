import fastifySwagger from '@fastify/swagger';
import { registerImportRedirects } from './routes/import-redirects.js';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify';
import type { Config } from '../config/config.js';
import type { Services } from '../services/index.js';
import { ErrorPage } from '../site/pages/error-page.js';
import { renderDocument } from '../site/render.js';
import { SiteContext } from '../site/site-context.js';
import { ApiMapper } from './mappers.js';
import { registerErrorHandling, type ErrorResponder } from './plugins/errors.js';
import { registerHttpCaching } from './plugins/http-caching.js';
import { LOG_REDACT_PATHS } from './plugins/auth.js';
import { registerSecurityHeaders } from './plugins/security-headers.js';
import { newsroomHttp } from './routes/admin-api.routes.js';
import { adminAppRoutes } from './routes/admin-app.routes.js';
import { contentApiRoutes } from './routes/content-api.routes.js';
import { legacyRoutes } from './routes/legacy.routes.js';
import { mediaRoutes } from './routes/media.routes.js';
import { searchApiRoutes, searchPageRoutes } from './routes/search.routes.js';
import { loadStylesheet, siteRoutes } from './routes/site.routes.js';
import { ProblemSchema } from './schemas/common.schemas.js';
import { SHARED_SCHEMAS } from './schemas/content.schemas.js';

export type AppConfig = Pick<
  Config,
  'siteName' | 'baseUrl' | 'timeZone' | 'datelineFormat' | 'languages' | 'logLevel' | 'requestLog' | 'dataDir'
> &
  Partial<Pick<Config, 'trustProxy' | 'mediaMaxUploadMb'>>;

/** Builds the whole HTTP application (not listening). */
export async function buildApp(config: AppConfig, services: Services, options: { logger?: FastifyServerOptions['logger'] } = {}): Promise<FastifyInstance> {
  // Router errors (overlong or malformed paths) happen before the error handler exists.
  let respondToError: ErrorResponder | null = null;
  const app = Fastify({
    frameworkErrors: (err, request, reply) => void respondToError?.(err, request, reply as FastifyReply),
    logger: options.logger ?? { level: config.logLevel, redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' } },
    // X-Forwarded-* (client address, https) are honoured only behind a configured proxy.
    trustProxy: config.trustProxy ?? false,
    logController: new LogController({ disableRequestLogging: !config.requestLog }),
    routerOptions: { maxParamLength: 1024, ignoreTrailingSlash: true },
    // Unknown query parameters of the API are errors, not silently dropped.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
    return503OnClosing: true,
  }).withTypeProvider<TypeBoxTypeProvider>();

  const stylesheet = loadStylesheet();
  const site = new SiteContext(config, stylesheet.href);
  const mapper = new ApiMapper(config.baseUrl);

  registerSecurityHeaders(app);
  registerHttpCaching(app);
  respondToError = registerErrorHandling(app, async (status) => {
    const snapshot = await services.catalog.current().catch(() => null);
    return renderDocument(
      <ErrorPage chrome={{ site, sections: snapshot?.sections ?? [], contentTypes: snapshot?.contentTypes ?? [] }} status={status} />,
    );
  });

  app.addSchema(ProblemSchema);
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: `${config.siteName} content API`, version: '1.0.0', description: 'Published articles, related lists, sections, tags and content types.' },
      servers: [{ url: config.baseUrl }],
      tags: [
        { name: 'content', description: 'Content API v1' },
        { name: 'legacy', description: 'Shapes kept for existing apps' },
        { name: 'admin', description: 'Newsroom admin API: session cookie + x-csrf-token header, or Authorization: Bearer <API key>' },
      ],
    },
    hideUntagged: true,
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  await app.register(contentApiRoutes(services, mapper), { prefix: '/api/v1' });
  await app.register(legacyRoutes(services, mapper), { prefix: '/api/legacy' });
  await app.register(siteRoutes(services, site, stylesheet));
  await app.register(searchApiRoutes(services, mapper), { prefix: '/api/v1' });
  await app.register(searchPageRoutes(services, site));
  await app.register(mediaRoutes(services.mediaStore));
  await app.register(
    newsroomHttp(services, {
      baseUrl: config.baseUrl,
      maxUploadBytes: (config.mediaMaxUploadMb ?? 500) * 1024 * 1024,
      mapper,
      site,
      respond: (err, request, reply) => respondToError!(err, request, reply),
    }),
  );
  await app.register(adminAppRoutes(), { prefix: '/admin' });
  registerImportRedirects(app, services);
  return app;
}
