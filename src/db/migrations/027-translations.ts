import type { Kysely, Migration } from 'kysely';
import type { Engine } from '../database.js';

/**
 * Translations: articles of one story in several languages share `translation_group`
 * (a column since 001, unused until now). A version made with "Translate into…" names
 * its source (`translation_of`) and stays marked `needs_translation` until an editor
 * saves it; the group index answers "the other versions of this story".
 */
export function translations(_engine: Engine): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('articles').addColumn('translation_of', 'integer').execute();
      await db.schema.alterTable('articles').addColumn('needs_translation', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.createIndex('articles_translation_group').on('articles').columns(['translation_group', 'language']).execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropIndex('articles_translation_group').execute();
      await db.schema.alterTable('articles').dropColumn('needs_translation').execute();
      await db.schema.alterTable('articles').dropColumn('translation_of').execute();
    },
  };
}
