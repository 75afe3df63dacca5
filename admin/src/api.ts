/**
 * The one client for /api/admin: JSON in and out, the CSRF header on every
 * state-changing request, problem+json errors as ApiError, and a hook that sends the
 * user back to the login screen when the session has expired.
 */
import { appLanguage, t } from './i18n.js';

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  code?: string;
  requestId?: string;
  current?: unknown;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail || problem.title || t('api.requestFailed', { status }));
  }
  get code(): string {
    return this.problem.code ?? '';
  }
}

let csrfToken = '';
let onUnauthenticated: (() => void) | null = null;

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/** Called when any request (other than the session check itself) answers 401. */
export function setUnauthenticatedHandler(handler: () => void): void {
  onUnauthenticated = handler;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

async function toError(res: Response): Promise<ApiError> {
  let problem: Problem = { status: res.status };
  try {
    const text = await res.text();
    if (text) problem = { status: res.status, ...(JSON.parse(text) as Partial<Problem>) };
  } catch {
    // Not JSON (a proxy page, say): keep the status.
  }
  if (!problem.detail && res.status === 404) problem.detail = t('api.notFound');
  return new ApiError(res.status, problem);
}

export async function request<T>(method: string, path: string, body?: unknown, options: { quiet401?: boolean } = {}): Promise<T> {
  // The server writes problem details (and publish checks) in the interface language.
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': appLanguage() };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (UNSAFE.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, { status: 0, detail: t('api.unreachable') });
  }
  if (!res.ok) {
    const error = await toError(res);
    if (res.status === 401 && !options.quiet401) onUnauthenticated?.();
    throw error;
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const api = {
  get: <T>(path: string, options?: { quiet401?: boolean }) => request<T>('GET', path, undefined, options),
  post: <T>(path: string, body?: unknown, options?: { quiet401?: boolean }) => request<T>('POST', path, body ?? {}, options),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  del: <T = void>(path: string) => request<T>('DELETE', path),
};

/** A query string from defined, non-empty values. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/**
 * Multipart upload with progress. fetch() cannot report upload progress, so this is
 * the one place XMLHttpRequest is used.
 */
export function upload<T>(path: string, form: FormData, onProgress: (fraction: number) => void): { promise: Promise<T>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<T>((resolve, reject) => {
    xhr.open('POST', path);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('accept-language', appLanguage());
    if (csrfToken) xhr.setRequestHeader('x-csrf-token', csrfToken);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body: unknown = undefined;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        body = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve(body as T);
      } else {
        if (xhr.status === 401) onUnauthenticated?.();
        const problem = { status: xhr.status, ...((body as Partial<Problem>) ?? {}) };
        if (!problem.detail) {
          problem.detail =
            xhr.status === 413 ? t('api.tooLarge') : xhr.status === 415 ? t('api.unsupportedType') : xhr.status === 422 ? t('api.corrupt') : t('api.uploadFailed', { status: xhr.status });
        }
        reject(new ApiError(xhr.status, problem));
      }
    };
    xhr.onerror = () => reject(new ApiError(0, { status: 0, detail: t('api.uploadInterrupted') }));
    xhr.onabort = () => reject(new ApiError(0, { status: 0, detail: t('api.uploadCancelled') }));
    xhr.send(form);
  });
  return { promise, abort: () => xhr.abort() };
}

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
