import type { Generated } from 'kysely';

export type JobStatus = 'pending' | 'running' | 'done' | 'failed';

/** Background jobs (migration 003). */
export interface JobTables {
  jobs: JobTable;
}

export interface JobTable {
  id: Generated<number>;
  name: string;
  /** JSON. */
  payload: string;
  /** Dedupe key: at most one pending or running job per key. */
  key: string | null;
  status: JobStatus;
  /** Epoch ms: not before. */
  run_at: number;
  attempts: number;
  max_attempts: number;
  last_error: string | null;
  locked_by: string | null;
  /** Epoch ms: a running job whose lease passed is taken again (its worker died). */
  locked_until: number | null;
  created_at: number;
  updated_at: number;
}
