import type { Kysely, Transaction } from 'kysely';
import type { ArticleSummary, Tag } from '../../domain/article.js';
import type { FrontArrangement, FrontBlock, Placement } from '../../domain/front.js';
import type { Database } from '../schema.js';
import type { FrontTables } from '../schema/fronts.schema.js';
import { SUMMARY_COLUMNS, summaryFromRow } from './article.repository.js';
import { isVisible, LEAD_MEDIA_COLUMNS } from './row-mappers.js';

type FrontDb = Database & FrontTables;
type Db = Kysely<FrontDb> | Transaction<FrontDb>;

export interface FrontState {
  name: string;
  /** 0 for a front never saved. */
  revision: number;
  updatedAt: number | null;
  updatedBy: string | null;
  arrangement: FrontArrangement;
}

export interface FrontRevisionRow {
  revision: number;
  createdAt: number;
  actorName: string;
  arrangement: FrontArrangement;
}

/** Fronts, their placements and saved revisions. */
export class FrontRepository {
  private readonly db: Kysely<FrontDb>;

  constructor(db: Kysely<Database>) {
    this.db = db.withTables<FrontTables>();
  }

  async transaction<T>(work: (trx: Transaction<FrontDb>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  async find(name: string, trx: Db = this.db): Promise<FrontState> {
    const front = await trx.selectFrom('fronts').selectAll().where('name', '=', name).executeTakeFirst();
    const rows = await trx
      .selectFrom('front_placements')
      .select(['slot', 'position', 'article_id', 'expires_at'])
      .where('front_name', '=', name)
      .orderBy('slot')
      .orderBy('position')
      .execute();
    const placement = (r: (typeof rows)[number]): Placement => ({ articleId: r.article_id, expiresAt: r.expires_at === null ? null : Number(r.expires_at) });
    const lead = rows.find((r) => r.slot === 'lead');
    return {
      name,
      revision: front?.revision ?? 0,
      updatedAt: front ? Number(front.updated_at) : null,
      updatedBy: front?.updated_by ?? null,
      arrangement: {
        lead: lead ? placement(lead) : null,
        top: rows.filter((r) => r.slot === 'top').map(placement),
        blocks: front && Number(front.blocks_arranged) === 1 ? await this.blocks(name, trx) : null,
      },
    };
  }

  private async blocks(name: string, trx: Db): Promise<FrontBlock[]> {
    const [blocks, items] = await Promise.all([
      trx.selectFrom('front_blocks').selectAll().where('front_name', '=', name).orderBy('position').execute(),
      trx.selectFrom('front_block_items').selectAll().where('front_name', '=', name).orderBy('block_position').orderBy('position').execute(),
    ]);
    return blocks.flatMap((b): FrontBlock[] => {
      if (b.kind === 'curated') {
        const placed = items
          .filter((i) => i.block_position === b.position)
          .map((i) => ({ articleId: i.article_id, expiresAt: i.expires_at === null ? null : Number(i.expires_at) }));
        return [{ kind: 'curated', title: b.title ?? '', items: placed }];
      }
      if (b.kind === 'section' && b.section_id !== null) return [{ kind: 'section', sectionId: b.section_id, title: b.title, count: b.item_count }];
      if (b.kind === 'tag' && b.tag_id !== null) return [{ kind: 'tag', tagId: b.tag_id, title: b.title, count: b.item_count }];
      return [];
    });
  }

  /** Replaces the arrangement and records it as `revision`; the caller checked the expected revision in `trx`. */
  async save(
    name: string,
    revision: number,
    arrangement: FrontArrangement,
    actor: { userId: number | null; name: string },
    at: number,
    trx: Db,
  ): Promise<void> {
    const blocksArranged = arrangement.blocks === null ? 0 : 1;
    if (revision === 1) {
      await trx.insertInto('fronts').values({ name, revision, updated_at: at, updated_by: actor.name, blocks_arranged: blocksArranged }).execute();
    } else {
      await trx.updateTable('fronts').set({ revision, updated_at: at, updated_by: actor.name, blocks_arranged: blocksArranged }).where('name', '=', name).execute();
    }
    await trx.deleteFrom('front_placements').where('front_name', '=', name).execute();
    await trx.deleteFrom('front_block_items').where('front_name', '=', name).execute();
    await trx.deleteFrom('front_blocks').where('front_name', '=', name).execute();
    const blocks = arrangement.blocks ?? [];
    if (blocks.length) {
      await trx
        .insertInto('front_blocks')
        .values(
          blocks.map((b, position) => ({
            front_name: name,
            position,
            kind: b.kind,
            title: b.title,
            section_id: b.kind === 'section' ? b.sectionId : null,
            tag_id: b.kind === 'tag' ? b.tagId : null,
            item_count: b.kind === 'curated' ? 0 : b.count,
          })),
        )
        .execute();
      const items = blocks.flatMap((b, blockPosition) =>
        b.kind === 'curated'
          ? b.items.map((p, position) => ({ front_name: name, block_position: blockPosition, position, article_id: p.articleId, expires_at: p.expiresAt }))
          : [],
      );
      if (items.length) await trx.insertInto('front_block_items').values(items).execute();
    }
    const rows = [
      ...(arrangement.lead ? [{ slot: 'lead' as const, position: 0, p: arrangement.lead }] : []),
      ...arrangement.top.map((p, i) => ({ slot: 'top' as const, position: i, p })),
    ].map(({ slot, position, p }) => ({ front_name: name, slot, position, article_id: p.articleId, expires_at: p.expiresAt }));
    if (rows.length) await trx.insertInto('front_placements').values(rows).execute();
    await trx
      .insertInto('front_revisions')
      .values({ front_name: name, revision, placements_json: JSON.stringify(arrangement), created_at: at, user_id: actor.userId, actor_name: actor.name })
      .execute();
  }

  /** Current revision inside a transaction, locking the row on PostgreSQL so two saves queue up. */
  async lockRevision(name: string, trx: Db, engine: 'sqlite' | 'postgres'): Promise<number> {
    let q = trx.selectFrom('fronts').select('revision').where('name', '=', name);
    if (engine === 'postgres') q = q.forUpdate();
    return (await q.executeTakeFirst())?.revision ?? 0;
  }

  async revisions(name: string, limit: number): Promise<FrontRevisionRow[]> {
    const rows = await this.db
      .selectFrom('front_revisions')
      .select(['revision', 'created_at', 'actor_name', 'placements_json'])
      .where('front_name', '=', name)
      .orderBy('revision', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ revision: r.revision, createdAt: Number(r.created_at), actorName: r.actor_name, arrangement: parseArrangement(r.placements_json) }));
  }

  /** One saved arrangement, or null when the front has no such revision. */
  async revision(name: string, revision: number): Promise<FrontRevisionRow | null> {
    const r = await this.db
      .selectFrom('front_revisions')
      .select(['revision', 'created_at', 'actor_name', 'placements_json'])
      .where('front_name', '=', name)
      .where('revision', '=', revision)
      .executeTakeFirst();
    return r ? { revision: r.revision, createdAt: Number(r.created_at), actorName: r.actor_name, arrangement: parseArrangement(r.placements_json) } : null;
  }

  /** Tags by id (the topics of topic blocks). */
  async tags(ids: number[]): Promise<Map<number, Tag>> {
    if (!ids.length) return new Map();
    const rows = await this.db.selectFrom('tags').select(['id', 'slug', 'name', 'kind', 'language']).where('id', 'in', ids).execute();
    return new Map(rows.map((r) => [r.id, r as Tag]));
  }

  /** Summaries of the given articles, whatever their state (the editor's view), by id. */
  async summaries(ids: number[]): Promise<Map<number, ArticleSummary>> {
    if (!ids.length) return new Map();
    const rows = await this.db
      .selectFrom('articles')
      .leftJoin('media as m', 'm.id', 'articles.lead_media_id')
      .select(SUMMARY_COLUMNS)
      .select(LEAD_MEDIA_COLUMNS)
      .where('articles.id', 'in', ids)
      .execute();
    return new Map(rows.map((r) => [r.id, summaryFromRow(r)]));
  }

  /** Of the given articles, those readers can see at `now`, by id. */
  async visibleSummaries(ids: number[], now: number): Promise<Map<number, ArticleSummary>> {
    if (!ids.length) return new Map();
    const rows = await this.db
      .selectFrom('articles')
      .leftJoin('media as m', 'm.id', 'articles.lead_media_id')
      .select(SUMMARY_COLUMNS)
      .select(LEAD_MEDIA_COLUMNS)
      .where('articles.id', 'in', ids)
      .where(isVisible(now))
      .execute();
    return new Map(rows.map((r) => [r.id, summaryFromRow(r)]));
  }
}

/** A stored arrangement; revisions saved before blocks existed have none (automatic). */
function parseArrangement(json: string): FrontArrangement {
  const a = JSON.parse(json) as Partial<FrontArrangement>;
  return { lead: a.lead ?? null, top: a.top ?? [], blocks: a.blocks ?? null };
}
