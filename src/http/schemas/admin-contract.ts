import type { Static } from '@sinclair/typebox';
import type {
  AdminArticleSchema,
  AdminArticleSummarySchema,
  AdminMediaSchema,
  AdminRelatedLinkSchema,
  ArticleContentSchema,
  ArticleMergeSchema,
  ArticleTag as ArticleTagSchema,
  DiffSchema,
  MergeProposalSchema,
  PublishCheckSchema,
  PublishChecksSchema,
  RevisionComparisonSchema,
  RevisionSummarySchema,
  RoleSchema,
  SaveArticleBody,
  SessionSchema,
  StatusSchema,
  TagKindSchema,
  TransitionBody,
  UserSchema,
} from './admin.schemas.js';
import type { ContentTypeSchema, MediaSchema, SectionSchema } from './content.schemas.js';
import type {
  AdminFrontSchema,
  BlockBody,
  FrontBlockSchema,
  FrontListSchema,
  FrontRevisionSchema,
  PlacementSchema,
  RestoredFrontSchema,
  SaveFrontBody,
} from './front.schemas.js';

/**
 * The one contract between the admin API and the newsroom app: every type here is
 * derived from the server's TypeBox schemas, and both the server (AdminMapper) and
 * the app (admin/src/types.ts) import them, so renaming a field on the server fails
 * the app's type check. Type-only: nothing of the server is bundled into the app.
 */

export type Role = Static<typeof RoleSchema>;
export type ArticleStatus = Static<typeof StatusSchema>;
export type TagKind = Static<typeof TagKindSchema>;
export type User = Static<typeof UserSchema>;
export type SessionInfo = Static<typeof SessionSchema>;

/** A media item as articles show it (lead media). */
export type MediaInfo = Static<typeof MediaSchema>;
export type Rendition = MediaInfo['renditions'][number];
/** A media library item (upload, list, details). */
export type AdminMedia = Static<typeof AdminMediaSchema>;

export type ArticleTag = Static<typeof ArticleTagSchema>;
export type AdminRelatedLink = Static<typeof AdminRelatedLinkSchema>;
export type AdminArticleSummary = Static<typeof AdminArticleSummarySchema>;
export type AdminArticle = Static<typeof AdminArticleSchema>;
export type Correction = AdminArticle['corrections'][number];

/** The editable part of an article: what POST, PUT and autosave send (all fields). */
export type ArticleFields = Required<Omit<Static<typeof SaveArticleBody>, 'baseRevision'>>;
export type SaveArticleRequest = Static<typeof SaveArticleBody>;
export type TransitionAction = Static<typeof TransitionBody>['action'];

export type Section = Static<typeof SectionSchema>;
export type ContentType = Static<typeof ContentTypeSchema>;

export type RevisionSummary = Static<typeof RevisionSummarySchema>;
export type RevisionDiff = Static<typeof DiffSchema>;
export type RevisionComparison = Static<typeof RevisionComparisonSchema>;

export type ArticleContent = Static<typeof ArticleContentSchema>;
export type ArticleMerge = Static<typeof ArticleMergeSchema>;
export type MergeProposal = Static<typeof MergeProposalSchema>;
export type PublishCheck = Static<typeof PublishCheckSchema>;
export type PublishChecks = Static<typeof PublishChecksSchema>;

/** A page of a cursor-paged list. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Fronts: what the Fronts screen reads and sends. */
export type AdminFront = Static<typeof AdminFrontSchema>;
export type FrontPlacement = Static<typeof PlacementSchema>;
export type FrontBlockView = Static<typeof FrontBlockSchema>;
export type FrontList = Static<typeof FrontListSchema>;
export type FrontRevision = Static<typeof FrontRevisionSchema>;
export type RestoredFront = Static<typeof RestoredFrontSchema>;
export type SaveFrontRequest = Static<typeof SaveFrontBody>;
export type FrontBlockRequest = Static<typeof BlockBody>;
/** Breaking banners and live blogs (the live desk). */
export type {
  BreakingItemDto as BreakingItem,
  BreakingOverviewDto as BreakingOverview,
  LiveBlogDto as LiveBlog,
  LiveBlogListDto as LiveBlogList,
  LiveEntryDto as LiveEntry,
  BreakingBodyDto as BreakingBody,
  EntryBodyDto as LiveEntryBody,
  EntryPatchBodyDto as LiveEntryPatch,
} from './live.schemas.js';
/** An article's versions in other languages ("Translate into…"). */
export type { TranslationsDto as Translations } from './translations.schemas.js';
