import type { Config } from '../config/config.js';
import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrator.js';
import { createMediaStore, createServices } from '../services/index.js';
import { BackupService } from '../services/import/backup.service.js';
import { importCommand } from './import-command.js';

/** Commands that move archives in and out. */
export const ARCHIVE_COMMANDS = new Set(['import', 'export', 'backup', 'restore']);

export async function archiveCommand(argv: string[], config: Config, say: (m: string) => void): Promise<void> {
  const [command, ...rest] = argv;
  const dir = rest.find((a) => !a.startsWith('--'));
  if (command === 'restore') {
    if (!dir) throw new Error('Name the backup folder: dateline restore <dir>');
    const manifest = await new BackupService(config.databaseUrl, createMediaStore(config)).restore(dir);
    say(`Restored the ${manifest.engine} backup of ${manifest.createdAt} with ${manifest.media} media file(s).`);
    return;
  }
  const handle = openDatabase(config.databaseUrl);
  let code = 0;
  try {
    await migrateToLatest(handle);
    const services = createServices(handle, config, { warn: (m) => say(`warning: ${m}`) });
    if (command === 'import' && rest[0] === 'dateline') {
      if (!rest[1]) throw new Error('Name the export folder: dateline import dateline <dir>');
      const manifest = await services.archive.import(rest[1], (table, rows) => process.stderr.write(`\r ${table}: ${rows} rows   `));
      process.stderr.write('\n');
      say(`Imported ${Object.entries(manifest.tables).map(([t, n]) => `${n} ${t}`).join(', ')} and ${manifest.media} media file(s).`);
    } else if (command === 'import') code = await importCommand(rest, config, services, say);
    else if (command === 'export') {
      if (!dir) throw new Error('Name a folder to write: dateline export <dir>');
      const manifest = await services.archive.export(dir, (table, rows) => process.stderr.write(`\r ${table}: ${rows} rows   `));
      process.stderr.write('\n');
      say(`Exported ${manifest.tables.articles} articles and ${manifest.media} media file(s) to ${dir} (format version ${manifest.version}).`);
    } else if (command === 'backup') {
      if (!dir) throw new Error('Name a folder to write: dateline backup <dir>');
      const manifest = await new BackupService(config.databaseUrl, services.mediaStore).backup(dir);
      say(`Backed up the ${manifest.engine} database and ${manifest.media} media file(s) to ${dir}.`);
    }
  } finally {
    await handle.close();
  }
  if (code) process.exitCode = code;
}
