import type { FastifyError, FastifyRequest } from 'fastify';

/**
 * Schema validation errors as sentences an editor understands ("The headline can be
 * at most 300 characters; it has 341."), never Ajv's own wording. The newsroom app
 * shows these messages as they are.
 */

const LABELS: Record<string, string> = {
  headline: 'headline',
  dek: 'dek',
  bodyHtml: 'body',
  byline: 'byline',
  source: 'source',
  place: 'place',
  sectionId: 'section',
  contentTypeId: 'content type',
  leadMediaId: 'lead media',
  language: 'language',
  tags: 'tags',
  related: 'related stories',
  baseRevision: 'revision your edit is based on',
  email: 'email address',
  password: 'password',
  name: 'name',
  role: 'role',
  kind: 'kind',
  slug: 'address name (slug)',
  label: 'label',
  scopes: 'permissions',
  note: 'note',
  at: 'time',
  action: 'action',
  alt: 'alt text',
  caption: 'caption',
  credit: 'credit',
  q: 'search text',
  limit: 'number of results',
  cursor: 'page marker',
  id: 'id',
};

const ITEM_NAMES: Record<string, string> = { tags: 'tag', related: 'related story', scopes: 'permission' };

function labelOf(path: string[], where: string): string {
  const names = path.filter((p) => !/^\d+$/.test(p));
  const last = names.at(-1);
  if (!last) return where === 'querystring' ? 'query' : where === 'params' ? 'address' : 'request';
  const label = LABELS[last] ?? last;
  const index = path.findIndex((p) => /^\d+$/.test(p));
  if (index > 0) {
    const list = path[index - 1]!;
    const item = `${ITEM_NAMES[list] ?? 'item'} ${Number(path[index]) + 1}`;
    return last === list ? item : `${label} of ${item}`;
  }
  return label;
}

function valueAt(root: unknown, path: string[]): unknown {
  let v = root;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[p];
  }
  return v;
}

const TYPE_WORDS: Record<string, string> = {
  integer: 'a whole number',
  number: 'a number',
  string: 'text',
  boolean: 'yes or no (true or false)',
  array: 'a list',
  object: 'a group of fields',
  null: 'empty',
};

const upper = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** One sentence for the first validation error of a request. */
export function validationMessage(err: FastifyError, request: FastifyRequest): string | null {
  const errors = err.validation ?? [];
  const first = errors[0];
  if (!first) return null;
  const where = err.validationContext ?? 'body';
  const root = where === 'querystring' ? request.query : where === 'params' ? request.params : where === 'headers' ? request.headers : request.body;
  const path = String(first.instancePath ?? '').split('/').filter(Boolean).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const params = first.params as Record<string, unknown>;
  const label = labelOf(path, where);
  const The = `The ${label}`;
  const value = valueAt(root, path);
  const limit = Number(params.limit);
  const length = typeof value === 'string' ? [...value].length : Array.isArray(value) ? value.length : 0;
  switch (first.keyword) {
    case 'required':
      return `The ${labelOf([...path, String(params.missingProperty)], where)} is missing: fill it in.`;
    case 'additionalProperties':
      return `"${String(params.additionalProperty)}" is not something this ${where === 'querystring' ? 'address' : 'form'} accepts.`;
    case 'maxLength':
      return `${The} can be at most ${limit} characters; it has ${length}.`;
    case 'minLength':
      return limit <= 1 ? `${The} must not be empty.` : `${The} must be at least ${limit} characters; it has ${length}.`;
    case 'maxItems':
      return `${upper(label)} can hold at most ${limit}; there are ${length}.`;
    case 'minItems':
      return limit <= 1 ? `Choose at least one for ${label}.` : `Choose at least ${limit} for ${label}.`;
    case 'maximum':
      return `${The} can be at most ${String(params.limit)}.`;
    case 'minimum':
      return `${The} must be at least ${String(params.limit)}.`;
    case 'type':
      return `${The} must be ${TYPE_WORDS[String(params.type)] ?? String(params.type)}.`;
    case 'format':
      return params.format === 'date-time' ? `${The} must be a date and time such as 2026-11-20T14:00:00Z.` : `${The} is not a valid ${String(params.format)}.`;
    case 'const':
    case 'enum':
    case 'anyOf': {
      const allowed = errors
        .filter((e) => e.instancePath === first.instancePath && (e.keyword === 'const' || e.keyword === 'enum'))
        .flatMap((e) => {
          const p = e.params as Record<string, unknown>;
          return p.allowedValue !== undefined ? [p.allowedValue] : Array.isArray(p.allowedValues) ? p.allowedValues : [];
        });
      return allowed.length ? `${The} must be one of: ${allowed.map(String).join(', ')}.` : `${The} is not one of the allowed values.`;
    }
    case 'pattern':
      return `${The} is not in the expected form.`;
    default:
      return `${The} is not valid.`;
  }
}
