import type { FastifyInstance, FastifySchema, RouteOptions } from 'fastify';

/** One registered route, as the fuzz and audit-coverage tests (and docs) enumerate them. */
export interface RouteEntry {
  method: string;
  url: string;
  schema: FastifySchema | undefined;
  /** Route config, e.g. `audit: 'exempt: …'` (see `AuditExemption`). */
  config: Record<string, unknown>;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered after `recordRouteTable` ran, in registration order. */
    routeTable: RouteEntry[];
  }
}

/**
 * Records every route as it is added (Fastify's onRoute hook), so tests can cover
 * routes added later by anyone without a list to keep up to date. Call first in buildApp.
 */
export function recordRouteTable(app: FastifyInstance): void {
  const table: RouteEntry[] = [];
  app.decorate('routeTable', table);
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      table.push({ method: String(method).toUpperCase(), url: route.url, schema: route.schema, config: (route.config ?? {}) as Record<string, unknown> });
    }
  });
}
