#!/usr/bin/env node
// Start-up figures: `dateline help`, and a restart of `npm start` on a demo database
// until the home page answers. Usage: npm run bench:start
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const RUNS = 5;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const ensure = spawnSync(process.execPath, ['scripts/ensure-build.mjs'], { stdio: 'inherit' });
if (ensure.status !== 0) process.exit(1);

const help = [];
for (let i = 0; i < RUNS; i++) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['dist/cli/dateline.js', 'help'], { encoding: 'utf8' });
  help.push(performance.now() - t0);
  if (!r.stdout.includes('Usage: dateline')) throw new Error('help printed nothing');
}

const data = mkdtempSync(join(tmpdir(), 'dateline-start-'));
const port = 30000 + Math.floor(Math.random() * 20000);
const env = { ...process.env, PORT: String(port), DATA_DIR: data, REQUEST_LOG: 'off', LOG_LEVEL: 'warn' };

/** Starts the server the way `npm start` does after install, returns ms until `/` answers 200. */
async function startOnce() {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['scripts/ensure-build.mjs'], { env, stdio: 'ignore' });
  await new Promise((r) => child.on('exit', r));
  const server = spawn(process.execPath, ['dist/cli/dateline.js', 'serve'], { env, stdio: 'ignore' });
  try {
    for (;;) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/`);
        if (res.status === 200) return performance.now() - t0;
      } catch {
        // not listening yet
      }
      if (performance.now() - t0 > 600_000) throw new Error('the server did not start in 10 minutes');
      await new Promise((r) => setTimeout(r, 25));
    }
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.on('exit', r));
  }
}

try {
  const first = await startOnce();
  const restarts = [];
  for (let i = 0; i < RUNS; i++) restarts.push(await startOnce());
  console.log(`dateline help:                 median ${median(help).toFixed(0)} ms (${help.map((x) => x.toFixed(0)).join(', ')})`);
  console.log(`first start (loads the demo):  ${(first / 1000).toFixed(1)} s`);
  console.log(`restart on the demo database:  median ${median(restarts).toFixed(0)} ms to the first 200 on / (${restarts.map((x) => x.toFixed(0)).join(', ')})`);
} finally {
  rmSync(data, { recursive: true, force: true });
}
