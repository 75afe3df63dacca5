import type { ColumnType, Generated } from 'kysely';

/** Front pages (migrations 011 and 018). Repositories reach them with `db.withTables<FrontTables>()`. */
export type FrontTables = {
  fronts: FrontTable;
  front_placements: FrontPlacementTable;
  front_revisions: FrontRevisionTable;
  front_blocks: FrontBlockTable;
  front_block_items: FrontBlockItemTable;
};

export interface FrontTable {
  /** `home` or a section's slug. */
  name: string;
  revision: number;
  updated_at: number;
  updated_by: string;
  /** 1 once editors arranged the blocks; 0 keeps the automatic ones. */
  blocks_arranged: ColumnType<number, number | undefined, number>;
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
  /** The saved arrangement: `{lead, top, blocks}` as in `FrontArrangement` (`blocks` absent before 018). */
  placements_json: string;
  created_at: number;
  user_id: number | null;
  actor_name: string;
}

export interface FrontBlockTable {
  front_name: string;
  position: number;
  kind: 'section' | 'tag' | 'curated';
  title: string | null;
  section_id: number | null;
  tag_id: number | null;
  /** Stories a section or topic block shows; 0 for a hand-picked block (its items count). */
  item_count: number;
}

export interface FrontBlockItemTable {
  front_name: string;
  block_position: number;
  position: number;
  article_id: number;
  expires_at: ColumnType<number | null, number | null | undefined, number | null>;
}
