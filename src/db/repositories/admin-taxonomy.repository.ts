import type { Kysely } from 'kysely';
import type { ContentType, Tag, TagKind } from '../../domain/article.js';
import type { Database } from '../schema.js';

/** Newsroom writes to sections, tags and content types (reads live in TaxonomyRepository). */
export class AdminTaxonomyRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async sectionExists(id: number): Promise<boolean> {
    return !!(await this.db.selectFrom('sections').select('id').where('id', '=', id).executeTakeFirst());
  }

  async updateSection(id: number, s: { slug?: string; name?: string; names?: Record<string, string>; position?: number }): Promise<void> {
    if (Object.values(s).every((v) => v === undefined)) return;
    await this.db
      .updateTable('sections')
      .set({
        ...(s.slug !== undefined ? { slug: s.slug } : {}),
        ...(s.name !== undefined ? { name: s.name } : {}),
        ...(s.names !== undefined ? { names_json: JSON.stringify(s.names) } : {}),
        ...(s.position !== undefined ? { position: s.position } : {}),
      })
      .where('id', '=', id)
      .execute();
  }

  async deleteSection(id: number): Promise<void> {
    await this.db.deleteFrom('sections').where('id', '=', id).execute();
  }

  async findTag(id: number): Promise<Tag | null> {
    return (await this.db.selectFrom('tags').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
  }

  async findTagBySlug(slug: string): Promise<Tag | null> {
    return (await this.db.selectFrom('tags').selectAll().where('slug', '=', slug).executeTakeFirst()) ?? null;
  }

  /** Tags by name, optionally of one kind or matching `q`; keyset on (name, id). */
  async listTags(opts: { kind?: TagKind; q?: string; limit: number; after?: { name: string; id: number } }): Promise<Tag[]> {
    let q = this.db.selectFrom('tags').selectAll();
    if (opts.kind) q = q.where('kind', '=', opts.kind);
    if (opts.q) q = q.where((eb) => eb(eb.fn('lower', ['name']), 'like', `%${opts.q!.toLowerCase().replace(/[%_]/g, '')}%`));
    const after = opts.after;
    if (after) q = q.where((eb) => eb(eb.refTuple('name', 'id'), '>', eb.tuple(after.name, after.id)));
    return q.orderBy('name').orderBy('id').limit(opts.limit).execute();
  }

  async insertTag(t: { slug: string; name: string; kind: TagKind; language: string }): Promise<number> {
    const row = await this.db.insertInto('tags').values(t).returning('id').executeTakeFirstOrThrow();
    return row.id;
  }

  async updateTag(id: number, t: { slug?: string; name?: string; kind?: TagKind }): Promise<void> {
    if (Object.values(t).every((v) => v === undefined)) return;
    await this.db.updateTable('tags').set(t).where('id', '=', id).execute();
  }

  async deleteTag(id: number): Promise<void> {
    await this.db.deleteFrom('tags').where('id', '=', id).execute();
  }

  async findContentType(id: number): Promise<ContentType | null> {
    return (await this.db.selectFrom('content_types').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
  }

  async findContentTypeByName(name: string): Promise<ContentType | null> {
    return (await this.db.selectFrom('content_types').selectAll().where('name', '=', name).executeTakeFirst()) ?? null;
  }

  async nextContentTypeId(): Promise<number> {
    const r = await this.db.selectFrom('content_types').select((eb) => eb.fn.max('id').as('max')).executeTakeFirst();
    return Number(r?.max ?? 20) + 1;
  }

  async insertContentType(c: ContentType): Promise<void> {
    await this.db.insertInto('content_types').values(c).execute();
  }

  async updateContentType(id: number, c: { name?: string; label?: string }): Promise<void> {
    if (Object.values(c).every((v) => v === undefined)) return;
    await this.db.updateTable('content_types').set(c).where('id', '=', id).execute();
  }
}
