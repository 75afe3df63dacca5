import { sql, type Kysely, type Transaction } from 'kysely';
import type { Engine } from '../database.js';
import type { ImportItemState } from '../schema/import.schema.js';
import type { Database, NewArticleRow, NewMediaRow } from '../schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface ImportItemRecord {
  sourceKey: string;
  articleId: number | null;
  state: ImportItemState;
  contentHash: string;
}

/** Import bookkeeping: source keys, placeholders, kept ids, legacy related links, redirects. */
export class ImportRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly engine: Engine,
  ) {}

  async findItems(keys: string[], trx: Db = this.db): Promise<Map<string, ImportItemRecord>> {
    const out = new Map<string, ImportItemRecord>();
    for (let i = 0; i < keys.length; i += 500) {
      const rows = await trx.selectFrom('import_items').select(['source_key', 'article_id', 'state', 'content_hash']).where('source_key', 'in', keys.slice(i, i + 500)).execute();
      for (const r of rows) out.set(r.source_key, { sourceKey: r.source_key, articleId: r.article_id, state: r.state, contentHash: r.content_hash });
    }
    return out;
  }

  async saveItem(item: ImportItemRecord & { kind: string; now: number }, trx: Db = this.db): Promise<void> {
    const values = { source_key: item.sourceKey, kind: item.kind, article_id: item.articleId, state: item.state, content_hash: item.contentHash, indexed: 0, updated_at: item.now };
    await trx
      .insertInto('import_items')
      .values(values)
      .onConflict((oc) => oc.column('source_key').doUpdateSet({ article_id: values.article_id, state: values.state, content_hash: values.content_hash, indexed: 0, updated_at: values.updated_at }))
      .execute();
  }

  async articleExists(id: number, trx: Db = this.db): Promise<boolean> {
    return !!(await trx.selectFrom('articles').select('id').where('id', '=', id).executeTakeFirst());
  }

  /** Inserts an article, with its kept id when given. */
  async insertArticle(row: NewArticleRow, trx: Db = this.db): Promise<number> {
    const inserted = await trx.insertInto('articles').values(row).returning('id').executeTakeFirstOrThrow();
    return inserted.id;
  }

  async updateArticle(id: number, row: Omit<NewArticleRow, 'id' | 'created_at'>, trx: Db = this.db): Promise<void> {
    await trx
      .updateTable('articles')
      .set({ ...row, revision: sql`revision + 1` })
      .where('id', '=', id)
      .execute();
  }

  /** The media row with this storage key, created when missing (imports keep old paths). */
  async upsertMedia(row: NewMediaRow, trx: Db = this.db): Promise<number> {
    const existing = await trx.selectFrom('media').select('id').where('storage_key', '=', row.storage_key).executeTakeFirst();
    if (existing) return existing.id;
    return (await trx.insertInto('media').values(row).returning('id').executeTakeFirstOrThrow()).id;
  }

  async sectionBySlug(slug: string, trx: Db = this.db): Promise<number | null> {
    return (await trx.selectFrom('sections').select('id').where('slug', '=', slug).executeTakeFirst())?.id ?? null;
  }

  async nextSectionPosition(trx: Db = this.db): Promise<number> {
    const row = await trx.selectFrom('sections').select((eb) => eb.fn.max('position').as('p')).executeTakeFirst();
    return Number(row?.p ?? -1) + 1;
  }

  async contentTypeExists(id: number, trx: Db = this.db): Promise<boolean> {
    return !!(await trx.selectFrom('content_types').select('id').where('id', '=', id).executeTakeFirst());
  }

  async insertContentType(id: number, trx: Db = this.db): Promise<void> {
    await trx.insertInto('content_types').values({ id, name: `legacy-${id}`, label: `Legacy type ${id}` }).onConflict((oc) => oc.doNothing()).execute();
  }

  /**
   * Replaces an article's pinned related list with links that keep their numbers of the
   * global `sort` sequence, and moves the sequence above the highest one.
   */
  async replaceLegacyLinks(articleId: number, links: { relatedId: number; sort: number }[], trx: Db = this.db): Promise<void> {
    await trx.deleteFrom('related').where('article_id', '=', articleId).execute();
    const unique = links.filter((l, i) => l.relatedId !== articleId && links.findIndex((o) => o.relatedId === l.relatedId) === i);
    if (!unique.length) return;
    await trx.insertInto('related').values(unique.map((l) => ({ article_id: articleId, related_id: l.relatedId, sort: l.sort, pinned: 1, score: null }))).execute();
    const highest = Math.max(...unique.map((l) => l.sort));
    await trx.updateTable('counters').set({ value: highest }).where('name', '=', 'related_sort').where('value', '<', highest).execute();
  }

  async saveRedirect(path: string, articleId: number, now: number, trx: Db = this.db): Promise<void> {
    await trx
      .insertInto('redirects')
      .values({ path, article_id: articleId, created_at: now })
      .onConflict((oc) => oc.column('path').doUpdateSet({ article_id: articleId }))
      .execute();
  }

  async findRedirect(path: string): Promise<number | null> {
    return (await this.db.selectFrom('redirects').select('article_id').where('path', '=', path).executeTakeFirst())?.article_id ?? null;
  }

  /** PostgreSQL identity columns do not see explicitly inserted ids: move them past the highest. */
  async syncIdSequences(trx: Db = this.db): Promise<void> {
    if (this.engine !== 'postgres') return;
    for (const table of ['articles', 'media', 'sections', 'tags', 'users']) {
      await sql`select setval(pg_get_serial_sequence(${table}, 'id'), greatest((select max(id) from ${sql.table(table)}), 1))`.execute(trx);
    }
  }

  /** Imported articles that search and related lists do not know yet (a crash between commit and indexing). */
  async unindexed(limit: number): Promise<{ sourceKey: string; articleId: number }[]> {
    const rows = await this.db
      .selectFrom('import_items')
      .select(['source_key', 'article_id'])
      .where('indexed', '=', 0)
      .where('state', '=', 'imported')
      .where('article_id', 'is not', null)
      .limit(limit)
      .execute();
    return rows.map((r) => ({ sourceKey: r.source_key, articleId: r.article_id! }));
  }

  async countUnindexed(): Promise<number> {
    const r = await this.db
      .selectFrom('import_items')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where('indexed', '=', 0)
      .where('state', '=', 'imported')
      .where('article_id', 'is not', null)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async markIndexed(keys: string[]): Promise<void> {
    for (const chunk of chunks(keys)) await this.db.updateTable('import_items').set({ indexed: 1 }).where('source_key', 'in', chunk).execute();
  }

  /**
   * New paths of imported articles that old-site link keys name (`/news/{old id}` via the
   * legacy source key, anything else via the redirects); placeholders do not count.
   */
  async resolveOldLinks(keys: string[], variants: (key: string) => string[], trx: Db = this.db): Promise<Map<string, { id: number; slug: string }>> {
    const out = new Map<string, { id: number; slug: string }>();
    if (!keys.length) return out;
    const legacy = new Map<string, string>();
    const paths = new Map<string, string>();
    for (const key of keys) {
      const m = /^\/news\/(\d+)$/.exec(key);
      if (m) legacy.set(`legacy:${m[1]}`, key);
      for (const v of variants(key)) paths.set(v, key);
    }
    const ids = new Map<string, number>();
    for (const chunk of chunks([...legacy.keys()])) {
      const rows = await trx.selectFrom('import_items').select(['source_key', 'article_id']).where('source_key', 'in', chunk).where('state', '=', 'imported').where('article_id', 'is not', null).execute();
      for (const r of rows) ids.set(legacy.get(r.source_key)!, r.article_id!);
    }
    for (const chunk of chunks([...paths.keys()])) {
      const rows = await trx.selectFrom('redirects').select(['path', 'article_id']).where('path', 'in', chunk).execute();
      for (const r of rows) if (!ids.has(paths.get(r.path)!)) ids.set(paths.get(r.path)!, r.article_id);
    }
    const slugs = new Map<number, string>();
    for (const chunk of chunks([...new Set(ids.values())])) {
      for (const r of await trx.selectFrom('articles').select(['id', 'slug']).where('id', 'in', chunk).execute()) slugs.set(r.id, r.slug);
    }
    for (const [key, id] of ids) if (slugs.has(id)) out.set(key, { id, slug: slugs.get(id)! });
    return out;
  }

  /** Replaces the old-site links of an article that still wait for their target. */
  async savePendingLinks(articleId: number, keys: string[], trx: Db = this.db): Promise<void> {
    await trx.deleteFrom('import_links').where('article_id', '=', articleId).execute();
    if (keys.length) await trx.insertInto('import_links').values(keys.map((k) => ({ article_id: articleId, target_path: k }))).execute();
  }

  /** Articles with a link waiting for one of these keys. */
  async articlesWaitingFor(keys: string[], trx: Db = this.db): Promise<number[]> {
    const ids = new Set<number>();
    for (const chunk of chunks(keys)) {
      for (const r of await trx.selectFrom('import_links').select('article_id').distinct().where('target_path', 'in', chunk).execute()) ids.add(r.article_id);
    }
    return [...ids];
  }

  async articleBody(id: number, trx: Db = this.db): Promise<string | null> {
    return (await trx.selectFrom('articles').select('body_html').where('id', '=', id).executeTakeFirst())?.body_html ?? null;
  }

  /** A body whose links were rewritten; search and related lists re-read it. */
  async updateBody(id: number, html: string, text: string, trx: Db = this.db): Promise<void> {
    await trx.updateTable('articles').set({ body_html: html, body_text: text }).where('id', '=', id).execute();
    await trx.updateTable('import_items').set({ indexed: 0 }).where('article_id', '=', id).where('state', '=', 'imported').execute();
  }

  async userIdByEmail(email: string, trx: Db = this.db): Promise<number | null> {
    return (await trx.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst())?.id ?? null;
  }

  async insertUser(u: { email: string; name: string }, now: number, trx: Db = this.db): Promise<number> {
    const row = await trx
      .insertInto('users')
      .values({ email: u.email, name: u.name, role: 'author', password_hash: null, created_at: now, updated_at: now, last_login_at: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }
}

function chunks<T>(items: T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
