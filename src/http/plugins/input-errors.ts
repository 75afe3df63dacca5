import { STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { DomainError } from '../../domain/errors.js';
import { text } from '../../site/i18n.js';
import { MAX_JSON_BODY_BYTES } from '../../domain/limits.js';

/**
 * PostgreSQL SQLSTATEs that input alone can cause (class 22 "data exception": NUL in
 * text 22021, bad number text 22P02, out of range 22003, too long 22001, bad date
 * 22007/22008; 54000 program limit, e.g. an over-long search term). Mapped to 400,
 * never 500, in case a value slips past the edge checks.
 */
const PG_INPUT_STATES = /^(22\w{3}|54000)$/;
/** SQLite result codes caused by values, not by our SQL. */
const SQLITE_INPUT_CODES = new Set(['SQLITE_MISMATCH', 'SQLITE_TOOBIG']);

/** The domain error a driver or body-parser error stands for, when it was caused by the request's input; else null. */
export function inputErrorOf(err: unknown): DomainError | null {
  if (!err || typeof err !== 'object' || err instanceof DomainError) return null;
  const e = err as { code?: unknown; severity?: unknown; routine?: unknown; statusCode?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  if (PG_INPUT_STATES.test(code) && (typeof e.severity === 'string' || typeof e.routine === 'string')) {
    return new DomainError('BAD_REQUEST', text('dbInputValue'));
  }
  if (SQLITE_INPUT_CODES.has(code)) {
    return new DomainError('BAD_REQUEST', text('dbInputType'));
  }
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new DomainError('PAYLOAD_TOO_LARGE', text('bodyTooLarge', { max: MAX_JSON_BODY_BYTES }));
  }
  return null;
}

function problemResponse(status: number, code: string, detail: string): string {
  const body = JSON.stringify({ type: 'about:blank', title: STATUS_CODES[status] ?? 'Error', status, detail, code, instance: '', requestId: '' });
  return (
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
    `Content-Type: application/problem+json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
    `Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`
  );
}

/**
 * Fastify's clientErrorHandler: errors Node's HTTP parser raises before any route runs
 * (oversized headers, a malformed request line, a request that took too long) answer
 * problem+json like everything else, then the connection closes.
 */
export function problemClientErrorHandler(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  let response: string;
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    response = problemResponse(408, 'REQUEST_TIMEOUT', 'The request was not received in time.');
  } else if (err.code === 'HPE_HEADER_OVERFLOW') {
    response = problemResponse(431, 'HEADERS_TOO_LARGE', 'The request headers are larger than the server accepts.');
  } else if (err.code === 'HPE_URI_TOO_LONG') {
    response = problemResponse(414, 'URI_TOO_LONG', 'The request target is longer than the server accepts.');
  } else {
    response = problemResponse(400, 'BAD_REQUEST', 'The request is not valid HTTP.');
  }
  if (!socket.writable) return void socket.destroy();
  socket.end(response);
  setTimeout(() => socket.destroy(), 1000).unref();
}

/**
 * The two refusals Node's HTTP server makes on its own, outside clientErrorHandler:
 * a CONNECT request (its connection was dropped without a word) and an HTTP/1.1
 * request without Host (a bare 400 with no body). Both answer problem+json now.
 */
export function registerHttpServerEdges(app: FastifyInstance): void {
  const server = app.server as Server & { requireHostHeader?: boolean };
  server.on('connect', (_req: IncomingMessage, socket: Socket) => {
    socket.on('error', () => {});
    socket.end(problemResponse(405, 'METHOD_NOT_ALLOWED', 'CONNECT is not supported: this server is not a proxy.'));
    setTimeout(() => socket.destroy(), 1000).unref();
  });
  // Checked here instead, so the refusal is problem+json like every other.
  server.requireHostHeader = false;
  app.addHook('onRequest', async (request, reply) => {
    if (request.raw.httpVersion !== '1.1' || request.headers.host) return;
    // A protocol refusal, like the parser's: problem+json on every path, not the site's HTML error page.
    const detail = 'The request has no Host header; HTTP/1.1 requires one.';
    return reply
      .code(400)
      .header('connection', 'close')
      .type('application/problem+json; charset=utf-8')
      .send({ type: 'about:blank', title: 'Bad request', status: 400, detail, code: 'BAD_REQUEST', instance: request.url, requestId: request.id });
  });
}
