import type { FastifyInstance } from 'fastify';
import type { ConnectionPinning } from '../../db/connection-pinning.js';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * State-changing requests (an editor's create, save, publish) run with one database
 * connection of their own on PostgreSQL, so their sequential statements do not each
 * queue behind the readers' queries for a pooled connection. Reads keep using the pool
 * per query: they are short and many, and pins are capped at half the pool.
 */
export function registerConnectionPinning(app: FastifyInstance, pinning: ConnectionPinning | undefined): void {
  if (!pinning) return;
  app.addHook('onRequest', (request, reply, done) => {
    if (READS.has(request.method)) return done();
    let release: () => void = () => {};
    // The handed-back connection returns to the pool once the answer is sent or the client left.
    reply.raw.once('close', () => release());
    release = pinning.enter(() => done());
  });
}
