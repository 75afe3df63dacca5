import type { FastifyReply } from 'fastify';
import { etagOf } from './plugins/http-caching.js';

/**
 * Serialized API bodies memoized per content object. Content objects come from the
 * version-checked ContentCache and are replaced (never mutated) when content changes,
 * so a WeakMap keyed by them can never serve stale JSON and frees itself.
 */
export class JsonMemo<T extends object> {
  private readonly memo = new WeakMap<T, { body: string; etag: string }>();

  constructor(private readonly map: (value: T) => unknown) {}

  get(value: T): { body: string; etag: string } {
    let hit = this.memo.get(value);
    if (!hit) {
      const body = JSON.stringify(this.map(value));
      hit = { body, etag: etagOf(body) };
      this.memo.set(value, hit);
    }
    return hit;
  }
}

/** Sends a memoized JSON body with its precomputed entity tag. */
export function sendJsonMemo(reply: FastifyReply, memo: { body: string; etag: string }): FastifyReply {
  return reply.type('application/json; charset=utf-8').header('etag', memo.etag).send(memo.body);
}
