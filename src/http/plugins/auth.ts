import '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify';
import { ROUTE_GUARD } from '../route-table.js';
import { DomainError } from '../../domain/errors.js';
import { text, type TermKey } from '../../site/i18n.js';
import { hasCapability, type Capability, type Principal } from '../../domain/roles.js';
import { safeEqual, type ActiveSession, type AuthService, type SessionInfo } from '../../services/auth.service.js';

export const SESSION_COOKIE = 'dateline_session';
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is acting: from the session cookie or a Bearer API key; null when anonymous. */
    principal: Principal | null;
    /** The browser session, when the request came with a valid cookie. */
    session: ActiveSession | null;
  }
  interface FastifyContextConfig {
    /** false on the routes that start a session (login, setup, invitation): they act with no session's authority. */
    csrf?: boolean;
  }
}

/**
 * Resolves the principal of every request in the scope: `Authorization: Bearer <key>`
 * (no CSRF: browsers never send it on their own), else the session cookie, whose
 * state-changing requests must echo the session's CSRF token in `x-csrf-token`.
 * Needs @fastify/cookie registered in the same scope.
 */
export function registerAuth(app: FastifyInstance, auth: AuthService): void {
  app.decorateRequest('principal', null);
  app.decorateRequest('session', null);
  app.addHook('onRequest', async (request) => {
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
      const principal = m ? await auth.resolveApiKey(m[1]!) : null;
      if (!principal) throw new DomainError('UNAUTHENTICATED', text('apiKeyUnknown'));
      request.principal = principal;
      return;
    }
    const token = request.cookies[SESSION_COOKIE];
    if (!token) return;
    const session = await auth.resolveSession(token);
    if (!session) return;
    if (UNSAFE_METHODS.has(request.method) && request.routeOptions.config?.csrf !== false) {
      const sent = request.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !safeEqual(sent, session.csrfToken)) {
        throw new DomainError('CSRF_FAILED', text('csrfMissing'));
      }
    }
    request.session = session;
    request.principal = session.principal;
  });
}

/** The acting principal, or 401. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new DomainError('UNAUTHENTICATED', text('signInFirst'));
  return request.principal;
}

export const requireAuth: preHandlerHookHandler = Object.assign(
  async (request: FastifyRequest) => {
    principalOf(request);
  },
  { [ROUTE_GUARD]: [] as string[] },
);

/**
 * preHandler: 401 without a principal, 403 when the role (or key scope) holds none of
 * the capabilities. Ownership (`own` grants) is then checked by the service.
 */
export function requireCapability(...capabilities: Capability[]): preHandlerHookHandler {
  const guard = async (request: FastifyRequest) => {
    const principal = principalOf(request);
    if (!capabilities.some((c) => hasCapability(principal, c))) {
      const needs = capabilities.join(' or ');
      throw new DomainError('FORBIDDEN', principal.role ? text('roleMayNot', { role: { term: `role.${principal.role}` as TermKey }, capabilities: needs }) : text('keyMayNot', { capabilities: needs }));
    }
  };
  // Listed in the route table, so a test can hold every state-changing route to a guard.
  return Object.assign(guard, { [ROUTE_GUARD]: capabilities as string[] });
}

/** Sets the session cookie: HttpOnly, SameSite=Lax, Secure when the request came over HTTPS (per trustProxy). */
export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, session: SessionInfo): void {
  reply.setCookie(SESSION_COOKIE, session.token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: request.protocol === 'https',
    expires: new Date(session.expiresAt),
  });
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: request.protocol === 'https' });
}

export function clientOf(request: FastifyRequest): { ip: string; userAgent: string } {
  return { ip: request.ip, userAgent: String(request.headers['user-agent'] ?? '') };
}

/**
 * Log redaction (pino paths): credentials never reach a log line, whatever a
 * handler or serializer decides to log (headers, bodies, errors carrying either).
 */
export const LOG_REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'headers["x-csrf-token"]',
  'body.password',
  'body.token',
  'password',
  'secret',
  'token',
  'csrfToken',
  '*.password',
  '*.secret',
  '*.token',
  '*.csrfToken',
];
