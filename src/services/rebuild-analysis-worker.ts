import { parentPort } from 'node:worker_threads';
import { batchDocuments, batchTermCounts, type RebuildContext } from './search-document.js';
import type { AnalysisRequest, AnalysisAnswer } from './rebuild-analysis.js';

/**
 * One of a rebuild's analysis threads (rebuild-analysis.ts): it answers each batch the main
 * thread posts, in order, with the batch's term counts (first pass) or documents (second).
 */
let context: RebuildContext | null = null;

parentPort!.on('message', (req: AnalysisRequest) => {
  let answer: AnalysisAnswer;
  try {
    if (req.kind === 'context') {
      context = { ...req.context, dropped: new Set(req.context.dropped) };
      answer = { id: req.id, ok: true, value: null };
    } else if (req.kind === 'count') {
      answer = { id: req.id, ok: true, value: batchTermCounts(req.articles) };
    } else {
      answer = { id: req.id, ok: true, value: batchDocuments(req.articles, context) };
    }
  } catch (err) {
    answer = { id: req.id, ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  }
  parentPort!.postMessage(answer);
});
