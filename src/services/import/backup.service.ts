import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { mediaTypeOf } from '../../domain/import-draft.js';
import type { MediaStore } from '../../storage/media-store.js';

/** `backup.json`: which engine wrote the backup and what it holds. */
export interface BackupManifest {
  format: 'dateline-backup';
  version: 1;
  engine: 'sqlite' | 'postgres';
  createdAt: string;
  database: string;
  media: number;
}

function sqliteFile(url: string): string {
  const rest = url.slice('sqlite:'.length);
  if (rest === ':memory:') throw new Error('an in-memory database cannot be backed up or restored');
  return resolve(rest.replace(/^\/\/(?=\/)/, ''));
}

/** pg_dump/pg_restore take the URL without our `options` parameter; a `search_path` there names the schema. */
function pgTarget(url: string): { url: string; schema: string | null } {
  const u = new URL(url);
  const schema = /search_path=([\w]+)/.exec(u.searchParams.get('options') ?? '')?.[1] ?? null;
  u.searchParams.delete('options');
  return { url: u.toString(), schema };
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (err) => reject(new Error(`${command} could not be started (${err.message}); install the PostgreSQL client tools (apt-get install -y postgresql-client)`)));
    child.on('close', (code) => (code === 0 ? resolvePromise() : reject(new Error(`${command} failed (exit ${code}): ${stderr.trim().slice(0, 500)}`))));
  });
}

/**
 * Consistent online backups while the site serves: SQLite through its online backup
 * API (pages copied from a read snapshot, writers are not blocked), PostgreSQL with
 * `pg_dump` (one repeatable-read snapshot), plus every media file.
 */
export class BackupService {
  constructor(
    private readonly databaseUrl: string,
    private readonly store: MediaStore,
  ) {}

  async backup(dir: string): Promise<BackupManifest> {
    await mkdir(dir, { recursive: true });
    let engine: BackupManifest['engine'];
    let database: string;
    if (this.databaseUrl.startsWith('sqlite:')) {
      engine = 'sqlite';
      database = 'dateline.db';
      const source = new BetterSqlite3(sqliteFile(this.databaseUrl), { readonly: true, fileMustExist: true });
      try {
        await source.backup(join(dir, database));
      } finally {
        source.close();
      }
    } else {
      engine = 'postgres';
      database = 'dateline.pgdump';
      const target = pgTarget(this.databaseUrl);
      const args = ['--format=custom', '--no-owner', ...(target.schema ? [`--schema=${target.schema}`] : []), `--file=${join(dir, database)}`, target.url];
      // pg_dump can trip over DDL other sessions run at that moment (a dropped table's
      // catalog entry); its snapshot is consistent once it starts, so trying again is safe.
      for (let attempt = 1; ; attempt++) {
        try {
          await run('pg_dump', args);
          break;
        } catch (err) {
          if (attempt >= 3) throw err;
        }
      }
    }
    let media = 0;
    for (const key of await this.store.list()) {
      const path = join(dir, 'media', key);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, await this.store.read(key));
      media++;
    }
    const manifest: BackupManifest = { format: 'dateline-backup', version: 1, engine, createdAt: new Date().toISOString(), database, media };
    await writeFile(join(dir, 'backup.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    return manifest;
  }

  /** Brings a backup back into an empty instance (no database file / an empty database or schema). */
  async restore(dir: string): Promise<BackupManifest> {
    let manifest: BackupManifest;
    try {
      manifest = JSON.parse(await readFile(join(dir, 'backup.json'), 'utf8')) as BackupManifest;
    } catch {
      throw new Error(`${dir} is not a Dateline backup: backup.json is missing or not JSON`);
    }
    const engine = this.databaseUrl.startsWith('sqlite:') ? 'sqlite' : 'postgres';
    if (manifest.engine !== engine) throw new Error(`the backup is of a ${manifest.engine} database, but DATABASE_URL names ${engine}; use "dateline export" / "dateline import dateline" to move between engines`);
    if (engine === 'sqlite') {
      const file = sqliteFile(this.databaseUrl);
      if (existsSync(file)) throw new Error(`${file} already exists: restore into an empty instance (move the old file away first)`);
      await mkdir(dirname(file), { recursive: true });
      const source = new BetterSqlite3(join(dir, manifest.database), { readonly: true, fileMustExist: true });
      try {
        await source.backup(file);
      } finally {
        source.close();
      }
    } else {
      const target = pgTarget(this.databaseUrl);
      await run('pg_restore', ['--no-owner', '--exit-on-error', `--dbname=${target.url}`, join(dir, manifest.database)]);
    }
    for await (const key of walk(join(dir, 'media'), '')) {
      await this.store.put(key, await readFile(join(dir, 'media', key)), mediaTypeOf(key)?.mime ?? 'application/octet-stream');
    }
    return manifest;
  }
}

async function* walk(root: string, prefix: string): AsyncGenerator<string> {
  let entries;
  try {
    entries = await readdir(join(root, prefix), { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) yield* walk(root, rel);
    else yield rel;
  }
}
