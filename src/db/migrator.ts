import { Migrator, sql, type DatabaseIntrospector, type Kysely, type Migration, type MigrationResultSet } from 'kysely';
import type { DatabaseHandle, Engine } from './database.js';
import { initialSchema } from './migrations/001-initial-schema.js';
import { contentVersion } from './migrations/002-content-version.js';
import { jobs } from './migrations/003-jobs.js';
import { mediaLibrary } from './migrations/006-media-library.js';
import { newsroom } from './migrations/004-newsroom.js';
import { searchSchema } from './migrations/005-search.js';
import { searchTerms } from './migrations/007-search-terms.js';
import { searchState } from './migrations/008-search-state.js';
import { searchFiltersIndex } from './migrations/009-search-filters-index.js';
import { fronts } from './migrations/011-fronts.js';
import { mailAndAudit } from './migrations/012-mail-and-audit.js';
import { webhooks } from './migrations/015-webhooks.js';
import { pageCache } from './migrations/016-page-cache.js';
import { hardening } from './migrations/013-hardening.js';
import { importSchema } from './migrations/017-import.js';
import { frontBlocks } from './migrations/018-front-blocks.js';
import { wireIngest } from './migrations/019-wire-ingest.js';
import { live } from './migrations/020-live.js';
import { wireCorrections } from './migrations/021-wire-corrections.js';
import { distribution } from './migrations/022-distribution.js';
import { push } from './migrations/023-push.js';
import { pushOrigin024 } from './migrations/024-push-origin.js';
import { relatedVectors } from './migrations/026-related-vectors.js';
import { translations } from './migrations/027-translations.js';
import { contentVersionSlots } from './migrations/028-content-version-slots.js';
import { searchRum } from './migrations/030-search-rum.js';
import { searchRumNewest } from './migrations/031-search-rum-newest.js';
import { relatedTopTerms } from './migrations/033-related-top-terms.js';
import { searchGinWithRum } from './migrations/034-search-gin-with-rum.js';
import { articleCounts } from './migrations/035-article-counts.js';
import { searchTsvUncompressed } from './migrations/036-search-tsv-uncompressed.js';

/** Versioned migrations, in order. Each gets the engine for the few engine-specific types. */
const MIGRATIONS: Record<string, (engine: Engine) => Migration> = {
  '001-initial-schema': initialSchema,
  '002-content-version': contentVersion,
  '003-jobs': jobs,
  '006-media-library': mediaLibrary,
  '004-newsroom': newsroom,
  '005-search': searchSchema,
  '007-search-terms': searchTerms,
  '008-search-state': searchState,
  '009-search-filters-index': searchFiltersIndex,
  '011-fronts': fronts,
  '012-mail-and-audit': mailAndAudit,
  '015-webhooks': webhooks,
  '016-page-cache': pageCache,
  '013-hardening': hardening,
  '017-import': importSchema,
  '018-front-blocks': frontBlocks,
  '019-wire-ingest': wireIngest,
  '020-live': live,
  '021-wire-corrections': wireCorrections,
  '022-distribution': distribution,
  '023-push': push,
  '024-push-origin': pushOrigin024,
  '026-related-vectors': relatedVectors,
  '027-translations': translations,
  '028-content-version-slots': contentVersionSlots,
  '030-search-rum': searchRum,
  '031-search-rum-newest': searchRumNewest,
  '033-related-top-terms': relatedTopTerms,
  '034-search-gin-with-rum': searchGinWithRum,
  '035-article-counts': articleCounts,
  '036-search-tsv-uncompressed': searchTsvUncompressed,
};

export async function migrateToLatest(handle: DatabaseHandle): Promise<MigrationResultSet> {
  return migrateWith(handle, MIGRATIONS);
}

/** Runs whatever of `migrations` the database lacks (migrateToLatest's, or a test's own). */
export async function migrateWith(handle: DatabaseHandle, migrations: Record<string, (engine: Engine) => Migration>): Promise<MigrationResultSet> {
  // Kysely looks for its bookkeeping tables in every schema unless told which one; name
  // ours so databases sharing a server (one schema each) never see each other's.
  const schema =
    handle.engine === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(handle.db)).rows[0]?.schema
      : undefined;
  const migrator = new Migrator({
    db: schema === undefined ? handle.db : ownSchemaOnly(handle.db, schema),
    migrationTableSchema: schema,
    // Features land from parallel branches, so a database may have run 016 before 013
    // arrives (or, as in an upgrade test, lack an older one): run whatever is missing.
    allowUnorderedMigrations: true,
    provider: {
      getMigrations: async () =>
        Object.fromEntries(Object.entries(migrations).map(([name, make]) => [name, make(handle.engine)])),
    },
  });
  const result = await migrator.migrateToLatest();
  if (result.error) throw result.error;
  return result;
}

/**
 * The database as the migrator sees it, its look for the bookkeeping tables confined to our
 * own schema. Kysely's PostgreSQL introspection lists every schema's tables and asks each
 * column's serial sequence by name, so a schema dropped meanwhile by another tenant (or test
 * file) failed the look with 3F000 or 42P01: in CI about one look in ten beside a schema
 * churn, and a retry of five looks still failed once. The migrator only asks which schemas and
 * tables exist, by name.
 */
export function ownSchemaOnly<DB>(db: Kysely<DB>, schema: string): Kysely<DB> {
  const introspection: DatabaseIntrospector = {
    getSchemas: async () => (await sql<{ name: string }>`select nspname as name from pg_namespace where nspname = ${schema}`.execute(db)).rows,
    getTables: async () =>
      (
        await sql<{ name: string; view: boolean }>`select c.relname as name, c.relkind in ('v', 'm') as view from pg_class c
          join pg_namespace n on n.oid = c.relnamespace where n.nspname = ${schema} and c.relkind in ('r', 'p', 'v', 'm')`.execute(db)
      ).rows.map((r) => ({ name: r.name, schema, isView: r.view, columns: [] })),
    getMetadata: async () => ({ tables: await introspection.getTables() }),
  };
  // Kysely's methods use private fields, so they are called on the instance itself.
  return new Proxy(db, {
    get: (target, prop) => {
      if (prop === 'introspection') return introspection;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
