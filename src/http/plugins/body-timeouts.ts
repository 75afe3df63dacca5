import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError } from '../../domain/errors.js';
import { text } from '../../site/i18n.js';

export interface BodyTimeouts {
  /** A request body that receives no byte for this long is answered 408. */
  idleMs: number;
  /** A request body not complete this long after its headers is answered 408. */
  totalMs: number;
}

export const DEFAULT_BODY_TIMEOUTS: BodyTimeouts = { idleMs: 30_000, totalMs: 30 * 60_000 };

const TIMED_OUT = Symbol('bodyTimedOut');
type Timed = FastifyRequest & { [TIMED_OUT]?: DomainError };

/** The 408 a body timeout raised for this request, if one did (handlers reading bodies themselves check it). */
export function bodyTimeoutOf(request: FastifyRequest): DomainError | null {
  return (request as Timed)[TIMED_OUT] ?? null;
}

function expectsBody(request: FastifyRequest): boolean {
  const h = request.headers;
  return (h['transfer-encoding'] !== undefined || Number(h['content-length'] ?? 0) > 0) && !request.raw.complete;
}

/**
 * Every request body ends with an answer in bounded time: a client that stops sending
 * (a multipart body without its closing boundary, a Content-Length it never fills) gets
 * 408 problem+json after `idleMs` without a byte, or after `totalMs` in all, and the
 * connection closes. Progress is measured on the socket, so it works the same for the
 * JSON parser and for handlers that stream the body themselves (uploads).
 */
export function registerBodyTimeouts(app: FastifyInstance, timeouts: BodyTimeouts = DEFAULT_BODY_TIMEOUTS): void {
  const tickMs = Math.max(50, Math.min(1000, Math.floor(timeouts.idleMs / 4)));
  app.addHook('onRequest', async (request, reply) => {
    if (!expectsBody(request)) return;
    const raw = request.raw;
    const socket = raw.socket;
    const started = Date.now();
    let lastBytes = socket?.bytesRead ?? 0;
    let lastProgress = started;
    const timer = setInterval(() => {
      if (raw.complete || raw.destroyed) return stop();
      const now = Date.now();
      const bytes = socket?.bytesRead ?? 0;
      if (bytes !== lastBytes) {
        lastBytes = bytes;
        lastProgress = now;
      }
      const idle = now - lastProgress >= timeouts.idleMs;
      const late = now - started >= timeouts.totalMs;
      if (!idle && !late) return;
      stop();
      const err = new DomainError(
        'REQUEST_TIMEOUT',
        idle
          ? text('bodyStalled', { seconds: { plural: 'seconds', count: Math.round(timeouts.idleMs / 1000) } })
          : text('bodyTooSlow', { seconds: { plural: 'seconds', count: Math.round(timeouts.totalMs / 1000) } }),
      );
      (request as Timed)[TIMED_OUT] = err;
      reply.header('connection', 'close');
      // Whoever reads the body (Fastify's parser, the multipart reader) fails with the 408.
      if (raw.listenerCount('error') > 0) raw.emit('error', err);
      else if (!reply.sent) void reply.send(err);
    }, tickMs);
    timer.unref();
    const stop = () => clearInterval(timer);
    raw.once('end', stop);
    raw.once('close', stop);
    reply.raw.once('finish', stop);
  });
}
