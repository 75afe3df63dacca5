import type { Transaction } from 'kysely';
import type { JobRepository } from '../db/repositories/job.repository.js';
import type { Database } from '../db/schema.js';
import type { Clock } from '../services/clock.js';
import type { JobName } from './job-names.js';

export interface EnqueueOptions {
  /** Epoch ms; default now. */
  runAt?: number;
  /** Dedupe: enqueueing again with the same key replaces the pending job. */
  key?: string;
  maxAttempts?: number;
}

/** Puts work on the job table; enqueue inside the caller's transaction so the job exists iff the change does. */
export class JobQueue {
  constructor(
    private readonly jobs: JobRepository,
    private readonly clock: Clock,
  ) {}

  async enqueue(name: JobName, payload: unknown, options: EnqueueOptions = {}, trx?: Transaction<Database>): Promise<number> {
    const now = this.clock();
    return this.jobs.enqueue({ name, payload, runAt: options.runAt ?? now, key: options.key, maxAttempts: options.maxAttempts }, now, trx);
  }

  async isActive(key: string): Promise<boolean> {
    return this.jobs.hasActive(key);
  }

  async cancel(key: string, trx?: Transaction<Database>): Promise<boolean> {
    return this.jobs.cancel(key, trx);
  }
}
