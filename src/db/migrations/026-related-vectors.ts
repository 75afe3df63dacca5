import type { Kysely, Migration } from 'kysely';
import type { Engine } from '../database.js';

/**
 * Semantic vectors for related stories (latent semantic analysis, `related-vectors.ts`):
 * `related_basis` holds each term's row of the basis learned at reindex (float32 bytes),
 * `article_vectors` each indexed article's vector, folded in from its terms at reindex
 * and on every publish or edit.
 */
export function relatedVectors(engine: Engine): Migration {
  const bytes = engine === 'postgres' ? 'bytea' : 'blob';
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('related_basis')
        .addColumn('term', 'text', (c) => c.primaryKey())
        .addColumn('vector', bytes, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('article_vectors')
        .addColumn('article_id', 'integer', (c) => c.primaryKey().references('articles.id').onDelete('cascade'))
        .addColumn('vector', bytes, (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('article_vectors').execute();
      await db.schema.dropTable('related_basis').execute();
    },
  };
}
