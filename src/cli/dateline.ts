#!/usr/bin/env node
/**
 * The `dateline` command's entry point. `help` answers from a tiny module; every other
 * command loads the server (`main.ts`), which takes most of a second of module loading.
 */
const argv = process.argv.slice(2);
if (argv[0] === 'help' || argv.includes('--help') || argv.includes('-h')) {
  const { HELP } = await import('./help.js');
  process.stdout.write(`${HELP}\n`);
} else {
  // The built server in one file where the build made it (scripts/bundle-server.mjs: a
  // start loads one module instead of ~800); from sources (tsx), the modules themselves.
  const [{ existsSync }, { fileURLToPath }] = await Promise.all([import('node:fs'), import('node:url')]);
  const bundle = new URL('./main.bundle.js', import.meta.url);
  await import(existsSync(fileURLToPath(bundle)) ? bundle.href : './main.js');
}
