import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { ArticleForIndex } from '../db/repositories/search.repository.js';
import { startWorker } from '../worker-thread.js';
import { batchDocuments, batchTermCounts, type BatchDocuments, type RebuildContext } from './search-document.js';

/**
 * The text analysis of a rebuild (`SearchService.reindex`): term counts for the first pass,
 * documents for the second. Analysis is most of a rebuild's CPU; on worker threads it runs
 * beside the reads and writes of the main thread (and the database's own work), batches
 * ahead of them. The results are the same however many threads there are.
 */
export interface RebuildAnalysis {
  termCounts(articles: ArticleForIndex[]): Promise<Map<string, number>>;
  /** Hands the first pass's outcome to whatever builds the documents (once, before `documents`). */
  useContext(context: RebuildContext): Promise<void>;
  documents(articles: ArticleForIndex[]): Promise<BatchDocuments>;
  /** How many batches the rebuild may have in flight: enough to keep every thread busy. */
  readonly depth: number;
  close(): Promise<void>;
}

/** Worker threads for a rebuild when none are asked for: one fewer than the cores (the main thread and the database need one), at least one, at most four. */
export function defaultRebuildThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

/** Analysis on `threads` worker threads, or on the main thread when `threads` is 0. */
export function rebuildAnalysis(threads: number): RebuildAnalysis {
  return threads > 0 ? new WorkerAnalysis(threads) : inlineAnalysis();
}

function inlineAnalysis(): RebuildAnalysis {
  let context: RebuildContext | null = null;
  return {
    depth: 1,
    termCounts: async (articles) => batchTermCounts(articles),
    useContext: async (c) => {
      context = c;
    },
    documents: async (articles) => batchDocuments(articles, context),
    close: async () => {},
  };
}

/** Messages to an analysis thread (rebuild-analysis-worker.ts). A context's boilerplate set travels as an array. */
export type AnalysisRequest =
  | { id: number; kind: 'count'; articles: ArticleForIndex[] }
  | { id: number; kind: 'documents'; articles: ArticleForIndex[] }
  | { id: number; kind: 'context'; context: Omit<RebuildContext, 'dropped'> & { dropped: string[] } };

/** A request before it is numbered. */
type Unsent = AnalysisRequest extends infer R ? (R extends AnalysisRequest ? Omit<R, 'id'> : never) : never;

export type AnalysisAnswer = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

interface Waiting {
  resolve(value: unknown): void;
  reject(err: Error): void;
}

class WorkerAnalysis implements RebuildAnalysis {
  readonly depth: number;
  private readonly workers: Worker[] = [];
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 1;
  private turn = 0;
  private failed: Error | null = null;

  constructor(threads: number) {
    // Two batches a thread: one being analysed, one queued behind it while the main thread writes.
    this.depth = threads * 2;
    for (let i = 0; i < threads; i++) {
      const worker = startWorker(new URL('./rebuild-analysis-worker.js', import.meta.url), {});
      worker.on('message', (answer: AnalysisAnswer) => this.answered(answer));
      worker.on('error', (err) => this.fail(err));
      worker.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`A rebuild analysis thread stopped (exit code ${code})`));
      });
      this.workers.push(worker);
    }
  }

  termCounts(articles: ArticleForIndex[]): Promise<Map<string, number>> {
    return this.send(this.next(), { kind: 'count', articles }) as Promise<Map<string, number>>;
  }

  async useContext(context: RebuildContext): Promise<void> {
    const sent = { ...context, dropped: [...context.dropped] };
    await Promise.all(this.workers.map((w) => this.send(w, { kind: 'context', context: sent })));
  }

  documents(articles: ArticleForIndex[]): Promise<BatchDocuments> {
    return this.send(this.next(), { kind: 'documents', articles }) as Promise<BatchDocuments>;
  }

  async close(): Promise<void> {
    this.failed ??= new Error('The rebuild analysis threads were closed');
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private next(): Worker {
    return this.workers[this.turn++ % this.workers.length]!;
  }

  private send(worker: Worker, request: Unsent): Promise<unknown> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ ...request, id });
    });
  }

  private answered(answer: AnalysisAnswer): void {
    const w = this.waiting.get(answer.id);
    if (!w) return;
    this.waiting.delete(answer.id);
    if (answer.ok) w.resolve(answer.value);
    else w.reject(new Error(`Rebuild analysis failed: ${answer.error}`));
  }

  private fail(err: Error): void {
    this.failed ??= err;
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
  }
}
