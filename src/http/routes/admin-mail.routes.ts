import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../services/index.js';
import { principalOf, requireCapability } from '../plugins/auth.js';
import { IdParams } from '../schemas/admin.schemas.js';
import {
  MailStatusSchema,
  OwnerPasswordResetReply,
  PasswordResetCompleteBody,
  PasswordResetCompleteReply,
  PasswordResetRequestBody,
  PasswordResetRequestReply,
} from '../schemas/newsroom-screens.schemas.js';

const tags = ['admin'];

/** Email: whether it is on, "forgot password" links, and owners resetting a colleague's password. */
export function adminMailRoutes(services: Services): FastifyPluginAsyncTypebox {
  const mail = services.mail;
  return async (app) => {
    app.get('/mail', { schema: { tags, summary: 'Whether the newsroom sends email (SMTP_URL is set)', response: { 200: MailStatusSchema } } }, async () => ({ enabled: mail.enabled }));

    app.post(
      '/password-resets',
      {
        config: { csrf: false, rateLimit: 'auth' },
        schema: {
          tags,
          summary: 'Email a one-time password reset link (same answer whether or not the address has an account; 409 MAIL_NOT_CONFIGURED without SMTP)',
          body: PasswordResetRequestBody,
          response: { 202: PasswordResetRequestReply },
        },
      },
      async (request, reply) => {
        await mail.requestPasswordReset(request.body.email);
        const minutes = Math.round(mail.policy.resetTokenMs / 60_000);
        return reply.code(202).send({
          message: `If ${request.body.email.trim()} belongs to an account, a link to choose a new password is on its way. It works once, for ${minutes} minutes.`,
        });
      },
    );

    app.post(
      '/password-resets/complete',
      {
        config: { csrf: false, rateLimit: 'auth' },
        schema: { tags, summary: 'Set a new password with a reset link (ends every session of the account)', body: PasswordResetCompleteBody, response: { 200: PasswordResetCompleteReply } },
      },
      async (request) => mail.completePasswordReset(request.body.token, request.body.password),
    );

    app.post(
      '/users/:id/password-reset',
      {
        preHandler: requireCapability('users.manage'),
        schema: { tags, summary: "Reset someone's password: emailed to them, or a link for the owner when email is off", params: IdParams, response: { 200: OwnerPasswordResetReply } },
      },
      async (request) => mail.ownerPasswordReset(principalOf(request), request.params.id),
    );
  };
}
