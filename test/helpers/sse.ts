import { request, type IncomingHttpHeaders } from 'node:http';

export interface SseEvent {
  id: string | null;
  event: string;
  data: string;
}

/** A Server-Sent Events reader over a real socket (inject cannot stream). */
export interface SseStream {
  status: number;
  headers: IncomingHttpHeaders;
  events: SseEvent[];
  /** Comment lines seen (heartbeats). */
  comments: number;
  /** Resolves when `n` events in all have arrived (rejects after `timeoutMs`). */
  waitFor(n: number, timeoutMs?: number): Promise<SseEvent[]>;
  close(): void;
}

export function openSse(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      const stream: SseStream = {
        status: res.statusCode ?? 0,
        headers: res.headers,
        events: [],
        comments: 0,
        waitFor(n, timeoutMs = 5000) {
          return new Promise((ok, fail) => {
            const started = Date.now();
            const check = () => {
              if (stream.events.length >= n) return ok(stream.events);
              if (Date.now() - started > timeoutMs) return fail(new Error(`waited ${timeoutMs} ms for ${n} events; got ${stream.events.length}: ${JSON.stringify(stream.events.map((e) => e.event))}`));
              setTimeout(check, 10);
            };
            check();
          });
        },
        close: () => req.destroy(),
      };
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const e: SseEvent = { id: null, event: 'message', data: '' };
          let any = false;
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) stream.comments++;
            else if (line.startsWith('id: ')) (e.id = line.slice(4)), (any = true);
            else if (line.startsWith('event: ')) (e.event = line.slice(7)), (any = true);
            else if (line.startsWith('data: ')) (e.data += line.slice(6)), (any = true);
          }
          if (any && e.id !== null) stream.events.push(e);
        }
      });
      res.on('error', () => undefined);
      resolve(stream);
    });
    req.on('error', reject);
    req.end();
  });
}
