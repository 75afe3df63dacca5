import { connect } from 'node:net';

/** Sends raw bytes to 127.0.0.1:port and resolves with everything the server answers before closing (or after `waitMs`). */
export function rawRequest(port: number, chunks: (string | Buffer)[], options: { waitMs?: number; keepOpen?: boolean } = {}): Promise<{ text: string; closed: boolean; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ text, closed: false, ms: Date.now() - started });
    }, options.waitMs ?? 10_000);
    socket.on('connect', () => {
      for (const c of chunks) socket.write(c);
      if (!options.keepOpen) socket.end();
    });
    socket.on('data', (d) => (text += d.toString('latin1')));
    socket.on('error', (err) => {
      if ((err as NodeJS.ErrnoException).code === 'ECONNRESET') return;
      clearTimeout(timer);
      reject(err);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ text, closed: true, ms: Date.now() - started });
    });
  });
}

export function statusOf(text: string): number {
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
}

export function bodyOf(text: string): string {
  return text.slice(text.indexOf('\r\n\r\n') + 4);
}

/** Sends one raw request on an open connection and resolves once its answer is complete (Content-Length body read, or the server closed). */
export function rawExchange(port: number, request: string | Buffer, waitMs = 5000): Promise<{ text: string; closed: boolean; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    let raw = Buffer.alloc(0);
    const done = (closed: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ text: raw.toString('latin1'), closed, ms: Date.now() - started });
    };
    const timer = setTimeout(() => done(false), waitMs);
    socket.on('connect', () => socket.write(request));
    socket.on('data', (d) => {
      raw = Buffer.concat([raw, d]);
      const text = raw.toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      if (end === -1) return;
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(text.slice(0, end));
      if (length && raw.length >= end + 4 + Number(length[1])) done(false);
    });
    socket.on('error', (err) => {
      if ((err as NodeJS.ErrnoException).code === 'ECONNRESET') return done(true);
      clearTimeout(timer);
      reject(err);
    });
    socket.on('close', () => done(true));
  });
}
