/**
 * Types of the newsroom screens' API, derived on the server from its TypeBox schemas
 * (`Static<typeof …>`): a field renamed there fails this app's type check.
 */
export type {
  AdminSection,
  AdminTag,
  ApiKeyDto,
  AuditEntryDto,
  AuditPage,
  ContentTypeDto,
  InviteResult,
  MailStatus,
  OwnerPasswordReset,
  TagMergeResult,
} from '../../src/http/schemas/newsroom-screens.schemas.js';

import type { Media } from './types.js';

/** Processing state of a media item's renditions (the media table's `state`). */
export type MediaProcessingState = 'none' | 'processing' | 'ready' | 'failed';

/** A library item as GET /api/admin/media lists it: with the uploaded file's name and its processing state. */
export type LibraryMedia = Media & { originalName?: string; state?: MediaProcessingState };
