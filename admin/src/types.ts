/**
 * Shapes of the admin API, derived from the server's TypeBox schemas
 * (src/http/schemas/admin-contract.ts): one contract, so a field renamed on the server
 * fails this app's type check. Import API types from here.
 */
import type { AdminMedia, AdminRelatedLink, MediaInfo } from '../../src/http/schemas/admin-contract.js';

export type {
  AdminArticle,
  AdminFront,
  FrontBlockRequest,
  FrontBlockView,
  FrontList,
  FrontPlacement,
  FrontRevision,
  RestoredFront,
  SaveFrontRequest,
  AdminArticleSummary,
  ArticleContent,
  ArticleFields,
  ArticleMerge,
  ArticleStatus,
  ArticleTag,
  ContentType,
  Correction,
  MediaInfo,
  MergeProposal,
  Page,
  PublishCheck,
  PublishChecks,
  Rendition,
  RevisionComparison,
  RevisionDiff,
  RevisionSummary,
  Role,
  SessionInfo,
  TagKind,
  TransitionAction,
  User,
} from '../../src/http/schemas/admin-contract.js';
export type { AdminMedia };

/** A media library item; lead media inside an article carries the `MediaInfo` part only. */
export type Media = AdminMedia;

/** A related story as the editor holds it (sort and status once the server has it). */
export type RelatedLink = Pick<AdminRelatedLink, 'id' | 'headline' | 'pinned'> & Partial<Pick<AdminRelatedLink, 'sort' | 'status'>>;

/** A section as GET /api/admin/sections lists it (the content API shape plus its position). */
export type Section = import('../../src/http/schemas/admin-contract.js').Section & { position?: number };

/** Shared by screens that only show a picture (lead media, pickers). */
export type AnyMedia = MediaInfo | AdminMedia;

export type { BreakingItem, BreakingOverview, LiveBlog, LiveBlogList, LiveEntry, LiveEntryBody, LiveEntryPatch } from '../../src/http/schemas/admin-contract.js';
