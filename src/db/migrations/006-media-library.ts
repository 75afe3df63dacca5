import type { Kysely, Migration } from 'kysely';
import type { Engine } from '../database.js';

/** Media library: licence, focal point, processing state, renditions. */
export function mediaLibrary(engine: Engine): Migration {
  return {
    async up(db: Kysely<unknown>) {
      const columns: [string, 'text' | 'real' | 'integer' | 'bigint', string | number][] = [
        ['licence', 'text', ''],
        ['focal_x', 'real', 0.5],
        ['focal_y', 'real', 0.5],
        ['original_name', 'text', ''],
        ['bytes', 'bigint', 0],
        ['codecs', 'text', ''],
        ['rendition_version', 'integer', 1],
        // Rows from before the library (imports) have no renditions: pages use the original.
        ['state', 'text', 'none'],
        ['warnings_json', 'text', '[]'],
      ];
      for (const [name, type, fallback] of columns) {
        await db.schema.alterTable('media').addColumn(name, type, (c) => c.notNull().defaultTo(fallback)).execute();
      }
      await db.schema
        .createTable('media_renditions')
        .addColumn('id', 'integer', (c) => (engine === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey().generatedByDefaultAsIdentity()))
        .addColumn('media_id', 'integer', (c) => c.notNull().references('media.id').onDelete('cascade'))
        .addColumn('ratio', 'text', (c) => c.notNull())
        .addColumn('width', 'integer', (c) => c.notNull())
        .addColumn('height', 'integer', (c) => c.notNull())
        .addColumn('format', 'text', (c) => c.notNull())
        .addColumn('storage_key', 'text', (c) => c.notNull().unique())
        .addColumn('bytes', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('media_renditions_media').on('media_renditions').columns(['media_id', 'ratio', 'format', 'width']).execute();
      await db.schema.createIndex('media_created').on('media').columns(['created_at', 'id']).execute();
      await db.schema.createIndex('articles_lead_media').on('articles').column('lead_media_id').execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropIndex('articles_lead_media').execute();
      await db.schema.dropIndex('media_created').execute();
      await db.schema.dropTable('media_renditions').execute();
      for (const c of ['warnings_json', 'state', 'rendition_version', 'codecs', 'bytes', 'original_name', 'focal_y', 'focal_x', 'licence']) {
        await db.schema.alterTable('media').dropColumn(c).execute();
      }
    },
  };
}
