import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ReadRouting } from '../../db/read-routing.js';

/**
 * The newsroom (its app and admin API) and the operator's endpoints always read from the
 * primary, as do live-update streams: a reconnecting reader's replay must not come from a
 * replica that has not applied the events it missed (one stream per reader, few reads each).
 */
const PRIMARY_ONLY = /^\/(admin|api\/admin|healthz|readyz|metrics|live\/events)(?:[/?]|$)/;
const READS = new Set(['GET', 'HEAD']);

/** Set after a newsroom write: the WAL position a replica must have applied to serve this browser. */
export const READ_AFTER_COOKIE = 'dateline_read_after';

function readAfter(request: FastifyRequest): bigint {
  const header = request.headers.cookie;
  if (!header) return 0n;
  const m = new RegExp(`(?:^|;\\s*)${READ_AFTER_COOKIE}=([0-9A-Fa-f]{1,8}%2F[0-9A-Fa-f]{1,8}|[0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8})`).exec(header);
  return ReadRouting.parseLsn(m ? decodeURIComponent(m[1]!) : undefined) ?? 0n;
}

/**
 * With read replicas: public GET requests (pages, content API, search, feeds, sitemaps)
 * read from a healthy replica; everything else stays on the primary. A newsroom write
 * answers with a short-lived cookie holding the primary's WAL position after it, so the
 * same browser's public reads use only a replica that has applied that write (or the
 * primary): an editor who publishes and opens the page sees the change at once.
 */
export function registerReadRouting(app: FastifyInstance, routing: ReadRouting | undefined): void {
  if (!routing) return;
  app.addHook('onRequest', (request, _reply, done) => {
    if (!READS.has(request.method) || PRIMARY_ONLY.test(request.url)) return done();
    routing.publicReads(readAfter(request), () => done());
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (READS.has(request.method) || request.method === 'OPTIONS' || !request.url.startsWith('/api/admin/') || reply.statusCode >= 400) return payload;
    const lsn = await routing.primaryLsnText().catch(() => null);
    if (lsn) reply.header('set-cookie', `${READ_AFTER_COOKIE}=${encodeURIComponent(lsn)}; Path=/; Max-Age=${routing.replicas.stickySeconds}; HttpOnly; SameSite=Lax`);
    return payload;
  });
}
