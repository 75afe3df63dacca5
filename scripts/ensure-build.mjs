#!/usr/bin/env node
// Builds dist/ only when it is missing or a source is newer than the last build, so
// `npm start` and `npm run dateline` start in a second instead of rebuilding every time.
// `npm ci`/`npm install` build once through the `prepare` script.
//
// Usage: node scripts/ensure-build.mjs            build if stale, then exit
//        node scripts/ensure-build.mjs --check    exit 1 if a build is needed (no build)
//        node scripts/ensure-build.mjs --stamp    record that dist/ is fresh (after `npm run build`)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const STAMP = join(root, 'dist', '.build-stamp');
/** Everything the build reads: server sources, the app, build configuration. */
const INPUTS = ['src', 'admin', 'tsconfig.json', 'package.json', 'scripts/copy-assets.mjs', 'scripts/bundle-server.mjs'];

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry.name)));
  }
  return newest;
}

export function buildIsStale() {
  if (!existsSync(STAMP) || !existsSync(join(root, 'dist', 'cli', 'main.js')) || !existsSync(join(root, 'dist', 'cli', 'main.bundle.js'))) return true;
  const built = statSync(STAMP).mtimeMs;
  return INPUTS.some((p) => newestMtime(join(root, p)) > built);
}

function stamp() {
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
}

const arg = process.argv[2];
if (arg === '--check') {
  process.exit(buildIsStale() ? 1 : 0);
} else if (arg === '--stamp') {
  stamp();
} else if (buildIsStale()) {
  process.stderr.write('Sources changed since the last build: building (once)…\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
