import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/databases.js';
import { bodyOf, rawExchange, statusOf } from './raw-http.js';

/**
 * Issue 10 item 3, the HTTP layer below the routes: requests Node's parser or Fastify's
 * router refuse (bad request lines, framing, methods, targets) get a 4xx with a
 * problem+json body naming the problem, never a 5xx, a bare text/plain or silence.
 */
const CASES: [string, string][] = [
  ['unknown method', 'FOO / HTTP/1.1\r\nHost: x\r\n\r\n'],
  ['lower-case method', 'get / HTTP/1.1\r\nHost: x\r\n\r\n'],
  ['HTTP/2 preface on HTTP/1.1', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'],
  ['asterisk-form target', 'OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n'],
  ['CONNECT', 'CONNECT news.test:443 HTTP/1.1\r\nHost: news.test:443\r\n\r\n'],
  ['absolute-form target for another host', 'GET http://evil.test/api/v1/articles HTTP/1.1\r\nHost: x\r\n\r\n'],
  ['bad percent-encoding in the path', 'GET /api/v1/articles/%ZZ HTTP/1.1\r\nHost: x\r\n\r\n'],
  ['bad percent-encoding in the query', 'GET /api/v1/articles?limit=%E0%A4%A HTTP/1.1\r\nHost: x\r\n\r\n'],
  ['target without a leading slash', 'GET api/v1/articles HTTP/1.1\r\nHost: x\r\n\r\n'],
  ['unsupported HTTP version', 'GET / HTTP/3.0\r\nHost: x\r\n\r\n'],
  ['no Host header on HTTP/1.1', 'GET / HTTP/1.1\r\n\r\n'],
  ['header without a colon', 'GET / HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n'],
  ['obsolete header folding', 'GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n folded\r\n\r\n'],
  ['space before the header colon', 'GET / HTTP/1.1\r\nHost : x\r\n\r\n'],
  ['Content-Length and Transfer-Encoding', 'POST /api/admin/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'],
  ['two different Content-Lengths', 'POST /api/admin/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}'],
  ['negative Content-Length', 'POST /api/admin/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: -1\r\n\r\n'],
  ['Content-Length beyond 2^53', 'POST /api/admin/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 99999999999999999999\r\n\r\n'],
  ['bad chunk size', 'POST /api/admin/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n'],
  ['unknown transfer coding', 'POST /api/admin/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: gzip\r\n\r\n{}'],
  ['NUL in the target', 'GET /\u0000 HTTP/1.1\r\nHost: x\r\n\r\n'],
  ['control character in a header value', 'GET / HTTP/1.1\r\nHost: x\r\nX-A: a\u0001b\r\n\r\n'],
  ['bare LF line endings', 'GET / HTTP/1.1\nHost: x\n\n'],
  ['upgrade to an unknown protocol', 'GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n'],
  ['header name with a space', 'GET / HTTP/1.1\r\nHost: x\r\nX A: b\r\n\r\n'],
  ['request line of 20,000 characters', `GET /${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`],
  ['5,000 headers', `GET / HTTP/1.1\r\nHost: x\r\n${Array.from({ length: 5000 }, (_, i) => `X-H${i}: v`).join('\r\n')}\r\n\r\n`],
];

for (const engine of DIALECTS) {
  describe(`HTTP parser and router edge (${engine})`, () => {
    let t: TestApp;
    let port = 0;
    before(async () => {
      t = await createTestApp(engine);
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      port = (t.app.server.address() as AddressInfo).port;
    });
    after(async () => t?.cleanup());

    it('answers every malformed or unusual request with a non-5xx, and every refusal as problem+json', async () => {
      const failures: string[] = [];
      for (const [what, request] of CASES) {
        const res = await rawExchange(port, request);
        const status = statusOf(res.text);
        const head = res.text.slice(0, res.text.indexOf('\r\n\r\n'));
        if (status === 0) failures.push(`${what}: no answer (${res.closed ? 'closed' : 'open'} after ${res.ms} ms)`);
        else if (status >= 500) failures.push(`${what}: ${status} ${bodyOf(res.text).slice(0, 200)}`);
        // A target no route serves is the site's own 404 page (HTML), as for any unknown path.
        else if (status === 404 && what === 'asterisk-form target') continue;
        else if (status >= 400) {
          if (!/content-type: application\/problem\+json/i.test(head)) failures.push(`${what}: ${status} without problem+json: ${head.split('\r\n').find((l) => /^content-type/i.test(l)) ?? 'no content-type'}`);
          else {
            const body = JSON.parse(bodyOf(res.text)) as { status: number; detail: string };
            if (body.status !== status || !body.detail) failures.push(`${what}: problem body does not match: ${bodyOf(res.text).slice(0, 200)}`);
          }
        }
      }
      assert.deepEqual(failures, []);
    });
  });
}
