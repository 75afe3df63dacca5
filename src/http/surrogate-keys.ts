import type { FastifyReply } from 'fastify';

/** Names what a cacheable response shows, for purging by key (see the page-cache convention). */
export function setSurrogateKeys(reply: FastifyReply, keys: string[]): FastifyReply {
  return reply.header('Surrogate-Key', [...new Set(keys)].join(' '));
}
