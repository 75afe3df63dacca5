import type { FastifyInstance } from 'fastify';
import { DomainError } from '../../domain/errors.js';
import { text } from '../../site/i18n.js';

/** Longest request target we answer; longer ones get 414 before routing work. */
export const MAX_URL_LENGTH = 2048;

/**
 * Page CSP: the only script is the site's own live client (a static, content-hashed file:
 * no inline script, no eval); pages work without it.
 */
export const SITE_CSP = "default-src 'self'; script-src 'self'; connect-src 'self'; object-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'self'; font-src 'self'; frame-ancestors 'self'; base-uri 'self'; form-action 'self'";

export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'strict-origin-when-cross-origin');
    reply.header('x-frame-options', 'SAMEORIGIN');
    reply.header('x-request-id', String(request.id));
    if (request.url.length > MAX_URL_LENGTH) {
      throw new DomainError('URI_TOO_LONG', text('uriTooLong', { length: String(request.url.length), max: String(MAX_URL_LENGTH) }));
    }
  });
  // Every HTML answer (error pages included) gets a policy; routes that set their own keep it.
  app.addHook('onSend', async (_request, reply, payload) => {
    const type = String(reply.getHeader('content-type') ?? '');
    if (type.startsWith('text/html') && !reply.hasHeader('content-security-policy')) reply.header('content-security-policy', SITE_CSP);
    return payload;
  });
}
