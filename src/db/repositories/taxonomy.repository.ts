import type { Kysely, Transaction } from 'kysely';
import type { ContentType, Section, Tag, TagKind } from '../../domain/article.js';
import type { Database } from '../schema.js';

type Db = Kysely<Database> | Transaction<Database>;

function sectionFromRow(r: { id: number; slug: string; name: string; names_json: string; position: number }): Section {
  let names: Record<string, string> = {};
  try {
    names = JSON.parse(r.names_json) as Record<string, string>;
  } catch {
    names = {};
  }
  return { id: r.id, slug: r.slug, name: r.name, names, position: r.position };
}

/** Sections, tags and content types. */
export class TaxonomyRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async listContentTypes(): Promise<ContentType[]> {
    return this.db.selectFrom('content_types').select(['id', 'name', 'label']).orderBy('id').execute();
  }

  async listSections(): Promise<Section[]> {
    const rows = await this.db.selectFrom('sections').selectAll().orderBy('position').orderBy('id').execute();
    return rows.map(sectionFromRow);
  }

  async insertSection(
    s: { slug: string; name: string; names: Record<string, string>; position: number },
    trx: Db = this.db,
  ): Promise<number> {
    const row = await trx
      .insertInto('sections')
      .values({ slug: s.slug, name: s.name, names_json: JSON.stringify(s.names), position: s.position })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async findTagBySlug(slug: string): Promise<Tag | null> {
    const row = await this.db.selectFrom('tags').selectAll().where('slug', '=', slug).executeTakeFirst();
    return row ?? null;
  }

  /** Tags, optionally of one kind, by name; keyset-paginated on (name, id). */
  async listTags(opts: { kind?: TagKind; limit: number; after?: { name: string; id: number } }): Promise<Tag[]> {
    let q = this.db.selectFrom('tags').selectAll();
    if (opts.kind) q = q.where('kind', '=', opts.kind);
    const after = opts.after;
    if (after) q = q.where((eb) => eb(eb.refTuple('name', 'id'), '>', eb.tuple(after.name, after.id)));
    return q.orderBy('name').orderBy('id').limit(opts.limit).execute();
  }

  /** The tag with this slug, created when missing. */
  async upsertTag(t: { slug: string; name: string; kind: TagKind; language: string }, trx: Db = this.db): Promise<number> {
    const existing = await trx.selectFrom('tags').select('id').where('slug', '=', t.slug).executeTakeFirst();
    if (existing) return existing.id;
    const row = await trx.insertInto('tags').values(t).returning('id').executeTakeFirstOrThrow();
    return row.id;
  }

  /**
   * `upsertTag` for many tags in at most two statements (one select, one multi-row insert
   * of the missing ones): the ids in input order; tags with the same slug share the first's row.
   */
  async upsertTags(tags: { slug: string; name: string; kind: TagKind; language: string }[], trx: Db = this.db): Promise<number[]> {
    if (tags.length === 0) return [];
    const slugs = [...new Set(tags.map((t) => t.slug))];
    const ids = new Map<string, number>();
    for (const row of await trx.selectFrom('tags').select(['id', 'slug']).where('slug', 'in', slugs).execute()) ids.set(row.slug, row.id);
    const missing = slugs.filter((slug) => !ids.has(slug)).map((slug) => tags.find((t) => t.slug === slug)!);
    if (missing.length) {
      for (const row of await trx.insertInto('tags').values(missing).returning(['id', 'slug']).execute()) ids.set(row.slug, row.id);
    }
    return tags.map((t) => ids.get(t.slug)!);
  }

  async deleteAllSectionsAndTags(trx: Db = this.db): Promise<void> {
    await trx.deleteFrom('tags').execute();
    await trx.deleteFrom('sections').execute();
  }
}
