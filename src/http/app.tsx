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
import { DEFAULT_BODY_TIMEOUTS, registerBodyTimeouts } from './plugins/body-timeouts.js';
import { registerConnectionPinning } from './plugins/connection-pinning.js';
import { registerReadRouting } from './plugins/read-routing.js';
import { problemClientErrorHandler, registerHttpServerEdges } from './plugins/input-errors.js';
import { registerInputHygiene } from './plugins/input-hygiene.js';
import { registerRateLimits } from './plugins/rate-limit.js';
import { MAX_JSON_BODY_BYTES } from '../domain/limits.js';
import { recordRouteTable } from './route-table.js';
import { newsroomHttp } from './routes/admin-api.routes.js';
import { adminAppRoutes } from './routes/admin-app.routes.js';
import { contentApiRoutes } from './routes/content-api.routes.js';
import { distributionRoutes } from './routes/distribution.routes.js';
import { distributionSettings } from '../services/distribution/distribution-settings.js';
import { legacyRoutes } from './routes/legacy.routes.js';
import { mediaRoutes } from './routes/media.routes.js';
import { ninjsRoutes } from './routes/ninjs.routes.js';
import { searchApiRoutes, searchPageRoutes } from './routes/search.routes.js';
import { languagePageRoutes, loadStylesheet, siteRoutes } from './routes/site.routes.js';
import { ProblemSchema } from './schemas/common.schemas.js';
import { PageCacheLayer } from './page-cache-http.js';
import { opsRoutes } from './routes/ops.routes.js';
import { createMetrics } from './metrics.js';
import { SHARED_SCHEMAS } from './schemas/content.schemas.js';
import { publicFrontsRoutes } from './routes/fronts.routes.js';
import { pushRoutes } from './routes/push.routes.js';
import { liveRoutes, loadLiveScript } from './routes/live.routes.js';
import { LazySchemas } from './lazy-schemas.js';

export type AppConfig = Pick<
  Config,
  'siteName' | 'baseUrl' | 'timeZone' | 'datelineFormat' | 'languages' | 'logLevel' | 'requestLog' | 'dataDir'
> &
  Partial<Pick<Config, 'trustProxy' | 'mediaMaxUploadMb' | 'languageHosts'>> &
  Partial<Pick<Config, 'siteDescription' | 'feedContent' | 'feedItems' | 'robotsDisallow' | 'metricsToken' | 'bodyIdleTimeoutSeconds' | 'bodyTimeoutSeconds'>>;

/** Builds the whole HTTP application (not listening). */
export async function buildApp(config: AppConfig, services: Services, options: { logger?: FastifyServerOptions['logger'] } = {}): Promise<FastifyInstance> {
  // Router errors (overlong or malformed paths) happen before the error handler exists.
  let respondToError: ErrorResponder | null = null;
  // The page cache answers hits from the raw server, before Fastify routes anything.
  const pageCache = services.pageCaching.cache;
  const windows = services.pageCaching.windows;
  const pageCacheLayer = pageCache
    ? new PageCacheLayer(pageCache, { ttlSeconds: windows.ttl, staleWhileRevalidateSeconds: windows.swr, staleIfErrorSeconds: windows.sie, keyByHost: Object.keys(config.languageHosts ?? {}).length > 0 })
    : null;
  // Route schemas compile on each route's first request, not at start-up (lazy-schemas.ts).
  const schemas = new LazySchemas();
  const app = Fastify({
    ...(pageCacheLayer ? { serverFactory: pageCacheLayer.serverFactory } : {}),
    frameworkErrors: (err, request, reply) => void respondToError?.(err, request, reply as FastifyReply),
    logger: options.logger ?? { level: config.logLevel, redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' } },
    // X-Forwarded-* (client address, https) are honoured only behind a configured proxy.
    trustProxy: config.trustProxy ?? false,
    logController: new LogController({ disableRequestLogging: !config.requestLog }),
    routerOptions: { maxParamLength: 1024, ignoreTrailingSlash: true },
    // Unknown query parameters of the API are errors, not silently dropped.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
    schemaController: { compilersFactory: schemas.factories },
    return503OnClosing: true,
    // One set of limits (domain/limits.ts): the largest valid article fits; parser errors answer problem+json.
    bodyLimit: MAX_JSON_BODY_BYTES,
    clientErrorHandler: problemClientErrorHandler,
  }).withTypeProvider<TypeBoxTypeProvider>();

  recordRouteTable(app);
  app.decorate('lazySchemas', schemas);
  const stylesheet = loadStylesheet();
  const liveScript = loadLiveScript();
  const site = new SiteContext(config, stylesheet.href, liveScript.href, services.push.enabled ? services.push.publicKey() : null);
  const mapper = new ApiMapper(config.baseUrl);

  registerHttpServerEdges(app);
  registerSecurityHeaders(app);
  registerHttpCaching(app);
  registerInputHygiene(app);
  registerBodyTimeouts(app, {
    idleMs: (config.bodyIdleTimeoutSeconds ?? DEFAULT_BODY_TIMEOUTS.idleMs / 1000) * 1000,
    totalMs: (config.bodyTimeoutSeconds ?? DEFAULT_BODY_TIMEOUTS.totalMs / 1000) * 1000,
  });
  pageCacheLayer?.register(app);
  registerRateLimits(app, services.limits);
  registerConnectionPinning(app, services.pinning);
  registerReadRouting(app, services.routing);
  const metrics = createMetrics(app, services);
  respondToError = registerErrorHandling(app, async (status, request) => {
    const [snapshot, live] = await Promise.all([services.catalog.current().catch(() => null), services.live.service.pageState().catch(() => undefined)]);
    return renderDocument(
      <ErrorPage chrome={{ site, sections: snapshot?.sections ?? [], contentTypes: snapshot?.contentTypes ?? [], live }} status={status} language={site.urls.languageOfRequest(request.headers.host, request.url)} />,
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
        { name: 'ninjs', description: 'IPTC ninjs 2.1 (/api/ninjs/v2) and 3.0 (/api/ninjs/v3) for partners' },
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
  // The default language (and languages with a host of their own) at `/`, the others under `/{language}`.
  await app.register(languagePageRoutes(services, site, null));
  await app.register(searchPageRoutes(services, site));
  for (const language of site.urls.prefixed) {
    await app.register(languagePageRoutes(services, site, language), { prefix: `/${language}` });
    await app.register(searchPageRoutes(services, site, language), { prefix: `/${language}` });
  }
  await app.register(searchApiRoutes(services, mapper), { prefix: '/api/v1' });
  await app.register(mediaRoutes(services.mediaStore));
  await app.register(distributionRoutes(services, site, distributionSettings(config)));
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
  await app.register(publicFrontsRoutes(services, mapper), { prefix: '/api/v1' });
  await app.register(ninjsRoutes(services), { prefix: '/api/ninjs' });
  await app.register(pushRoutes(services));
  await app.register(liveRoutes(services, { script: liveScript, languages: config.languages, baseUrl: config.baseUrl, siteName: config.siteName }));
  await app.register(opsRoutes(services, metrics, { metricsToken: config.metricsToken ?? '' }));
  registerImportRedirects(app, services);
  return app;
}
