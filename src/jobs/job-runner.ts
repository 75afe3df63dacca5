import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { JobNameFilter, JobRepository, JobRow } from '../db/repositories/job.repository.js';
import type { Clock } from '../services/clock.js';
import { nextTurn } from '../services/next-turn.js';
import { JOB_NAMES, type JobName } from './job-names.js';

export type JobHandler = (payload: unknown, job: JobRow) => Promise<void>;
export type JobHandlers = Record<JobName, JobHandler>;

export interface JobRunnerOptions {
  pollMs?: number;
  /**
   * How long a claimed job is ours before another worker may take it over (default 60 s).
   * A running job renews it every third of that (heartbeat), so a job of a process that
   * died is picked up again within one lease, while a long one keeps running.
   */
  leaseMs?: number;
  /** Take only these job names, or all but these (e.g. webhook deliveries on runners of their own). */
  names?: JobNameFilter;
  log?: (level: 'info' | 'warn' | 'error', message: string, detail?: Record<string, unknown>) => void;
}

export const DEFAULT_LEASE_MS = 60_000;

/** Backoff after the n-th failed attempt: 5 s, 20 s, 80 s, … capped at one hour. */
export function retryDelayMs(attempt: number): number {
  return Math.min(3_600_000, 5000 * 4 ** Math.max(0, attempt - 1));
}

/** Polls the job table and runs due jobs, one at a time, retrying failures with backoff. */
export class JobRunner {
  readonly workerId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private readonly pollMs: number;
  private readonly leaseMs: number;

  constructor(
    private readonly jobs: JobRepository,
    private readonly handlers: JobHandlers,
    private readonly clock: Clock,
    private readonly options: JobRunnerOptions = {},
  ) {
    const missing = JOB_NAMES.filter((name) => typeof handlers[name] !== 'function');
    if (missing.length) throw new Error(`No handler registered for job(s): ${missing.join(', ')}`);
    this.pollMs = options.pollMs ?? 1000;
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  }

  start(): void {
    if (this.timer) return;
    const tick = () => {
      this.timer = setTimeout(async () => {
        await this.runDue().catch((err: unknown) => this.options.log?.('error', 'job poll failed', { err }));
        if (this.timer) tick();
      }, this.pollMs);
      this.timer.unref();
    };
    tick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Runs every job that is due now; returns how many ran. Safe to call concurrently (calls share one pass). */
  runDue(): Promise<number> {
    this.running ??= this.drain().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async drain(): Promise<number> {
    let count = 0;
    for (;;) {
      const job = await this.jobs.claimNext(this.workerId, this.clock(), this.leaseMs, this.options.names);
      if (!job) return count;
      count++;
      await this.runOne(job);
      // Readers' requests go between jobs (SQLite's statements never yield).
      await nextTurn();
    }
  }

  private async runOne(job: JobRow): Promise<void> {
    const handler = this.handlers[job.name as JobName];
    const heartbeat = setInterval(() => {
      const now = this.clock();
      void this.jobs.extendLease(job.id, this.workerId, now + this.leaseMs, now).catch((err: unknown) => this.options.log?.('warn', `job ${job.name} #${job.id}: lease not renewed`, { err }));
    }, Math.max(10, Math.floor(this.leaseMs / 3)));
    heartbeat.unref();
    try {
      if (!handler) throw new Error(`unknown job "${job.name}"`);
      await handler(JSON.parse(job.payload) as unknown, job);
      await this.jobs.complete(job.id, this.clock());
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const retryAt = job.attempts < job.max_attempts ? this.clock() + retryDelayMs(job.attempts) : null;
      this.options.log?.(retryAt === null ? 'error' : 'warn', `job ${job.name} #${job.id} failed`, { error: message, attempt: job.attempts });
      await this.jobs.fail(job.id, message.slice(0, 2000), retryAt, this.clock());
    } finally {
      clearInterval(heartbeat);
    }
  }
}
