import type { FastifyReply } from 'fastify';

/** Names what a cacheable response shows (page-cache convention), so a purge can find it. */
export function setSurrogateKeys(reply: FastifyReply, keys: string[]): FastifyReply {
  return reply.header('Surrogate-Key', [...new Set(keys)].join(' '));
}
