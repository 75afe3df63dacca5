/**
 * One reader process for `npm run bench:live` (forked by bench/live.bench.ts): holds its
 * share of the bare SSE readers and, for each post, reports when each reader had it, on
 * the wall clock the poster uses too (performance.timeOrigin + performance.now()).
 */
import { connect, type Socket } from 'node:net';

const now = () => performance.timeOrigin + performance.now();
const send = (m: unknown) => process.send!(m);

/** A bare SSE reader: one socket, scanning for the marker of the entry it waits for. */
class Reader {
  readonly socket: Socket;
  waiting: Buffer | null = null;
  gotAt = 0;
  /** The end of the last chunk: a marker may straddle two. */
  private tail: Buffer = Buffer.alloc(0);
  constructor(port: number, path: string, onOpen: () => void, onDone: () => void) {
    this.socket = connect(port, '127.0.0.1', () => {
      this.socket.write(`GET ${path} HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\n\r\n`);
      onOpen();
    });
    this.socket.on('data', (chunk: Buffer) => {
      const marker = this.waiting;
      if (!marker) return;
      const text = this.tail.length ? Buffer.concat([this.tail, chunk]) : chunk;
      if (text.includes(marker)) {
        this.gotAt = now();
        this.waiting = null;
        this.tail = Buffer.alloc(0);
        onDone();
      } else this.tail = text.subarray(Math.max(0, text.length - marker.length));
    });
    this.socket.on('error', () => undefined);
  }
}

let readers: Reader[] = [];
let left = 0;
let report: (() => void) | null = null;

process.on('message', async (m: { cmd: string; ports?: number[]; path?: string; count?: number; marker?: string }) => {
  if (m.cmd === 'open') {
    const ports = m.ports!;
    // In batches, so the servers' accept queues keep up.
    for (let i = 0; i < m.count!; i += 250) {
      const batch = Math.min(250, m.count! - i);
      await new Promise<void>((resolve) => {
        let open = 0;
        for (let j = 0; j < batch; j++) readers.push(new Reader(ports[(i + j) % ports.length]!, m.path!, () => ++open === batch && resolve(), () => --left === 0 && report?.()));
      });
    }
    send({ cmd: 'opened' });
  } else if (m.cmd === 'expect') {
    const marker = Buffer.from(m.marker!);
    left = readers.length;
    for (const r of readers) (r.waiting = marker), (r.gotAt = 0);
    const timer = setTimeout(() => report?.(), 10_000);
    report = () => {
      clearTimeout(timer);
      report = null;
      send({ cmd: 'times', times: readers.map((r) => r.gotAt) });
    };
    send({ cmd: 'armed' });
  } else if (m.cmd === 'close') {
    for (const r of readers) r.socket.destroy();
    readers = [];
    send({ cmd: 'closed' });
  }
});
send({ cmd: 'ready' });
