import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Services } from '../../services/index.js';
import type { AdminMapper } from '../admin-mappers.js';
import { principalOf, requireCapability } from '../plugins/auth.js';
import { ApiKeySchema, AuditEntrySchema, CreateApiKeyBody, CreateUserBody, CursorQuery, IdParams, PatchUserBody, UserSchema } from '../schemas/admin.schemas.js';

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
        schema: { tags, summary: 'Invite a user (one-time link in inviteUrl)', body: CreateUserBody, response: { 201: Type.Object({ user: UserSchema, inviteUrl: Type.String() }) } },
      },
      async (request, reply) => {
        const { user, token } = await users.invite(principalOf(request), request.body);
        return reply.code(201).send({ user: mapper.user(user), inviteUrl: mapper.inviteUrl(token) });
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
        schema: { tags, summary: 'Who did what, newest first', querystring: CursorQuery, response: { 200: Type.Object({ items: Type.Array(AuditEntrySchema), nextCursor: Type.Union([Type.String(), Type.Null()]) }) } },
      },
      async (request) => {
        const page = await services.newsroom.audit.list(request.query.limit ?? 50, request.query.cursor);
        return { items: page.items.map((e) => mapper.audit(e)), nextCursor: page.nextCursor };
      },
    );
  };
}
