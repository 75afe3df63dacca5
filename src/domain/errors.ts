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
  URI_TOO_LONG: { status: 414, title: 'URI too long' },
  VALIDATION_FAILED: { status: 422, title: 'Validation failed' },
  INTERNAL: { status: 500, title: 'Internal server error' },
} as const;

export type ErrorCode = keyof typeof ERRORS;

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly title: string;

  constructor(code: ErrorCode, detail: string) {
    super(detail);
    this.name = 'DomainError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.title = ERRORS[code].title;
  }
}
