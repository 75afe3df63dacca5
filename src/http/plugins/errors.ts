import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../domain/errors.js';
import { localText, negotiateLanguage, problemTitle, text, type LocalText } from '../../site/i18n.js';
import { validationMessage } from '../validation-messages.js';
import { inputErrorOf } from './input-errors.js';

/** RFC 9457 problem details, plus our error code and the request id. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance: string;
  requestId: string;
  /** Extension members of some errors (`current` on REVISION_CONFLICT). */
  [extension: string]: unknown;
}

/**
 * The language an answer for people (problem details, the publish checklist) is written in,
 * from `Accept-Language`; says so in `Content-Language` and adds `Accept-Language` to `Vary`.
 */
export function answerLanguage(request: FastifyRequest, reply: FastifyReply): string {
  const language = negotiateLanguage(request.headers['accept-language']);
  const vary = reply.getHeader('vary');
  reply.header('content-language', language).header('vary', vary ? `${String(vary)}, Accept-Language` : 'Accept-Language');
  return language;
}

/** Renders an HTML error page for site (non-API) paths. */
export type HtmlErrorRenderer = (status: number, request: FastifyRequest) => Promise<string>;

const MACHINE_PREFIXES = ['/api/', '/media/', '/assets/', '/feeds/', '/sitemaps/', '/live/', '/push/'];

function wantsProblemJson(request: FastifyRequest): boolean {
  const url = request.url;
  return MACHINE_PREFIXES.some((p) => url.startsWith(p)) || url === '/api' || (request.headers.accept ?? '').startsWith('application/json');
}

/** A readable sentence from an Ajv validation error. */
function describeValidation(err: FastifyError): string {
  const first = err.validation?.[0];
  const where = err.validationContext ?? 'request';
  if (!first) return err.message;
  const params = first.params as Record<string, unknown>;
  const field = String(first.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  const place = where === 'querystring' ? 'query parameter' : where === 'params' ? 'path parameter' : `${where} field`;
  if (first.keyword === 'additionalProperties') {
    return `Unknown ${place} "${String(params.additionalProperty)}".`;
  }
  if (first.keyword === 'required') return `Missing ${place} "${String(params.missingProperty)}".`;
  return `The ${place} "${field || where}" ${first.message ?? 'is invalid'}.`;
}

function shortPath(url: string): string {
  return url.length > 200 ? `${url.slice(0, 200)}…` : url;
}

/**
 * Extension members that carry catalog messages (the publish checklist's items: `{ …, text }`)
 * get their `message` in the response's language.
 */
function localizeExtensions(extensions: Record<string, unknown> | undefined, language: string): Record<string, unknown> | undefined {
  if (!extensions) return extensions;
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(extensions)) {
    out[name] = Array.isArray(value)
      ? value.map((item: unknown) => {
          if (!item || typeof item !== 'object' || !('text' in item)) return item;
          const { text: message, ...rest } = item as { text: LocalText };
          return { ...rest, message: localText(language, message) };
        })
      : value;
  }
  return out;
}

function toProblem(err: FastifyError | DomainError, request: FastifyRequest): Problem {
  err = inputErrorOf(err) ?? err;
  // Titles and details in the language the client asks for (the newsroom app sends its interface language).
  const language = negotiateLanguage(request.headers['accept-language']);
  const base = { instance: shortPath(request.url.split('?')[0] ?? '/'), requestId: String(request.id), type: 'about:blank' };
  if (err instanceof DomainError) {
    return { ...localizeExtensions(err.extensions, language), ...base, ...err.in(language), status: err.status, code: err.code };
  }
  if (err.validation) {
    const message = request.url.startsWith('/api/admin/') ? validationMessage(err, request) : null;
    return { ...base, title: problemTitle(language, 'BAD_REQUEST'), status: 400, detail: message ? localText(language, message) : describeValidation(err), code: 'BAD_REQUEST' };
  }
  const status = err.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    // Fastify's own client errors (bad JSON, body too large, …) carry safe messages.
    const detail = err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'A path segment is longer than the limit of 1024 characters.' : err.message;
    return { ...base, title: STATUS_CODES[status] ?? problemTitle(language, 'BAD_REQUEST'), status, detail, code: err.code ?? 'BAD_REQUEST' };
  }
  return { ...base, title: problemTitle(language, 'INTERNAL'), status: 500, detail: localText(language, text('internal')), code: 'INTERNAL' };
}

export type ErrorResponder = (err: FastifyError | DomainError, request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>;

/**
 * One mapping from errors to responses: problem+json for the API, an HTML page for
 * the site. Returns the responder so router-level errors (Fastify's frameworkErrors)
 * can use it too.
 */
export function registerErrorHandling(app: FastifyInstance, renderHtml: HtmlErrorRenderer): ErrorResponder {
  const send = async (problem: Problem, request: FastifyRequest, reply: FastifyReply) => {
    reply.code(problem.status);
    if (problem.status >= 500) reply.header('cache-control', 'no-store');
    if (wantsProblemJson(request)) {
      answerLanguage(request, reply);
      return reply.type('application/problem+json; charset=utf-8').send(JSON.stringify(problem));
    }
    let html: string;
    try {
      html = await renderHtml(problem.status, request);
    } catch (renderError) {
      request.log.error({ err: renderError }, 'error page failed to render');
      html = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Error ${problem.status}</title><h1>Error ${problem.status}</h1>`;
    }
    return reply.type('text/html; charset=utf-8').send(html);
  };

  const respond: ErrorResponder = async (err, request, reply) => {
    const problem = toProblem(err, request);
    if (problem.status >= 500) request.log.error({ err }, 'request failed');
    return send(problem, request, reply);
  };
  app.setErrorHandler(respond);

  app.setNotFoundHandler(async (request, reply) => {
    const problem = toProblem(
      new DomainError('NOT_FOUND', text('notPublished', { path: shortPath(request.url.split('?')[0] ?? '/') })),
      request,
    );
    return send(problem, request, reply);
  });
  return respond;
}
