import type { FastifyReply } from 'fastify';

/**
 * Names what a cacheable response shows, for the page cache and CDN purges:
 * `article-{id}`, `section-{id}`, `tag-{id}`, `front-{name}`, `latest`, `lang-{code}`,
 * `feed`, `sitemap` (see the page-cache convention in README).
 */
export function setSurrogateKeys(reply: FastifyReply, keys: string[]): void {
  reply.header('Surrogate-Key', [...new Set(keys)].join(' '));
}
