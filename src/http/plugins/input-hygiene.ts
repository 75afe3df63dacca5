import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError } from '../../domain/errors.js';
import { text, type LocalText } from '../../site/i18n.js';
import { MAX_JSON_DEPTH } from '../../domain/limits.js';

// U+0000 and UTF-16 surrogates without their other half: no database stores them
// (PostgreSQL refuses NUL with 22021), no reader can see them.
// eslint-disable-next-line no-control-regex
const NUL = /\u0000/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');

/** Whether a string holds a NUL or a lone surrogate. */
export function hasUnstorableCharacters(s: string): boolean {
  return s.includes('\u0000') || LONE_SURROGATE.test(s);
}

/** Drops NULs and replaces lone surrogates with U+FFFD (what a paste could have carried). */
export function cleanText(s: string): string {
  const noNul = s.includes('\u0000') ? s.replace(NUL, '') : s;
  return LONE_SURROGATE.test(noNul) ? noNul.replace(LONE_SURROGATES, '\uFFFD') : noNul;
}

function describePlace(where: 'params' | 'querystring', key: string): LocalText {
  return text(where === 'params' ? 'pathSegment' : 'queryParam', { key });
}

/** Path and query values: refused with 400 (a URL with NUL is never a real link). */
function checkUrlValues(values: unknown, where: 'params' | 'querystring'): void {
  if (!values || typeof values !== 'object') return;
  for (const [key, value] of Object.entries(values as Record<string, unknown>)) {
    const list = Array.isArray(value) ? value : [value];
    for (const v of list) {
      if (typeof v === 'string' && hasUnstorableCharacters(v)) {
        throw new DomainError('BAD_REQUEST', text('badCharacter', { place: describePlace(where, key) }));
      }
    }
  }
}

/** Body values: strings are cleaned in place; nesting deeper than any valid body is refused. */
function cleanBody(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return cleanText(value);
  if (depth > MAX_JSON_DEPTH) throw new DomainError('BAD_REQUEST', text('jsonTooDeep', { max: MAX_JSON_DEPTH }));
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = cleanBody(value[i], depth + 1);
  } else if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const cleanKey = cleanText(key);
      const cleaned = cleanBody(record[key], depth + 1);
      if (cleanKey !== key) delete record[key];
      record[cleanKey] = cleaned;
    }
  }
  return value;
}

/** After validation (Ajv turns "Infinity" and 1e400 into numbers it does not range-check): every number finite. */
function checkFinite(value: unknown, path: string, depth = 0): void {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new DomainError('BAD_REQUEST', text('notFinite', { path, value: String(value) }));
    return;
  }
  if (depth > MAX_JSON_DEPTH || !value || typeof value !== 'object' || Buffer.isBuffer(value)) return;
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) checkFinite(v, path ? `${path}.${key}` : key, depth + 1);
}

function checkNumbers(request: FastifyRequest): void {
  checkFinite(request.params, '');
  checkFinite(request.query, '');
  checkFinite(request.body, '');
}

/**
 * Input hygiene for every route, present and future, in one place: URL values with NUL
 * or lone surrogates are a 400; body strings lose them (an editor may have pasted
 * them); no handler ever sees a non-finite number or a body nested deeper than
 * MAX_JSON_DEPTH. Register before the routes.
 */
export function registerInputHygiene(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    checkUrlValues(request.params, 'params');
    checkUrlValues(request.query, 'querystring');
    if (request.body !== undefined && request.body !== null && typeof request.body === 'object') cleanBody(request.body, 0);
    else if (typeof request.body === 'string') request.body = cleanText(request.body);
  });
  app.addHook('preHandler', async (request) => {
    checkNumbers(request);
  });
}
