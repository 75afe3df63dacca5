import * as crypto from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../domain/errors.js';
import { text } from '../../site/i18n.js';

// An entity tag: optional W/ then a quoted string of visible characters other than '"'.
const ENTITY_TAG = String.raw`(?:W\/)?"[\x21\x23-\x7e\x80-\xff]*"`;
const IF_NONE_MATCH = new RegExp(String.raw`^\s*(?:\*|${ENTITY_TAG}(?:\s*,\s*${ENTITY_TAG})*)\s*$`);

/** Whether an If-None-Match value is well formed (a malformed one is answered 400). */
export const isValidIfNoneMatch = (header: string): boolean => IF_NONE_MATCH.test(header);

const weak = (tag: string) => tag.trim().replace(/^W\//, '');

/** Weak comparison (RFC 9110 §13.1.2): does If-None-Match name this entity tag? */
export function ifNoneMatchHits(header: string, etag: string): boolean {
  if (header.trim() === '*') return true;
  const target = weak(etag);
  return header.split(',').some((t) => weak(t) === target);
}

// One-shot hashing (Node 20.12+) avoids a Hash object per response.
const oneShot = (crypto as { hash?: (algorithm: string, data: string | Buffer, encoding: 'base64url') => string }).hash;

/** Strong entity tag of a response body. */
export function etagOf(body: string | Buffer): string {
  const digest = oneShot ? oneShot('sha1', body, 'base64url') : crypto.createHash('sha1').update(body).digest('base64url');
  return `"${digest}"`;
}

function defaultCacheControl(status: number): string {
  if (status >= 500) return 'no-store';
  if (status >= 400) return 'public, max-age=30';
  if (status >= 300) return 'public, max-age=300';
  return 'public, max-age=60, stale-while-revalidate=300';
}

/**
 * Every GET answer gets Cache-Control, and every complete 200 body an ETag computed
 * from its bytes; a matching If-None-Match turns it into 304. A malformed
 * If-None-Match is refused, since a client sending one has a bug worth hearing about.
 */
export function registerHttpCaching(app: FastifyInstance): void {
  app.addHook('onRequest', async (request: FastifyRequest) => {
    const inm = request.headers['if-none-match'];
    if (inm !== undefined && (request.method === 'GET' || request.method === 'HEAD') && !IF_NONE_MATCH.test(inm)) {
      throw new DomainError('INVALID_PRECONDITION', text('ifNoneMatch'));
    }
  });

  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return payload;
    const status = reply.statusCode;
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', defaultCacheControl(status));
    if (status !== 200 || (typeof payload !== 'string' && !Buffer.isBuffer(payload))) return payload;
    let etag = reply.getHeader('etag') as string | undefined;
    if (!etag) {
      etag = etagOf(payload);
      reply.header('etag', etag);
    }
    const inm = request.headers['if-none-match'];
    if (inm && ifNoneMatchHits(inm, etag)) {
      reply.code(304);
      reply.removeHeader('content-length');
      return '';
    }
    return payload;
  });
}
