import type { FastifyReply } from 'fastify';

/** Names what a cacheable response shows (see the page-cache convention in DESIGN.md / README). */
export function setSurrogateKeys(reply: FastifyReply, keys: string[]): void {
  reply.header('Surrogate-Key', [...new Set(keys)].join(' '));
}
