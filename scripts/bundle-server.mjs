#!/usr/bin/env node
// Bundles the built server (dist/cli/main.js and every dist module it imports, with kysely
// and TypeBox) into dist/cli/main.bundle.js, which `dateline` and `npm start` run when it
// exists (issue 14: start to serving < 2 s). Loading ~870 ES modules one file at a time was
// the largest part of a start: kysely is 266 files, TypeBox 200, the server 301. Every other
// package stays external (CommonJS ones, native ones, and the ones loaded on first use).
//
// Each module keeps its own `import.meta.url` (rewritten to the URL of its file in dist/), so
// what it reads or starts beside itself (stylesheets, messages, worker threads, createRequire)
// resolves exactly as unbundled; those files stay in dist/.
//
// Usage: node scripts/bundle-server.mjs [--outfile path]
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const { values } = parseArgs({ options: { outfile: { type: 'string', default: join(dist, 'cli', 'main.bundle.js') } } });
const outdir = dirname(values.outfile);

/** ES-module packages of hundreds of small files each: the ones worth bundling. */
const BUNDLED_PACKAGES = ['kysely', '@sinclair/typebox'];
const packageOf = (specifier) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

const keepModuleUrls = {
  name: 'dateline-module-urls',
  setup(b) {
    // Bare specifiers: bundled if listed, else left to Node at run time.
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.kind === 'entry-point' || args.path.startsWith('node:')) return undefined;
      return BUNDLED_PACKAGES.includes(packageOf(args.path)) ? undefined : { path: args.path, external: true };
    });
    b.onLoad({ filter: /\.js$/ }, async (args) => {
      if (!args.path.startsWith(dist + sep)) return undefined;
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return { contents: source, loader: 'js' };
      let own = relative(outdir, args.path).split(sep).join('/');
      if (!own.startsWith('.')) own = `./${own}`;
      return { contents: source.replaceAll('import.meta.url', `new URL(${JSON.stringify(own)}, import.meta.url).href`), loader: 'js' };
    });
  },
};

const result = await build({
  entryPoints: [join(dist, 'cli', 'main.js')],
  outfile: values.outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
  plugins: [keepModuleUrls],
});
const inputs = Object.keys(result.metafile.inputs).length;
process.stderr.write(`Bundled the server: ${inputs} modules in ${relative(root, values.outfile)}\n`);
