import { Migrator, type Migration, type MigrationResultSet } from 'kysely';
import type { DatabaseHandle, Engine } from './database.js';
import { initialSchema } from './migrations/001-initial-schema.js';

/** Versioned migrations, in order. Each gets the engine for the few engine-specific types. */
const MIGRATIONS: Record<string, (engine: Engine) => Migration> = {
  '001-initial-schema': initialSchema,
};

export async function migrateToLatest(handle: DatabaseHandle): Promise<MigrationResultSet> {
  const migrator = new Migrator({
    db: handle.db,
    provider: {
      getMigrations: async () =>
        Object.fromEntries(Object.entries(MIGRATIONS).map(([name, make]) => [name, make(handle.engine)])),
    },
  });
  const result = await migrator.migrateToLatest();
  if (result.error) throw result.error;
  return result;
}
