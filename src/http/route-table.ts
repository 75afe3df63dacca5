import type { FastifyInstance, FastifySchema, RouteOptions } from 'fastify';

/** One registered route, as the fuzz and audit-coverage tests (and docs) enumerate them. */
export interface RouteEntry {
  method: string;
  url: string;
  schema: FastifySchema | undefined;
  /** Route config, e.g. `audit: 'exempt: …'` (see `AuditExemption`). */
  config: Record<string, unknown>;
  /**
   * What the route's preHandler guard demands: the capabilities (any one suffices), `[]`
   * for "signed in, any role", null when no guard is attached (public, or checked inside).
   */
  guard: string[] | null;
}

/** Guards (`requireCapability`, `requireAuth`) carry what they demand under this key, so the route table can list it. */
export const ROUTE_GUARD = Symbol.for('dateline.routeGuard');

function guardOf(route: RouteOptions): string[] | null {
  const handlers = route.preHandler === undefined ? [] : Array.isArray(route.preHandler) ? route.preHandler : [route.preHandler];
  for (const handler of handlers) {
    const demanded = (handler as unknown as { [ROUTE_GUARD]?: string[] })[ROUTE_GUARD];
    if (demanded) return demanded;
  }
  return null;
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
      table.push({ method: String(method).toUpperCase(), url: route.url, schema: route.schema, config: (route.config ?? {}) as Record<string, unknown>, guard: guardOf(route) });
    }
  });
}
