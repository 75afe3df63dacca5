import { sql, type Kysely, type Migration } from 'kysely';
import type { Engine } from '../database.js';

/** Block tables readers see: writes bump `content_version` like other content (see 002, 011). */
const BLOCK_CONTENT_TABLES = ['front_blocks', 'front_block_items'];

/**
 * Front blocks: the ordered blocks below a front's lead and top stories (a section's or a
 * topic's newest stories, or stories placed by hand). `fronts.blocks_arranged` is 0 until
 * an editor arranges the blocks, so a front never arranged keeps its automatic blocks.
 */
export function frontBlocks(engine: Engine): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('fronts').addColumn('blocks_arranged', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema
        .createTable('front_blocks')
        .addColumn('front_name', 'text', (c) => c.notNull().references('fronts.name').onDelete('cascade'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('section', 'tag', 'curated')`))
        .addColumn('title', 'text')
        .addColumn('section_id', 'integer', (c) => c.references('sections.id').onDelete('cascade'))
        .addColumn('tag_id', 'integer', (c) => c.references('tags.id').onDelete('cascade'))
        .addColumn('item_count', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('front_blocks_pk', ['front_name', 'position'])
        .execute();
      await db.schema
        .createTable('front_block_items')
        .addColumn('front_name', 'text', (c) => c.notNull())
        .addColumn('block_position', 'integer', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
        .addColumn('expires_at', 'bigint')
        .addPrimaryKeyConstraint('front_block_items_pk', ['front_name', 'block_position', 'position'])
        .addForeignKeyConstraint('front_block_items_block', ['front_name', 'block_position'], 'front_blocks', ['front_name', 'position'], (c) => c.onDelete('cascade'))
        .execute();
      await db.schema.createIndex('front_block_items_article').on('front_block_items').column('article_id').execute();

      for (const table of BLOCK_CONTENT_TABLES) {
        if (engine === 'postgres') {
          await sql`create trigger ${sql.id(`${table}_content_version`)} after insert or update or delete on ${sql.table(table)}
            for each statement execute function bump_content_version()`.execute(db);
          continue;
        }
        for (const event of ['insert', 'update', 'delete']) {
          await sql`create trigger ${sql.id(`${table}_${event}_content_version`)} after ${sql.raw(event)} on ${sql.table(table)}
            begin update counters set value = value + 1 where name = 'content_version'; end`.execute(db);
        }
      }
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('front_block_items').execute();
      await db.schema.dropTable('front_blocks').execute();
      await db.schema.alterTable('fronts').dropColumn('blocks_arranged').execute();
    },
  };
}
