import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DIALECTS, freshDatabaseUrl } from '../helpers/databases.js';
import { pngOf } from '../helpers/media-files.js';

/**
 * Issue 10 item 1/3: a server killed with SIGKILL in the middle of receiving an upload
 * leaves its work folder under DATA_DIR/tmp; the next start removes it before serving.
 * Real processes, a real socket, both engines.
 */
const PASSWORD = 'crash test password';

async function waitFor(check: () => boolean | Promise<boolean>, what: string, ms = 60_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

for (const engine of DIALECTS) {
  describe(`kill -9 during an upload (${engine})`, () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dateline-crash-'));
    const port = 30000 + Math.floor(Math.random() * 20000);
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', DEMO_CONTENT: 'off', LOG_LEVEL: 'silent', REQUEST_LOG: 'off' };
    let dropSchema = async (): Promise<void> => undefined;
    const children: ChildProcess[] = [];
    const tmp = join(dataDir, 'tmp');
    const entries = () => (existsSync(tmp) ? readdirSync(tmp) : []);

    const start = async (): Promise<ChildProcess> => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], { env, stdio: 'ignore' });
      children.push(child);
      await waitFor(async () => {
        if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
        return fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
      }, 'the server to start');
      return child;
    };

    after(async () => {
      for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
      await dropSchema();
    });

    it('leaves a work folder behind that the next start removes', { timeout: 180_000 }, async () => {
      const fresh = await freshDatabaseUrl(engine, dataDir, 'crash', 'dateline');
      dropSchema = fresh.drop;
      env.DATABASE_URL = fresh.url;
      execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'user', 'create', '--email', 'crash@news.test', '--name', 'Crash Editor', '--role', 'editor'], { env, input: `${PASSWORD}\n`, stdio: ['pipe', 'ignore', 'inherit'] });

      const first = await start();
      const login = await fetch(`http://127.0.0.1:${port}/api/admin/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'crash@news.test', password: PASSWORD }) });
      assert.equal(login.status, 200, await login.clone().text());
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
      const csrf = ((await login.json()) as { csrfToken: string }).csrfToken;

      // Half an upload: the server is receiving the file when it is killed.
      const part = Buffer.concat([Buffer.from('--crash\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n'), await pngOf(64, 48), Buffer.alloc(300_000, 7)]);
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(`POST /api/admin/media HTTP/1.1\r\nHost: x\r\nCookie: ${cookie}\r\nX-CSRF-Token: ${csrf}\r\nContent-Type: multipart/form-data; boundary=crash\r\nContent-Length: ${part.length + 1_000_000}\r\n\r\n`);
        socket.write(part);
      });
      socket.on('error', () => {});
      await waitFor(() => entries().some((e) => e.startsWith('upload-')), 'the upload folder');
      const exited = new Promise((r) => first.once('exit', r));
      first.kill('SIGKILL');
      await exited;
      socket.destroy();
      assert.ok(entries().some((e) => e.startsWith('upload-')), 'the killed process left its upload folder');

      const second = await start();
      assert.deepEqual(entries(), [], 'the restart swept what the killed process left');
      const stopped = new Promise((r) => second.once('exit', r));
      second.kill('SIGTERM');
      await stopped;
    });
  });
}
