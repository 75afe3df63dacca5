/**
 * The one catalog of domain errors. Services throw `DomainError`s; the HTTP error
 * handler maps each code to its status and a problem+json body (RFC 9457).
 */
export const ERRORS = {
  BAD_REQUEST: { status: 400, title: 'Bad request' },
  INVALID_ID: { status: 400, title: 'Invalid id' },
  INVALID_CURSOR: { status: 400, title: 'Invalid cursor' },
  INVALID_PRECONDITION: { status: 400, title: 'Invalid precondition header' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  ARTICLE_NOT_FOUND: { status: 404, title: 'Article not found' },
  SECTION_NOT_FOUND: { status: 404, title: 'Section not found' },
  TAG_NOT_FOUND: { status: 404, title: 'Tag not found' },
  MEDIA_NOT_FOUND: { status: 404, title: 'Media not found' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed' },
  CONFLICT: { status: 409, title: 'Conflict' },
  MEDIA_IN_USE: { status: 409, title: 'Media in use' },
  MEDIA_TOO_LARGE: { status: 413, title: 'Media too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type' },
  MEDIA_CORRUPT: { status: 422, title: 'Damaged media' },
  // Newsroom (accounts, workflow, revisions).
  UNAUTHENTICATED: { status: 401, title: 'Not signed in' },
  INVALID_CREDENTIALS: { status: 401, title: 'Wrong email or password' },
  FORBIDDEN: { status: 403, title: 'Forbidden' },
  CSRF_FAILED: { status: 403, title: 'Missing or wrong CSRF token' },
  INVALID_TOKEN: { status: 400, title: 'Invalid or expired link' },
  USER_NOT_FOUND: { status: 404, title: 'User not found' },
  API_KEY_NOT_FOUND: { status: 404, title: 'API key not found' },
  REVISION_NOT_FOUND: { status: 404, title: 'Revision not found' },
  CONTENT_TYPE_NOT_FOUND: { status: 404, title: 'Content type not found' },
  SETUP_DONE: { status: 409, title: 'Setup already done' },
  EMAIL_TAKEN: { status: 409, title: 'Email already in use' },
  SLUG_TAKEN: { status: 409, title: 'Slug or name already in use' },
  LAST_OWNER: { status: 409, title: 'The last owner must stay' },
  MAIL_NOT_CONFIGURED: { status: 409, title: 'Email is not set up' },
  IN_USE: { status: 409, title: 'Still in use' },
  REVISION_CONFLICT: { status: 409, title: 'Edited by someone else' },
  INVALID_TRANSITION: { status: 409, title: 'Not allowed in this state' },
  ARTICLE_GONE: { status: 410, title: 'Article removed' },
  LOGIN_LOCKED: { status: 429, title: 'Too many failed sign-ins' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  LIVE_BUSY: { status: 503, title: 'Too many live readers' },
  PUSH_ORIGIN_FULL: { status: 429, title: 'Too many subscriptions on this push service' },
  CURSOR_EXPIRED: { status: 410, title: 'Cursor too old' },
  URI_TOO_LONG: { status: 414, title: 'URI too long' },
  // Hardening (issue 10): slow or broken request bodies, oversized input.
  REQUEST_TIMEOUT: { status: 408, title: 'Request timeout' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Request body too large' },
  HEADERS_TOO_LARGE: { status: 431, title: 'Request headers too large' },
  VALIDATION_FAILED: { status: 422, title: 'Validation failed' },
  INTERNAL: { status: 500, title: 'Internal server error' },
} as const;

export type ErrorCode = keyof typeof ERRORS;

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly title: string;

  /**
   * @param extensions extra problem members (RFC 9457 §3.2), e.g. `current` on a 409
   *   or `retryAfterSeconds` on a 429.
   */
  constructor(
    code: ErrorCode,
    detail: string,
    readonly extensions?: Record<string, unknown>,
  ) {
    super(detail);
    this.name = 'DomainError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.title = ERRORS[code].title;
  }
}
