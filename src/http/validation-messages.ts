import type { FastifyError, FastifyRequest } from 'fastify';
import { text, type LocalText, type TermKey, type TextValue } from '../site/i18n.js';

/**
 * Schema validation errors as sentences an editor understands ("The headline can be
 * at most 300 characters; it has 341."), never Ajv's own wording, in the editor's
 * language (message catalogs: `problems.v…`, field labels `terms.field.…`). The newsroom
 * app shows these messages as they are.
 */

/** Fields with a label in the catalogs (`field.{name}`); others show their own name. */
const LABELLED = new Set(['headline', 'dek', 'bodyHtml', 'byline', 'source', 'place', 'sectionId', 'contentTypeId', 'leadMediaId', 'language', 'tags', 'related', 'baseRevision', 'email', 'password', 'name', 'role', 'kind', 'slug', 'label', 'scopes', 'note', 'at', 'action', 'alt', 'caption', 'credit', 'licence', 'q', 'limit', 'cursor', 'id']);
/** Lists whose items have a name of their own (`item.{list}`). */
const ITEMS = new Set(['tags', 'related', 'scopes']);
const TYPES = new Set(['integer', 'number', 'string', 'boolean', 'array', 'object', 'null']);

const termOf = (name: string, capital = false): TextValue => (LABELLED.has(name) ? { term: `field.${name}` as TermKey, capital } : name);

function labelOf(path: string[], where: string, capital = false): TextValue {
  const names = path.filter((p) => !/^\d+$/.test(p));
  const last = names.at(-1);
  if (!last) return { term: where === 'querystring' ? 'field.query' : where === 'params' ? 'field.address' : 'field.request', capital };
  const index = path.findIndex((p) => /^\d+$/.test(p));
  if (index > 0) {
    const list = path[index - 1]!;
    const item = text('vItem', { item: ITEMS.has(list) ? { term: `item.${list}` as TermKey, capital: capital && last === list } : { term: 'item.other', capital: capital && last === list }, n: String(Number(path[index]) + 1) });
    return last === list ? item : text('vOfItem', { label: termOf(last, capital), item });
  }
  return termOf(last, capital);
}

function valueAt(root: unknown, path: string[]): unknown {
  let v = root;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[p];
  }
  return v;
}

/** One sentence for the first validation error of a request. */
export function validationMessage(err: FastifyError, request: FastifyRequest): LocalText | null {
  const errors = err.validation ?? [];
  const first = errors[0];
  if (!first) return null;
  const where = err.validationContext ?? 'body';
  const root = where === 'querystring' ? request.query : where === 'params' ? request.params : where === 'headers' ? request.headers : request.body;
  const path = String(first.instancePath ?? '').split('/').filter(Boolean).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const params = first.params as Record<string, unknown>;
  const label = labelOf(path, where);
  const value = valueAt(root, path);
  const limit = String(params.limit);
  const length = String(typeof value === 'string' ? [...value].length : Array.isArray(value) ? value.length : 0);
  switch (first.keyword) {
    case 'required':
      return text('vMissing', { label: labelOf([...path, String(params.missingProperty)], where) });
    case 'additionalProperties':
      return text(where === 'querystring' ? 'vNotAcceptedAddress' : 'vNotAccepted', { name: String(params.additionalProperty) });
    case 'maxLength':
      return text('vMaxLength', { label, limit, length });
    case 'minLength':
      return Number(params.limit) <= 1 ? text('vEmpty', { label }) : text('vMinLength', { label, limit, length });
    case 'maxItems':
      return text('vMaxItems', { label: labelOf(path, where, true), limit, length });
    case 'minItems':
      return Number(params.limit) <= 1 ? text('vMinOne', { label }) : text('vMinItems', { label, limit });
    case 'maximum':
      return text('vMaximum', { label, limit });
    case 'minimum':
      return text('vMinimum', { label, limit });
    case 'type':
      return text('vType', { label, type: TYPES.has(String(params.type)) ? { term: `type.${String(params.type)}` as TermKey } : String(params.type) });
    case 'format':
      return params.format === 'date-time' ? text('vDateTime', { label }) : text('vFormat', { label, format: String(params.format) });
    case 'const':
    case 'enum':
    case 'anyOf': {
      const allowed = errors
        .filter((e) => e.instancePath === first.instancePath && (e.keyword === 'const' || e.keyword === 'enum'))
        .flatMap((e) => {
          const p = e.params as Record<string, unknown>;
          return p.allowedValue !== undefined ? [p.allowedValue] : Array.isArray(p.allowedValues) ? p.allowedValues : [];
        });
      return allowed.length ? text('vOneOf', { label, allowed: allowed.map(String).join(', ') }) : text('vNotAllowed', { label });
    }
    case 'pattern':
      return text('vPattern', { label });
    default:
      return text('vInvalid', { label });
  }
}
