import type { JobRepository } from '../db/repositories/job.repository.js';
import type { Clock } from '../services/clock.js';
import { WEBHOOK_JOB_NAMES } from './job-names.js';
import { JobRunner, type JobHandlers, type JobRunnerOptions } from './job-runner.js';

/** What the main runner of a process skips: webhook deliveries have runners of their own. */
export const MAIN_RUNNER_NAMES = { except: WEBHOOK_JOB_NAMES };

/**
 * Runners that take only webhook deliveries, `count` at a time per process, so a slow
 * or dead receiver (each attempt waits up to WEBHOOK_TIMEOUT_MS) never delays
 * scheduled publishing or renditions, and one bad endpoint cannot stall the others.
 */
export function webhookRunners(jobs: JobRepository, handlers: JobHandlers, clock: Clock, count: number, options: Omit<JobRunnerOptions, 'names'> = {}): JobRunner[] {
  return Array.from({ length: Math.max(1, count) }, () => new JobRunner(jobs, handlers, clock, { pollMs: 500, ...options, names: { only: WEBHOOK_JOB_NAMES } }));
}
