import { readFile, stat } from 'node:fs/promises';
import type { Transaction } from 'kysely';
import { sharp } from '../sharp.js';
import type { ImportMedia } from '../../domain/import-draft.js';
import type { ImportRepository } from '../../db/repositories/import.repository.js';
import type { Database } from '../../db/schema.js';
import { JobName } from '../../jobs/job-names.js';
import type { JobQueue } from '../../jobs/job-queue.js';
import type { MediaStore } from '../../storage/media-store.js';

/**
 * Media an import names keep their old storage keys, so old links keep working. Bytes
 * found on local disk are copied into the store and images get renditions (a job);
 * otherwise the row is a reference to the old path (`state = none`).
 */
export class ImportMediaWriter {
  constructor(
    private readonly imports: ImportRepository,
    private readonly store: MediaStore,
    private readonly jobs: JobQueue,
  ) {}

  async ensure(media: ImportMedia, now: number, trx: Transaction<Database>, options: { dryRun: boolean; notes: string[] }): Promise<number> {
    let width: number | null = null;
    let height: number | null = null;
    let bytes = 0;
    let copied = false;
    if (media.localPath && (await isFile(media.localPath))) {
      const data = await readFile(media.localPath);
      bytes = data.length;
      if (media.kind === 'image') {
        try {
          const meta = await sharp(data).metadata();
          width = meta.width ?? null;
          height = meta.height ?? null;
        } catch {
          options.notes.push(`media ${media.key}: not a readable image, kept as a file without renditions`);
        }
      }
      if (!options.dryRun && !(await this.store.exists(media.key))) await this.store.put(media.key, data, media.mime);
      copied = true;
    }
    const id = await this.imports.upsertMedia(
      {
        kind: media.kind,
        storage_key: media.key,
        mime: media.mime,
        width,
        height,
        duration_ms: null,
        poster_key: null,
        alt: media.alt ?? '',
        caption: media.caption ?? '',
        credit: media.credit ?? '',
        created_at: now,
        bytes,
        original_name: media.url ?? media.localPath ?? '',
        state: copied && width && height ? 'processing' : 'none',
      },
      trx,
    );
    if (copied && width && height && !options.dryRun) {
      await this.jobs.enqueue(JobName.MediaRenditions, { mediaId: id }, { key: `renditions:${id}` }, trx);
    }
    return id;
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
