import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Services } from '../../services/index.js';
import type { AdminMapper } from '../admin-mappers.js';
import { DomainError } from '../../domain/errors.js';
import { text } from '../../site/i18n.js';
import { clearSessionCookie, clientOf, setSessionCookie } from '../plugins/auth.js';
import { AcceptInvitationBody, LoginBody, SessionSchema, SetupBody } from '../schemas/admin.schemas.js';

const tags = ['admin'];

/** First-run setup, sign-in and sign-out, invitations. */
export function adminAuthRoutes(services: Services, mapper: AdminMapper): FastifyPluginAsyncTypebox {
  const auth = services.newsroom.auth;
  return async (app) => {
    app.get('/setup', { schema: { tags, summary: 'Whether first-run setup is needed (no user exists)', response: { 200: Type.Object({ needed: Type.Boolean() }) } } }, async () => ({
      needed: await auth.setupNeeded(),
    }));

    app.post(
      '/setup',
      { config: { csrf: false, rateLimit: 'auth' }, schema: { tags, summary: 'Create the first owner with the one-time setup token', body: SetupBody, response: { 201: SessionSchema } } },
      async (request, reply) => {
        const session = await auth.completeSetup(request.body, clientOf(request));
        setSessionCookie(request, reply, session);
        return reply.code(201).send(mapper.session(session));
      },
    );

    app.post(
      '/session',
      { config: { csrf: false, rateLimit: 'auth' }, schema: { tags, summary: 'Sign in (429 LOGIN_LOCKED after repeated failures)', body: LoginBody, response: { 200: SessionSchema } } },
      async (request, reply) => {
        const session = await auth.login(request.body.email, request.body.password, clientOf(request));
        setSessionCookie(request, reply, session);
        return mapper.session(session);
      },
    );

    app.get('/session', { schema: { tags, summary: 'The signed-in user and CSRF token', response: { 200: SessionSchema } } }, async (request) => {
      if (!request.session) throw new DomainError('UNAUTHENTICATED', text('signInFirst'));
      return mapper.session(request.session);
    });

    app.delete('/session', { schema: { tags, summary: 'Sign out' } }, async (request, reply) => {
      if (request.session) await auth.logout(request.session);
      clearSessionCookie(request, reply);
      return reply.code(204).send();
    });

    app.post(
      '/invitations/accept',
      { config: { csrf: false, rateLimit: 'auth' }, schema: { tags, summary: 'Set a password with an invitation token and sign in', body: AcceptInvitationBody, response: { 200: SessionSchema } } },
      async (request, reply) => {
        const session = await auth.acceptInvitation(request.body, clientOf(request));
        setSessionCookie(request, reply, session);
        return mapper.session(session);
      },
    );
  };
}
