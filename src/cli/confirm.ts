import { createInterface } from 'node:readline/promises';
import type { Config } from '../config/config.js';

/**
 * `dateline demo --reset` deletes every article, picture and section. Ask first (or take
 * `--yes`); without a terminal to ask on, refuse rather than guess.
 */
export async function confirmDemoReset(
  config: Pick<Config, 'databaseUrl'>,
  yes: boolean,
  say: (message: string) => void,
  io: { input: NodeJS.ReadableStream & { isTTY?: boolean }; output: NodeJS.WritableStream } = { input: process.stdin, output: process.stdout },
): Promise<boolean> {
  if (yes) return true;
  const where = config.databaseUrl.replace(/\/\/[^@/]*@/, '//');
  if (!io.input.isTTY) {
    say(`"dateline demo --reset" deletes every article, picture, section and tag in ${where}. Run it again with --yes to confirm.`);
    process.exitCode = 1;
    return false;
  }
  const rl = createInterface({ input: io.input, output: io.output });
  try {
    const answer = await rl.question(`This deletes every article, picture, section and tag in ${where} and loads the demo newsroom. Continue? [y/N] `);
    if (/^y(es)?$/i.test(answer.trim())) return true;
    say('Nothing was changed.');
    return false;
  } finally {
    rl.close();
  }
}
