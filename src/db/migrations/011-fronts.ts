import { sql, type ColumnDefinitionBuilder, type Kysely, type Migration } from 'kysely';
import type { Engine } from '../database.js';

/** Front tables readers see: writes bump `content_version` like other content (see 002). */
export const FRONT_CONTENT_TABLES = ['fronts', 'front_placements'];

/**
 * Fronts: editor-arranged placements on the home page (`home`) and each section front
 * (the section's slug). `fronts` carries the optimistic-concurrency revision,
 * `front_placements` the current arrangement, `front_revisions` every saved arrangement.
 */
export function fronts(engine: Engine): Migration {
  const serial = (c: ColumnDefinitionBuilder) =>
    engine === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey().generatedByDefaultAsIdentity();
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('fronts')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('front_placements')
        .addColumn('front_name', 'text', (c) => c.notNull().references('fronts.name').onDelete('cascade'))
        .addColumn('slot', 'text', (c) => c.notNull().check(sql`slot in ('lead', 'top')`))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
        .addColumn('expires_at', 'bigint')
        .addPrimaryKeyConstraint('front_placements_pk', ['front_name', 'slot', 'position'])
        .execute();
      await db.schema.createIndex('front_placements_article').on('front_placements').column('article_id').execute();
      await db.schema
        .createTable('front_revisions')
        .addColumn('id', 'integer', serial)
        .addColumn('front_name', 'text', (c) => c.notNull())
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('placements_json', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('user_id', 'integer')
        .addColumn('actor_name', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('front_revisions_front').on('front_revisions').columns(['front_name', 'revision']).unique().execute();

      for (const table of FRONT_CONTENT_TABLES) {
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
      await db.schema.dropTable('front_revisions').execute();
      await db.schema.dropTable('front_placements').execute();
      await db.schema.dropTable('fronts').execute();
    },
  };
}
