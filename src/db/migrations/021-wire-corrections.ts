import type { Kysely, Migration } from 'kysely';
import type { Engine } from '../database.js';

/**
 * Agency corrections: a wire item the source sends again under the same guid with other
 * text replaces the queued copy and records when (`corrected_at`), so editors see it.
 */
export function wireCorrections(_engine: Engine): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('wire_items').addColumn('corrected_at', 'bigint').execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable('wire_items').dropColumn('corrected_at').execute();
    },
  };
}
