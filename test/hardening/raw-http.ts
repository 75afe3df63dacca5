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
