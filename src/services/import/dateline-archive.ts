import { createWriteStream } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { createReadStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { ARCHIVE_TABLES, type ArchiveRepository } from '../../db/repositories/archive.repository.js';
import type { ImportRepository } from '../../db/repositories/import.repository.js';
import { DomainError } from '../../domain/errors.js';
import { text } from '../../site/i18n.js';
import { mediaTypeOf } from '../../domain/import-draft.js';
import type { MediaStore } from '../../storage/media-store.js';
import type { Clock } from '../clock.js';
import type { SearchService } from '../search.service.js';

/** `manifest.json` of an export: what the archive holds and in which format version. */
export interface ArchiveManifest {
  format: 'dateline-archive';
  version: 1;
  exportedAt: string;
  tables: Record<string, number>;
  media: number;
}

export const ARCHIVE_VERSION = 1;
const PAGE = 1000;

/**
 * `dateline export` / `dateline import dateline`: every content table as JSON lines
 * (`tables/<name>.jsonl`, one row per line, columns as stored) plus every media file
 * under `media/<key>`, and a manifest. Restoring into an empty instance reproduces the
 * same ids, times and sort numbers, so pages and API answers come out byte-identical.
 */
export class DatelineArchive {
  constructor(
    private readonly archive: ArchiveRepository,
    private readonly imports: ImportRepository,
    private readonly store: MediaStore,
    private readonly search: SearchService,
    private readonly clock: Clock,
  ) {}

  async export(dir: string, progress?: (table: string, rows: number) => void): Promise<ArchiveManifest> {
    await mkdir(join(dir, 'tables'), { recursive: true });
    const tables: Record<string, number> = {};
    for (const { name } of ARCHIVE_TABLES) {
      const out = createWriteStream(join(dir, 'tables', `${name}.jsonl`));
      let rows = 0;
      for (let offset = 0; ; offset += PAGE) {
        const page = await this.archive.page(name, offset, PAGE);
        for (const row of page) {
          // Passwords never leave the instance: restored accounts are invited to set one.
          if (name === 'users') row.password_hash = null;
          if (!out.write(`${JSON.stringify(row)}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
        }
        rows += page.length;
        progress?.(name, rows);
        if (page.length < PAGE) break;
      }
      await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
      tables[name] = rows;
    }
    let media = 0;
    for (const key of await this.store.list()) {
      const target = join(dir, 'media', key);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, await this.store.read(key));
      media++;
    }
    const manifest: ArchiveManifest = { format: 'dateline-archive', version: ARCHIVE_VERSION, exportedAt: new Date(this.clock()).toISOString(), tables, media };
    await writeFile(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    return manifest;
  }

  async import(dir: string, progress?: (table: string, rows: number) => void): Promise<ArchiveManifest> {
    let manifest: ArchiveManifest;
    try {
      manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as ArchiveManifest;
    } catch {
      throw new DomainError('VALIDATION_FAILED', text('archiveNotExport', { dir }));
    }
    if (manifest.format !== 'dateline-archive' || manifest.version !== ARCHIVE_VERSION) {
      throw new DomainError('VALIDATION_FAILED', text('archiveVersion', { dir, format: String(manifest.format), version: String(manifest.version), supported: String(ARCHIVE_VERSION) }));
    }
    if (await this.archive.hasContent()) throw new DomainError('CONFLICT', text('archiveNotEmpty'));
    for (const { name } of ARCHIVE_TABLES) {
      const lines = createInterface({ input: createReadStream(join(dir, 'tables', `${name}.jsonl`)), crlfDelay: Infinity });
      let batch: Record<string, unknown>[] = [];
      let rows = 0;
      for await (const line of lines) {
        if (!line.trim()) continue;
        batch.push(JSON.parse(line) as Record<string, unknown>);
        if (batch.length >= PAGE) {
          await this.archive.insert(name, batch);
          rows += batch.length;
          batch = [];
          progress?.(name, rows);
        }
      }
      await this.archive.insert(name, batch);
      progress?.(name, rows + batch.length);
    }
    await this.imports.syncIdSequences();
    const mediaDir = join(dir, 'media');
    for await (const key of walk(mediaDir, '')) {
      await this.store.put(key, await readFile(join(mediaDir, key)), mediaTypeOf(key)?.mime ?? 'application/octet-stream');
    }
    await this.search.reindex(() => {});
    return manifest;
  }
}

async function* walk(root: string, prefix: string): AsyncGenerator<string> {
  const { readdir } = await import('node:fs/promises');
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
