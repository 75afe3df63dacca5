import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts a worker thread on a module given by its built `.js` URL. Built code runs that
 * file; under tsx (dev, tests, benchmarks) only the `.ts` source sits beside the caller, and
 * a worker thread does not inherit tsx's loader, so a two-line bootstrap registers it first.
 */
export function startWorker(js: URL, options: WorkerOptions): Worker {
  if (existsSync(fileURLToPath(js))) return new Worker(js, options);
  const ts = js.href.replace(/\.js$/, '.ts');
  const api = import.meta.resolve('tsx/esm/api');
  return new Worker(`import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(ts)}); });`, { ...options, eval: true });
}
