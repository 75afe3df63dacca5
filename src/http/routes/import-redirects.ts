import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.js';

/**
 * Old permalinks of imported sites (`/2008/09/hello-world/`, `/?p=12`) answer 301 to
 * the imported article. Looked up only when nothing else answered (a 404), plus the
 * WordPress `/?p=` and `/?page_id=` forms that would otherwise land on the home page.
 * Registered on the root instance so it sees every not-found response.
 */
export function registerImportRedirects(app: FastifyInstance, services: Services): void {
  const target = async (url: string): Promise<string | null> => {
    const path = decodeURIComponent(url.length > 2000 ? '' : url);
    const id = (await services.repos.imports.findRedirect(path)) ?? (path.endsWith('/') ? null : await services.repos.imports.findRedirect(`${path}/`));
    if (id === null) return null;
    const article = await services.repos.articles.findById(id);
    return article ? `/news/${article.id}/${encodeURIComponent(article.slug)}` : null;
  };
  app.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'GET' || !/^\/\?(?:p|page_id)=\d+/.test(request.url)) return;
    const location = await target(request.url).catch(() => null);
    if (location) return reply.code(301).header('location', location).send();
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode !== 404 || (request.method !== 'GET' && request.method !== 'HEAD')) return payload;
    let location: string | null = null;
    try {
      location = await target(request.url);
    } catch {
      return payload;
    }
    if (!location) return payload;
    reply.code(301).header('location', location).header('content-type', 'text/plain; charset=utf-8');
    return `Moved to ${location}`;
  });
}
