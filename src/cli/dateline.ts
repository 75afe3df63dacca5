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
  await import('./main.js');
}
