import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';

/**
 * `/media/<key>` from the local store. Keys carry an upload tick, so a key's bytes
 * never change: cache them for a year. Legacy root paths (`/YYYY/MM/DD/name`, as in
 * the old site's related JSON) move permanently to `/media/…`.
 */
export function mediaRoutes(root: string): FastifyPluginAsync {
  return async (app) => {
    await app.register(fastifyStatic, {
      root,
      prefix: '/media/',
      decorateReply: false,
      maxAge: '365d',
      immutable: true,
      index: false,
      dotfiles: 'deny',
      wildcard: true,
    });
    app.get<{ Params: { year: string; month: string; day: string; name: string } }>(
      '/:year(^\\d{4}$)/:month(^\\d{2}$)/:day(^\\d{2}$)/:name',
      async (request, reply) => {
        const { year, month, day, name } = request.params;
        return reply.redirect(`/media/${year}/${month}/${day}/${encodeURIComponent(name)}`, 301);
      },
    );
  };
}
