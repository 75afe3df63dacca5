import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Services } from '../../services/index.js';
import type { AdminMapper } from '../admin-mappers.js';
import { principalOf, requireCapability } from '../plugins/auth.js';
import { DomainError } from '../../domain/errors.js';
import { text } from '../../site/i18n.js';
import { API_KEY_SCOPES } from '../../domain/roles.js';
import { ApiKeySchema, CreateApiKeyBody, CreateUserBody, IdParams, PatchUserBody, UserSchema } from '../schemas/admin.schemas.js';
import { ApiKeyScopesReply, AuditActionsReply, AuditPageSchema, AuditQuery, InviteReply } from '../schemas/newsroom-screens.schemas.js';

const DAY = 24 * 60 * 60 * 1000;

/** An audit filter bound: an ISO time, or a date (its start for `from`, the end of that day for `to`). */
function auditBound(name: 'from' | 'to', raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(raw);
  const ms = /^\d{4}-\d{2}-\d{2}/.test(raw) ? Date.parse(raw) : Number.NaN;
  if (Number.isNaN(ms)) throw new DomainError('VALIDATION_FAILED', text('dateOrTime', { name, value: raw }));
  return dateOnly && name === 'to' ? ms + DAY : ms;
}

const tags = ['admin'];

/** Accounts, API keys and the audit log. */
export function adminUsersRoutes(services: Services, mapper: AdminMapper): FastifyPluginAsyncTypebox {
  const users = services.newsroom.users;
  return async (app) => {
    app.get('/users', { preHandler: requireCapability('users.read'), schema: { tags, summary: 'All accounts', response: { 200: Type.Object({ items: Type.Array(UserSchema) }) } } }, async () => ({
      items: (await users.list()).map((u) => mapper.user(u)),
    }));

    app.post(
      '/users',
      {
        preHandler: requireCapability('users.manage'),
        schema: { tags, summary: 'Invite a user (one-time link in inviteUrl; emailed to them when SMTP_URL is set)', body: CreateUserBody, response: { 201: InviteReply } },
      },
      async (request, reply) => {
        const actor = principalOf(request);
        const { user, token } = await users.invite(actor, request.body);
        const inviteUrl = mapper.inviteUrl(token);
        const delivery = await services.mail.sendInvitation(user, inviteUrl, actor);
        return reply.code(201).send({ user: mapper.user(user), inviteUrl, emailed: delivery.emailed, emailError: delivery.error });
      },
    );

    app.patch(
      '/users/:id',
      { preHandler: requireCapability('users.manage'), schema: { tags, summary: 'Rename, change role, disable (revokes sessions) or enable', params: IdParams, body: PatchUserBody, response: { 200: UserSchema } } },
      async (request) => mapper.user(await users.update(principalOf(request), request.params.id, request.body)),
    );

    app.get('/api-keys', { preHandler: requireCapability('apiKeys.manage'), schema: { tags, summary: 'Integration API keys', response: { 200: Type.Object({ items: Type.Array(ApiKeySchema) }) } } }, async () => ({
      items: (await users.listApiKeys()).map((k) => mapper.apiKey(k)),
    }));

    app.get('/api-keys/scopes', { preHandler: requireCapability('apiKeys.manage'), schema: { tags, summary: 'Scopes a key may hold', response: { 200: ApiKeyScopesReply } } }, async () => ({
      items: [...API_KEY_SCOPES],
    }));

    app.post(
      '/api-keys',
      {
        preHandler: requireCapability('apiKeys.manage'),
        schema: { tags, summary: 'Create a key; the secret is shown once', body: CreateApiKeyBody, response: { 201: Type.Object({ apiKey: ApiKeySchema, secret: Type.String() }) } },
      },
      async (request, reply) => {
        const { apiKey, secret } = await users.createApiKey(principalOf(request), request.body);
        return reply.code(201).send({ apiKey: mapper.apiKey(apiKey), secret });
      },
    );

    app.delete('/api-keys/:id', { preHandler: requireCapability('apiKeys.manage'), schema: { tags, summary: 'Revoke a key', params: IdParams } }, async (request, reply) => {
      await users.revokeApiKey(principalOf(request), request.params.id);
      return reply.code(204).send();
    });

    app.get(
      '/audit',
      {
        preHandler: requireCapability('audit.read'),
        schema: { tags, summary: 'Who did what, newest first; filter by person, action (article.* for a family) and time', querystring: AuditQuery, response: { 200: AuditPageSchema } },
      },
      async (request) => {
        const q = request.query;
        const filter = { userId: q.userId, action: q.action, from: auditBound('from', q.from), to: auditBound('to', q.to) };
        const page = await services.newsroom.audit.list(q.limit ?? 50, q.cursor, filter);
        return { items: page.items.map((e) => mapper.audit(e)), nextCursor: page.nextCursor };
      },
    );

    app.get('/audit/actions', { preHandler: requireCapability('audit.read'), schema: { tags, summary: 'Action names in the audit log', response: { 200: AuditActionsReply } } }, async () => ({
      items: await services.newsroom.audit.actions(),
    }));
  };
}
