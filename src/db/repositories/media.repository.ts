import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Media } from '../../domain/article.js';
import type { Database, MediaTable, NewMediaRow } from '../schema.js';
import type { MediaRenditionTable } from '../schema/media-library.schema.js';

type Db = Kysely<Database> | Transaction<Database>;
export type MediaRenditionRow = Selectable<MediaRenditionTable>;

/** A library item: the domain media plus library-only facts. */
export interface MediaItem extends Media {
  mime: string;
  originalName: string;
  bytes: number;
  codecs: string;
  warnings: string[];
  createdAt: number;
}

export interface MediaUpdate {
  alt?: string;
  caption?: string;
  credit?: string;
  licence?: string;
  focal_x?: number;
  focal_y?: number;
  state?: 'none' | 'processing' | 'ready' | 'failed';
  rendition_version?: number;
  poster_key?: string | null;
  width?: number | null;
  height?: number | null;
  duration_ms?: number | null;
  codecs?: string;
  warnings_json?: string;
}

function itemFromRow(r: Selectable<MediaTable>): MediaItem {
  let warnings: string[] = [];
  try {
    warnings = JSON.parse(r.warnings_json) as string[];
  } catch {
    warnings = [];
  }
  return {
    id: r.id,
    kind: r.kind,
    key: r.storage_key,
    mime: r.mime,
    width: r.width,
    height: r.height,
    durationMs: r.duration_ms,
    posterKey: r.poster_key,
    alt: r.alt,
    caption: r.caption,
    credit: r.credit,
    licence: r.licence,
    focalX: Number(r.focal_x),
    focalY: Number(r.focal_y),
    renditionVersion: r.rendition_version,
    state: r.state,
    originalName: r.original_name,
    bytes: Number(r.bytes),
    codecs: r.codecs,
    warnings,
    createdAt: Number(r.created_at),
  };
}

/** Media records and their renditions (the bytes live in a MediaStore). */
export class MediaRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: NewMediaRow, trx: Db = this.db): Promise<number> {
    const r = await trx.insertInto('media').values(row).returning('id').executeTakeFirstOrThrow();
    return r.id;
  }

  async findById(id: number, trx: Db = this.db): Promise<MediaItem | null> {
    const r = await trx.selectFrom('media').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? itemFromRow(r) : null;
  }

  async update(id: number, changes: MediaUpdate, trx: Db = this.db): Promise<void> {
    if (Object.keys(changes).length === 0) return;
    await trx.updateTable('media').set(changes).where('id', '=', id).execute();
  }

  /** Newest first; `q` matches alt, caption, credit or the original file name. */
  async list(opts: { q?: string; kind?: 'image' | 'video'; limit: number; before?: { createdAt: number; id: number } }): Promise<MediaItem[]> {
    let q = this.db.selectFrom('media').selectAll();
    if (opts.kind) q = q.where('kind', '=', opts.kind);
    if (opts.q) {
      const like = `%${opts.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      q = q.where((eb) =>
        eb.or(
          (['alt', 'caption', 'credit', 'original_name'] as const).map((c) => eb(sql`lower(${sql.ref(c)})`, 'like', sql`${like} escape '\\'`)),
        ),
      );
    }
    const before = opts.before;
    if (before) q = q.where((eb) => eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(before.createdAt, before.id)));
    const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(opts.limit).execute();
    return rows.map(itemFromRow);
  }

  /** Articles using the item: as lead media, or inside their body. */
  async usage(item: { id: number; key: string; posterKey: string | null }, trx: Db = this.db) {
    const keyLike = `%/media/${item.key}%`;
    return trx
      .selectFrom('articles')
      .select(['id', 'headline', 'status'])
      .where((eb) => eb.or([eb('lead_media_id', '=', item.id), eb('body_html', 'like', keyLike)]))
      .orderBy('id', 'desc')
      .limit(500)
      .execute();
  }

  /** Live (published or scheduled) articles showing the item, with their authors: who may change it depends on them. */
  async liveUsage(item: { id: number; key: string }, trx: Db = this.db) {
    return trx
      .selectFrom('articles')
      .select(['id', 'headline', 'status', 'author_id'])
      .where('status', 'in', ['published', 'scheduled'])
      .where((eb) => eb.or([eb('lead_media_id', '=', item.id), eb('body_html', 'like', `%/media/${item.key}%`)]))
      .orderBy('id', 'desc')
      .limit(500)
      .execute();
  }

  async countUsage(ids: number[]): Promise<Map<number, number>> {
    const counts = new Map<number, number>();
    if (!ids.length) return counts;
    const rows = await this.db
      .selectFrom('articles')
      .select(['lead_media_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('lead_media_id', 'in', ids)
      .groupBy('lead_media_id')
      .execute();
    for (const r of rows) counts.set(Number(r.lead_media_id), Number(r.n));
    return counts;
  }

  async replaceRenditions(mediaId: number, rows: Omit<MediaRenditionRow, 'id' | 'media_id'>[], trx: Db = this.db): Promise<MediaRenditionRow[]> {
    const old = await trx.selectFrom('media_renditions').selectAll().where('media_id', '=', mediaId).execute();
    await trx.deleteFrom('media_renditions').where('media_id', '=', mediaId).execute();
    if (rows.length) await trx.insertInto('media_renditions').values(rows.map((r) => ({ ...r, media_id: mediaId }))).execute();
    return old;
  }

  async renditionsOf(mediaId: number): Promise<MediaRenditionRow[]> {
    return this.db.selectFrom('media_renditions').selectAll().where('media_id', '=', mediaId).orderBy('ratio').orderBy('format').orderBy('width').execute();
  }

  async delete(id: number, trx: Db = this.db): Promise<void> {
    await trx.deleteFrom('media').where('id', '=', id).execute();
  }

  async deleteAll(trx: Db = this.db): Promise<void> {
    await trx.deleteFrom('media_renditions').execute();
    await trx.deleteFrom('media').execute();
  }
}
