import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { DomainError } from '../../domain/errors.js';
import { text } from '../../site/i18n.js';

/** Where `npm run build:admin` writes the newsroom web app (same from src/ and dist/). */
export const ADMIN_APP_ROOT = fileURLToPath(new URL('../../../dist/admin', import.meta.url));

/**
 * The newsroom app runs scripts, but only its own bundle: no inline script or style,
 * no third-party origin. Frames only from us (the preview).
 */
export const ADMIN_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; font-src 'self'; frame-src 'self'; frame-ancestors 'self'; object-src 'none'; base-uri 'self'; form-action 'self'";

const NOT_BUILT = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Newsroom not built</title>
<h1>The newsroom web app is not built</h1><p>Run <code>npm run build:admin</code> (or <code>npm run build</code>) and restart the server.</p></html>`;

/**
 * `/admin/`: the built single-page app from dist/admin. Hashed assets are cached for a
 * year; every other GET under /admin/ (deep links, `/admin/setup?token=…`,
 * `/admin/invite?token=…`) answers index.html and the client router takes over.
 * Register with `{ prefix: '/admin' }`; more specific routes such as
 * `/admin/preview/:id` win over this fallback.
 */
export function adminAppRoutes(root: string = ADMIN_APP_ROOT): FastifyPluginAsync {
  return async (app) => {
    const built = existsSync(join(root, 'index.html'));
    if (!built) app.log.warn(`newsroom web app not found in ${root}: run npm run build:admin`);

    const sendIndex = async (reply: FastifyReply) => {
      reply.header('content-security-policy', ADMIN_CSP).header('cache-control', 'no-cache').header('x-robots-tag', 'noindex');
      const html = built ? await readFile(join(root, 'index.html'), 'utf8').catch(() => null) : null;
      if (html === null) return reply.code(503).type('text/html; charset=utf-8').send(NOT_BUILT);
      return reply.type('text/html; charset=utf-8').send(html);
    };

    app.get('/', async (_request, reply) => sendIndex(reply));
    if (built) {
      await app.register(fastifyStatic, {
        root,
        prefix: '/',
        decorateReply: false,
        wildcard: true,
        index: false,
        dotfiles: 'deny',
        cacheControl: false,
        setHeaders(res, path) {
          res.setHeader('content-security-policy', ADMIN_CSP);
          const hashed = path.startsWith(join(root, 'assets'));
          res.setHeader('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
        },
      });
    } else {
      app.get('/*', async (_request, reply) => sendIndex(reply));
    }

    // Files that do not exist: the app shell for page addresses, a real 404 for assets.
    app.setNotFoundHandler(async (request, reply) => {
      const path = request.url.split('?')[0] ?? '';
      const isPage = (request.method === 'GET' || request.method === 'HEAD') && !path.startsWith('/admin/assets/') && !/\.[a-z0-9]{1,5}$/i.test(path);
      if (!isPage) throw new DomainError('NOT_FOUND', text('appFileMissing'));
      return sendIndex(reply);
    });
  };
}
