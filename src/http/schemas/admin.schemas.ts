import { Type, type TSchema } from '@sinclair/typebox';
import { CAPABILITIES } from '../../domain/roles.js';
import { TRANSITION_ACTIONS } from '../../domain/workflow.js';
import { TEXT_LIMITS } from '../../domain/limits.js';
import { Id, IdParam, PositiveInt } from './common.schemas.js';
import { MediaSchema } from './content.schemas.js';

/** Request and response schemas of the admin API (docs/admin-api.md). */
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Iso = Type.String({ format: 'date-time' });
const Lit = <const T extends readonly string[]>(values: T) => Type.Unsafe<T[number]>(Type.Union(values.map((v) => Type.Literal(v))));

export const RoleSchema = Lit(['owner', 'editor', 'author', 'contributor'] as const);
export const StatusSchema = Lit(['draft', 'submitted', 'scheduled', 'published', 'unpublished', 'killed'] as const);
export const TagKindSchema = Lit(['topic', 'person', 'organisation', 'place'] as const);

export const IdParams = Type.Object({ id: IdParam }, { additionalProperties: false });
export const RevisionParams = Type.Object({ id: IdParam, n: Type.Integer({ minimum: 1, maximum: 2147483647 }) }, { additionalProperties: false });

export const UserSchema = Type.Object({
  id: Type.Integer(),
  email: Type.String(),
  name: Type.String(),
  role: RoleSchema,
  disabled: Type.Boolean(),
  createdAt: Iso,
  lastLoginAt: Nullable(Iso),
});
export const SessionSchema = Type.Object({ user: UserSchema, csrfToken: Type.String() });

const Password = Type.String({ minLength: 1, maxLength: 1024, description: 'At least 10 characters' });
const Email = Type.String({ minLength: 3, maxLength: 254 });
const Name = Type.String({ minLength: 1, maxLength: 200 });

export const SetupBody = Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }), email: Email, name: Name, password: Password }, { additionalProperties: false });
export const LoginBody = Type.Object({ email: Type.String({ maxLength: 254 }), password: Type.String({ maxLength: 1024 }) }, { additionalProperties: false });
export const AcceptInvitationBody = Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }), password: Password }, { additionalProperties: false });
export const CreateUserBody = Type.Object({ email: Email, name: Name, role: RoleSchema }, { additionalProperties: false });
export const PatchUserBody = Type.Object(
  { name: Type.Optional(Name), role: Type.Optional(RoleSchema), disabled: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);

export const ApiKeySchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  prefix: Type.String({ description: 'First characters of the secret' }),
  scopes: Type.Array(Type.String()),
  createdBy: Nullable(Type.Integer()),
  createdAt: Iso,
  lastUsedAt: Nullable(Iso),
  revokedAt: Nullable(Iso),
});
export const CreateApiKeyBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 100 }), scopes: Type.Array(Lit(CAPABILITIES), { minItems: 1, maxItems: 50, description: 'Capabilities, e.g. articles.read, articles.publish' }) },
  { additionalProperties: false },
);

export const CursorQuery = Type.Object(
  { cursor: Type.Optional(Type.String({ maxLength: 64 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })) },
  { additionalProperties: false },
);
export const AuditEntrySchema = Type.Object({
  at: Iso,
  userId: Nullable(Type.Integer()),
  userName: Type.String(),
  action: Type.String(),
  subject: Type.String(),
  detail: Type.String(),
});

export const ArticleTag = Type.Object({ kind: TagKindSchema, name: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });
const RelatedInput = Type.Object({ id: IdParam, pinned: Type.Boolean() }, { additionalProperties: false });
const fieldProperties = {
  dek: Type.Optional(Type.String({ maxLength: TEXT_LIMITS.dek })),
  bodyHtml: Type.Optional(Type.String({ maxLength: TEXT_LIMITS.bodyHtml })),
  contentTypeId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })),
  language: Type.Optional(Type.String({ minLength: 2, maxLength: 35 })),
  byline: Type.Optional(Type.String({ maxLength: TEXT_LIMITS.byline })),
  source: Type.Optional(Type.String({ maxLength: TEXT_LIMITS.source })),
  place: Type.Optional(Type.String({ maxLength: TEXT_LIMITS.place })),
  leadMediaId: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 2147483647 }))),
  tags: Type.Optional(Type.Array(ArticleTag, { maxItems: 100 })),
  related: Type.Optional(Type.Array(RelatedInput, { maxItems: 100 })),
};
export const CreateArticleBody = Type.Object(
  { headline: Type.String({ minLength: 1, maxLength: TEXT_LIMITS.headline }), sectionId: IdParam, ...fieldProperties },
  { additionalProperties: false },
);
export const SaveArticleBody = Type.Object(
  {
    baseRevision: PositiveInt('The revision the edit started from; 409 if the article has moved on'),
    headline: Type.Optional(Type.String({ minLength: 1, maxLength: TEXT_LIMITS.headline })),
    sectionId: Type.Optional(IdParam),
    ...fieldProperties,
  },
  { additionalProperties: false },
);
export const TransitionBody = Type.Object(
  {
    action: Lit(TRANSITION_ACTIONS),
    at: Type.Optional(Type.String({ maxLength: 64, description: 'ISO time (schedule, embargo; empty lifts an embargo)' })),
    note: Type.Optional(Type.String({ maxLength: TEXT_LIMITS.note, description: 'Correction note (correct)' })),
  },
  { additionalProperties: false },
);
export const RestoreBody = Type.Object({ baseRevision: PositiveInt() }, { additionalProperties: false });
export const ArticleListQuery = Type.Object(
  {
    status: Type.Optional(StatusSchema),
    q: Type.Optional(Type.String({ maxLength: 200 })),
    section: Type.Optional(Id('Section id')),
    authorId: Type.Optional(Id('Author (user) id')),
    language: Type.Optional(Type.String({ maxLength: 35 })),
    cursor: Type.Optional(Type.String({ maxLength: 64 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 30 })),
  },
  { additionalProperties: false },
);
export const CompareQuery = Type.Object(
  { a: PositiveInt('One revision'), b: PositiveInt('The other revision') },
  { additionalProperties: false },
);
export const DiffQuery = Type.Object({ against: Type.Optional(PositiveInt('Revision to compare with')) }, { additionalProperties: false });

const summaryProperties = {
  id: Type.Integer(),
  status: StatusSchema,
  revision: Type.Integer(),
  language: Type.String(),
  direction: Lit(['ltr', 'rtl'] as const),
  slug: Type.String(),
  headline: Type.String(),
  dek: Type.String(),
  sectionId: Type.Integer(),
  contentTypeId: Type.Integer(),
  byline: Type.String(),
  source: Type.String(),
  place: Type.String(),
  leadMediaId: Nullable(Type.Integer()),
  leadMedia: Nullable(Type.Object({ ...MediaSchema.properties }, { description: 'Media' })),
  tags: Type.Array(Type.Object({ kind: TagKindSchema, name: Type.String() })),
  authorId: Nullable(Type.Integer()),
  authorName: Nullable(Type.String()),
  scheduledAt: Nullable(Iso),
  embargoUntil: Nullable(Iso),
  publishedAt: Nullable(Iso),
  firstPublishedAt: Nullable(Iso),
  updatedAt: Iso,
  publicUrl: Nullable(Type.String()),
  previewUrl: Type.String(),
};
export const AdminArticleSummarySchema = Type.Object(summaryProperties);
export const AdminRelatedLinkSchema = Type.Object({ id: Type.Integer(), headline: Type.String(), pinned: Type.Boolean(), sort: Type.Integer(), status: StatusSchema });
export const AdminArticleSchema = Type.Object({
  ...summaryProperties,
  bodyHtml: Type.String(),
  related: Type.Array(AdminRelatedLinkSchema),
  corrections: Type.Array(Type.Object({ at: Iso, note: Type.String() })),
});
export const RevisionSummarySchema = Type.Object({
  number: Type.Integer(),
  createdAt: Iso,
  userId: Nullable(Type.Integer()),
  userName: Type.String(),
  autosave: Type.Boolean(),
  action: Type.String({ description: 'create, save, autosave, restore or a workflow action' }),
  headline: Type.String(),
});
export const DiffSchema = Type.Object({
  fields: Type.Array(Type.Object({ field: Type.String(), before: Type.Unknown(), after: Type.Unknown() })),
  bodyDiff: Type.Array(Type.Object({ op: Lit(['equal', 'insert', 'delete'] as const), text: Type.String() })),
});

export const SectionBody = Type.Object(
  {
    slug: Type.String({ minLength: 1, maxLength: 100 }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    names: Type.Optional(Type.Record(Type.String({ maxLength: 35 }), Type.String({ maxLength: 200 }))),
    position: Type.Optional(Type.Integer({ minimum: -1000000, maximum: 1000000 })),
  },
  { additionalProperties: false },
);
export const SectionPatchBody = Type.Partial(SectionBody, { additionalProperties: false });
export const TagBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 200 }), kind: TagKindSchema, language: Type.Optional(Type.String({ minLength: 2, maxLength: 35 })) },
  { additionalProperties: false },
);
export const TagPatchBody = Type.Object({ name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), kind: Type.Optional(TagKindSchema) }, { additionalProperties: false });
export const TagQuery = Type.Object(
  {
    kind: Type.Optional(TagKindSchema),
    q: Type.Optional(Type.String({ maxLength: 200 })),
    cursor: Type.Optional(Type.String({ maxLength: 400 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 100 })),
  },
  { additionalProperties: false },
);
export const ContentTypeBody = Type.Object(
  { id: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })), name: Type.String({ minLength: 1, maxLength: 100 }), label: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
export const ContentTypePatchBody = Type.Object(
  { name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })), label: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) },
  { additionalProperties: false },
);

/** Article content as a revision stores it (and as the merge works on it). */
export const ArticleContentSchema = Type.Object({
  headline: Type.String(),
  dek: Type.String(),
  bodyHtml: Type.String(),
  sectionId: Type.Integer(),
  contentTypeId: Type.Integer(),
  language: Type.String(),
  byline: Type.String(),
  source: Type.String(),
  place: Type.String(),
  leadMediaId: Nullable(Type.Integer()),
  tags: Type.Array(Type.Object({ kind: TagKindSchema, name: Type.String() })),
  related: Type.Array(Type.Object({ id: Type.Integer(), pinned: Type.Boolean() })),
});
const MergedFieldSchema = Lit(['headline', 'dek', 'sectionId', 'contentTypeId', 'language', 'byline', 'source', 'place', 'leadMediaId', 'tags', 'pins'] as const);
export const ArticleMergeSchema = Type.Object({
  merged: ArticleContentSchema,
  conflicts: Type.Array(Type.Object({ field: MergedFieldSchema, base: Type.Unknown(), theirs: Type.Unknown(), mine: Type.Unknown() })),
  body: Type.Array(
    Type.Union([
      Type.Object({ ok: Type.String() }),
      Type.Object({ conflict: Type.Object({ base: Type.String(), theirs: Type.String(), mine: Type.String() }) }),
    ]),
    { description: 'The merged body in order: agreed HTML and conflicting stretches (base, theirs, mine)' },
  ),
  fromTheirs: Type.Array(Type.String()),
  fromMine: Type.Array(Type.String()),
});
export const MergeProposalSchema = Type.Object({
  revision: Type.Integer({ description: 'Save the merged version with this baseRevision' }),
  base: Nullable(Type.Object({ revision: Type.Integer(), content: ArticleContentSchema })),
  theirs: ArticleContentSchema,
  mine: ArticleContentSchema,
  merge: ArticleMergeSchema,
});
export const PublishCheckSchema = Type.Object({
  code: Type.String(),
  severity: Lit(['blocking', 'warning'] as const),
  field: Type.String(),
  message: Type.String(),
});
export const PublishChecksSchema = Type.Object({
  ready: Type.Boolean({ description: 'No blocking item is open' }),
  checks: Type.Array(PublishCheckSchema),
});
const DiffPartSchema = Type.Object({ op: Lit(['equal', 'insert', 'delete'] as const), text: Type.String() });
/** A revision comparison, always from the older revision to the newer one. */
export const RevisionComparisonSchema = Type.Object({
  from: Type.Integer({ description: 'The older revision' }),
  to: Type.Integer({ description: 'The newer revision' }),
  fields: Type.Array(
    Type.Object({
      field: Type.String(),
      label: Type.String(),
      before: Type.String({ description: 'Rendered text in the older revision' }),
      after: Type.String({ description: 'Rendered text in the newer revision' }),
      parts: Type.Array(DiffPartSchema, { description: 'Word-level changes from before to after' }),
    }),
  ),
});

/** A media library item as the admin API shows it (the public shape plus library facts). */
export const AdminMediaSchema = Type.Object({
  ...MediaSchema.properties,
  originalName: Type.String({ description: 'The uploaded file name' }),
  bytes: Type.Integer(),
  codecs: Type.String(),
  warnings: Type.Array(Type.String()),
  usedBy: Type.Integer({ description: 'How many articles show it' }),
  createdAt: Iso,
});
