import { localText, problemTitle, type LocalText } from '../site/i18n.js';

/**
 * The one catalog of domain errors. Services throw `DomainError`s; the HTTP error
 * handler maps each code to its status and a problem+json body (RFC 9457). Titles live in
 * the message catalogs (`src/site/messages/*.json`, `problemTitles`), in every language.
 */
export const ERRORS = {
  BAD_REQUEST: { status: 400 },
  INVALID_ID: { status: 400 },
  INVALID_CURSOR: { status: 400 },
  INVALID_PRECONDITION: { status: 400 },
  NOT_FOUND: { status: 404 },
  ARTICLE_NOT_FOUND: { status: 404 },
  SECTION_NOT_FOUND: { status: 404 },
  TAG_NOT_FOUND: { status: 404 },
  MEDIA_NOT_FOUND: { status: 404 },
  METHOD_NOT_ALLOWED: { status: 405 },
  CONFLICT: { status: 409 },
  MEDIA_IN_USE: { status: 409 },
  MEDIA_TOO_LARGE: { status: 413 },
  UNSUPPORTED_MEDIA_TYPE: { status: 415 },
  MEDIA_CORRUPT: { status: 422 },
  // Newsroom (accounts, workflow, revisions).
  UNAUTHENTICATED: { status: 401 },
  INVALID_CREDENTIALS: { status: 401 },
  FORBIDDEN: { status: 403 },
  CSRF_FAILED: { status: 403 },
  INVALID_TOKEN: { status: 400 },
  USER_NOT_FOUND: { status: 404 },
  API_KEY_NOT_FOUND: { status: 404 },
  REVISION_NOT_FOUND: { status: 404 },
  CONTENT_TYPE_NOT_FOUND: { status: 404 },
  SETUP_DONE: { status: 409 },
  EMAIL_TAKEN: { status: 409 },
  SLUG_TAKEN: { status: 409 },
  LAST_OWNER: { status: 409 },
  MAIL_NOT_CONFIGURED: { status: 409 },
  IN_USE: { status: 409 },
  REVISION_CONFLICT: { status: 409 },
  INVALID_TRANSITION: { status: 409 },
  ARTICLE_GONE: { status: 410 },
  LOGIN_LOCKED: { status: 429 },
  RATE_LIMITED: { status: 429 },
  LIVE_BUSY: { status: 503 },
  PUSH_ORIGIN_FULL: { status: 429 },
  CURSOR_EXPIRED: { status: 410 },
  URI_TOO_LONG: { status: 414 },
  // Hardening (issue 10): slow or broken request bodies, oversized input.
  REQUEST_TIMEOUT: { status: 408 },
  PAYLOAD_TOO_LARGE: { status: 413 },
  HEADERS_TOO_LARGE: { status: 431 },
  VALIDATION_FAILED: { status: 422 },
  INTERNAL: { status: 500 },
} as const;

export type ErrorCode = keyof typeof ERRORS;

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** The detail as a catalog message, when it has one (else `message` is English only). */
  readonly text: LocalText | undefined;

  /**
   * @param detail a catalog message (preferred: editors read it in their language), or
   *   English text for messages no catalog has yet.
   * @param extensions extra problem members (RFC 9457 §3.2), e.g. `current` on a 409
   *   or `retryAfterSeconds` on a 429.
   */
  constructor(
    code: ErrorCode,
    detail: string | LocalText,
    readonly extensions?: Record<string, unknown>,
  ) {
    super(typeof detail === 'string' ? detail : localText('en', detail));
    this.name = 'DomainError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.text = typeof detail === 'string' ? undefined : detail;
  }

  /** The same error with more extension members (the detail keeps its catalog message). */
  with(extensions: Record<string, unknown>): DomainError {
    return new DomainError(this.code, this.text ?? this.message, { ...this.extensions, ...extensions });
  }

  /** The English title ("Article not found"). */
  get title(): string {
    return problemTitle('en', this.code);
  }

  /** Title and detail in a language (the detail stays English where it has no catalog message). */
  in(language: string): { title: string; detail: string } {
    return { title: problemTitle(language, this.code), detail: this.text ? localText(language, this.text) : this.message };
  }
}
