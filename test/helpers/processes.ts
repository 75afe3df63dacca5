import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { freePort } from './redis-server.js';

/** One `dateline serve` OS process, its port and what it printed (pino JSON lines and notices). */
export interface ServeProcess {
  name: string;
  base: string;
  child: ChildProcess;
  lines: string[];
  exited: Promise<number | null>;
}

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

/** Starts `dateline serve` from the sources on a free loopback port and waits for /healthz. */
export async function startServe(name: string, env: NodeJS.ProcessEnv, args: string[] = []): Promise<ServeProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', ...args], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DEMO_CONTENT: 'off', LOG_LEVEL: 'info', REQUEST_LOG: 'off', SHUTDOWN_TIMEOUT_SECONDS: '10', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const lines: string[] = [];
  let partial = '';
  const take = (chunk: Buffer) => {
    const parts = (partial + chunk.toString('utf8')).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
  };
  child.stdout!.on('data', take);
  child.stderr!.on('data', take);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`${name} exited at start:\n${lines.join('\n')}`);
    try {
      const res = await fetch(`${base}/healthz`);
      await res.arrayBuffer();
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (i > 600) {
      child.kill('SIGKILL');
      throw new Error(`${name} did not start within 60 s:\n${lines.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { name, base, child, lines, exited };
}

/**
 * Starts several processes at once; if one fails to start, the others are stopped before
 * the error is thrown (a process left running would keep the test file from ever ending).
 */
export async function startServes<T extends Promise<ServeProcess>[]>(starts: [...T]): Promise<{ [K in keyof T]: ServeProcess }> {
  const settled = await Promise.allSettled(starts);
  const failure = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (!failure) return settled.map((r) => (r as PromiseFulfilledResult<ServeProcess>).value) as { [K in keyof T]: ServeProcess };
  await Promise.all(settled.map((r) => (r.status === 'fulfilled' ? ensureStopped(r.value) : undefined)));
  throw failure.reason;
}

/** Kills the process if it still runs (test clean-up). */
export async function ensureStopped(p: ServeProcess | undefined): Promise<void> {
  if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill('SIGKILL');
  await p.exited;
}

/**
 * A TCP proxy on loopback that the test can cut (every open connection dropped, new
 * ones refused at once) and restore, to make a server "unreachable" to the app without
 * touching the server itself.
 */
export class TcpProxy {
  private readonly sockets = new Set<Socket>();
  private open = true;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(targetHost: string, targetPort: number): Promise<TcpProxy> {
    const port = await freePort();
    let proxy: TcpProxy;
    const server = createServer((client) => {
      if (!proxy.open) return void client.destroy();
      const upstream = connect(targetPort, targetHost);
      for (const s of [client, upstream]) {
        proxy.sockets.add(s);
        s.on('error', () => undefined);
        s.on('close', () => {
          proxy.sockets.delete(s);
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
    proxy = new TcpProxy(server, port);
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return proxy;
  }

  cut(): void {
    this.open = false;
    for (const s of this.sockets) s.destroy();
  }

  restore(): void {
    this.open = true;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise((r) => this.server.close(r));
  }
}
