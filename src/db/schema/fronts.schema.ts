import type { ColumnType, Generated } from 'kysely';

/** Front pages (migration 011). Repositories reach them with `db.withTables<FrontTables>()`. */
export type FrontTables = {
  fronts: FrontTable;
  front_placements: FrontPlacementTable;
  front_revisions: FrontRevisionTable;
};

export interface FrontTable {
  /** `home` or a section's slug. */
  name: string;
  revision: number;
  updated_at: number;
  updated_by: string;
}

export interface FrontPlacementTable {
  front_name: string;
  slot: 'lead' | 'top';
  position: number;
  article_id: number;
  expires_at: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface FrontRevisionTable {
  id: Generated<number>;
  front_name: string;
  revision: number;
  /** The saved arrangement: `{lead, top}` as in `FrontArrangement`. */
  placements_json: string;
  created_at: number;
  user_id: number | null;
  actor_name: string;
}
