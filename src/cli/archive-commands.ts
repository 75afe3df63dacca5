import type { Config } from '../config/config.js';
import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrator.js';
import { createServices } from '../services/index.js';
import { IMPORT_USAGE, importCommand } from './import-command.js';

/** Commands that move archives in and out: import (export, backup, restore follow the same shape). */
export const ARCHIVE_COMMANDS = new Set(['import']);

export const ARCHIVE_USAGE = IMPORT_USAGE;

export async function archiveCommand(argv: string[], config: Config, say: (m: string) => void): Promise<void> {
  const [command, ...rest] = argv;
  const handle = openDatabase(config.databaseUrl);
  let code = 0;
  try {
    await migrateToLatest(handle);
    const services = createServices(handle, config, { warn: (m) => say(`warning: ${m}`) });
    if (command === 'import') code = await importCommand(rest, config, services, say);
  } finally {
    await handle.close();
  }
  if (code) process.exitCode = code;
}
