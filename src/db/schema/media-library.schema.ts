import type { Generated } from 'kysely';

/** Media library: renditions, usage (migration 006). Columns added to `media` are typed in schema.ts. */
export interface MediaLibraryTables {
  media_renditions: MediaRenditionTable;
}

export interface MediaRenditionTable {
  id: Generated<number>;
  media_id: number;
  ratio: string;
  width: number;
  height: number;
  format: 'avif' | 'webp' | 'jpeg';
  storage_key: string;
  bytes: number;
}
