import type { Kysely, Migration } from 'kysely';
import type { Engine } from '../database.js';

/**
 * Hardening (issue 10): `audit_log (subject, id)` finds the newest entry about one thing
 * (coalescing a run of autosaves into one entry) without scanning the log.
 */
export function hardening(_engine: Engine): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.createIndex('audit_log_subject').on('audit_log').columns(['subject', 'id']).execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropIndex('audit_log_subject').execute();
    },
  };
}
