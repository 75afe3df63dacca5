/**
 * Preload for `bench:soak` with SOAK_TRACE=1 (`node --import ./bench/statement-trace.mjs`):
 * appends one line per PostgreSQL statement the server's main thread runs — when it
 * ended (epoch ms), how long from the call to the answer as the caller saw it (ms), and
 * the statement's first word — to STATEMENT_TRACE_FILE. The time includes the event-loop
 * turns the answer waited for, which is what the soak's editor pays per statement.
 */
import { createWriteStream } from 'node:fs';
import { isMainThread } from 'node:worker_threads';
import pg from 'pg';

const file = process.env.STATEMENT_TRACE_FILE;
if (file && isMainThread) {
  const out = createWriteStream(file, { flags: 'a' });
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function traced(text, values, callback) {
    const started = performance.now();
    const result = query.call(this, text, values, callback);
    if (typeof text !== 'string' || typeof callback === 'function' || !result || typeof result.then !== 'function') return result;
    const verb = /^\s*(\w+)/.exec(text)?.[1]?.toLowerCase() ?? '?';
    const done = () => out.write(`${Date.now()} ${(performance.now() - started).toFixed(3)} ${verb}\n`);
    result.then(done, done);
    return result;
  };
}
