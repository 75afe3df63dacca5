import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { DomainError } from '../../domain/errors.js';
import { text } from '../../site/i18n.js';
import { LocalStore } from '../../storage/local-store.js';
import type { MediaStore } from '../../storage/media-store.js';

const IMMUTABLE = 'public, max-age=31536000, immutable';
const TYPES: Record<string, string> = {
  jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', avif: 'image/avif', gif: 'image/gif',
  mp4: 'video/mp4', webm: 'video/webm',
};

/**
 * `/media/<key>`. Keys carry an upload tick, so a key's bytes never change: cached for
 * a year. Local files go through @fastify/static (ranges, conditional requests); an
 * S3 store is streamed through. Legacy root paths (`/YYYY/MM/DD/name`, as in the old
 * site's related JSON) move permanently to `/media/…`.
 */
export function mediaRoutes(store: MediaStore): FastifyPluginAsync {
  return async (app) => {
    if (store instanceof LocalStore) {
      mkdirSync(store.root, { recursive: true });
      await app.register(fastifyStatic, {
        root: store.root,
        prefix: '/media/',
        decorateReply: false,
        maxAge: '365d',
        immutable: true,
        index: false,
        dotfiles: 'deny',
        wildcard: true,
      });
    } else {
      app.get<{ Params: { '*': string } }>('/media/*', async (request, reply) => {
        const key = request.params['*'];
        if (!/^[\w./-]+$/.test(key) || key.split('/').some((p) => p === '..' || p === '.' || p.startsWith('.'))) {
          throw new DomainError('BAD_REQUEST', text('notMediaPath'));
        }
        const etag = `"${createHash('sha1').update(key).digest('base64url')}"`;
        if (request.headers['if-none-match'] === etag) return reply.code(304).header('etag', etag).send();
        const object = await store.get(key);
        if (!object) throw new DomainError('MEDIA_NOT_FOUND', text('noMediaFile', { key }));
        return reply
          .type(TYPES[key.split('.').pop()!.toLowerCase()] ?? 'application/octet-stream')
          .header('content-length', object.size)
          .header('cache-control', IMMUTABLE)
          .header('etag', etag)
          .send(object.stream);
      });
    }
    app.get<{ Params: { year: string; month: string; day: string; name: string } }>(
      '/:year(^\\d{4}$)/:month(^\\d{2}$)/:day(^\\d{2}$)/:name',
      async (request, reply) => {
        const { year, month, day, name } = request.params;
        return reply.redirect(`/media/${year}/${month}/${day}/${encodeURIComponent(name)}`, 301);
      },
    );
  };
}
