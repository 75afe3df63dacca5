import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { API_KEY_SCOPES } from '../../domain/roles.js';
import { ApiKeySchema, AuditEntrySchema, TagKindSchema, UserSchema } from './admin.schemas.js';
import { IdParam } from './common.schemas.js';

/**
 * Schemas of the newsroom screens' API (email, sections, tags, content types, API keys,
 * audit log). The admin app derives its types from these (`Static<typeof …>`), so a
 * field renamed here fails the app's type check.
 */
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

// ——— email ———

export const MailStatusSchema = Type.Object({ enabled: Type.Boolean({ description: 'Whether SMTP_URL is set: invitations and reset links are emailed' }) });
export const PasswordResetRequestBody = Type.Object({ email: Type.String({ minLength: 1, maxLength: 254 }) }, { additionalProperties: false });
export const PasswordResetRequestReply = Type.Object({ message: Type.String() });
export const PasswordResetCompleteBody = Type.Object(
  { token: Type.String({ minLength: 1, maxLength: 200 }), password: Type.String({ minLength: 1, maxLength: 1024, description: 'At least 10 characters' }) },
  { additionalProperties: false },
);
export const PasswordResetCompleteReply = Type.Object({ email: Type.String({ description: 'The account whose password changed: sign in with it' }) });
export const OwnerPasswordResetReply = Type.Object({
  emailed: Type.Boolean(),
  error: Nullable(Type.String({ description: 'Why the email was not sent (the link is then given instead)' })),
  resetUrl: Nullable(Type.String({ description: 'One-time link for the owner to pass on when it was not emailed' })),
});
export const InviteReply = Type.Object({
  user: UserSchema,
  inviteUrl: Type.String(),
  emailed: Type.Boolean({ description: 'The invitation went out by email' }),
  emailError: Nullable(Type.String()),
});

// ——— sections, tags, content types ———

export const AdminSectionSchema = Type.Object({
  id: Type.Integer(),
  slug: Type.String(),
  name: Type.String(),
  names: Type.Record(Type.String(), Type.String()),
  url: Type.String(),
  position: Type.Integer(),
});
export const AdminTagSchema = Type.Object({
  id: Type.Integer(),
  slug: Type.String(),
  name: Type.String(),
  kind: TagKindSchema,
  language: Type.String(),
  url: Type.String(),
  articleCount: Type.Integer({ description: 'Articles carrying the tag' }),
});
export const TagMergeBody = Type.Object({ into: IdParam }, { additionalProperties: false });
export const TagMergeReply = Type.Object({ tag: AdminTagSchema, moved: Type.Integer({ description: 'Articles that carried the merged tag' }) });
export const ContentTypeSchema = Type.Object({ id: Type.Integer(), name: Type.String(), label: Type.String() });

// ——— API keys, audit log ———

export const ApiKeyScopesReply = Type.Object({ items: Type.Array(Type.String(), { description: `Scopes a key may hold: ${API_KEY_SCOPES.join(', ')}` }) });
export const AuditQuery = Type.Object(
  {
    cursor: Type.Optional(Type.String({ maxLength: 64 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    userId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647, description: 'Only what this person did' })),
    action: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'An action such as article.publish, or a family such as article.*' })),
    from: Type.Optional(Type.String({ maxLength: 40, description: 'ISO 8601 date or time: entries at or after it' })),
    to: Type.Optional(Type.String({ maxLength: 40, description: 'ISO 8601 time (entries before it) or date (entries up to the end of that day, UTC)' })),
  },
  { additionalProperties: false },
);
export const AuditPageSchema = Type.Object({ items: Type.Array(AuditEntrySchema), nextCursor: Nullable(Type.String()) });
export const AuditActionsReply = Type.Object({ items: Type.Array(Type.String()) });

export type MailStatus = Static<typeof MailStatusSchema>;
export type InviteResult = Static<typeof InviteReply>;
export type OwnerPasswordReset = Static<typeof OwnerPasswordResetReply>;
export type AdminSection = Static<typeof AdminSectionSchema>;
export type AdminTag = Static<typeof AdminTagSchema>;
export type TagMergeResult = Static<typeof TagMergeReply>;
export type ContentTypeDto = Static<typeof ContentTypeSchema>;
export type ApiKeyDto = Static<typeof ApiKeySchema>;
export type AuditEntryDto = Static<typeof AuditEntrySchema>;
export type AuditPage = Static<typeof AuditPageSchema>;
