import type { Kysely, Transaction } from 'kysely';
import type { ArticleSummary } from '../../domain/article.js';
import type { FrontArrangement, Placement } from '../../domain/front.js';
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
      arrangement: { lead: lead ? placement(lead) : null, top: rows.filter((r) => r.slot === 'top').map(placement) },
    };
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
    if (revision === 1) {
      await trx.insertInto('fronts').values({ name, revision, updated_at: at, updated_by: actor.name }).execute();
    } else {
      await trx.updateTable('fronts').set({ revision, updated_at: at, updated_by: actor.name }).where('name', '=', name).execute();
    }
    await trx.deleteFrom('front_placements').where('front_name', '=', name).execute();
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
    return rows.map((r) => ({ revision: r.revision, createdAt: Number(r.created_at), actorName: r.actor_name, arrangement: JSON.parse(r.placements_json) as FrontArrangement }));
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
