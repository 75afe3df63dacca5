import cluster from 'node:cluster';

/**
 * `dateline serve --workers N`: N app processes sharing one port (Node's cluster
 * module hands connections to them). The primary prepares the database once, forks the
 * workers, restarts one that dies, and on SIGTERM/SIGINT passes the signal on and waits
 * for every worker's graceful shutdown (each bounded by SHUTDOWN_TIMEOUT_SECONDS).
 */
export async function runCluster(workers: number, prepare: () => Promise<void>, say: (m: string) => void, shutdownTimeoutMs: number): Promise<void> {
  await prepare();
  let stopping = false;
  const fork = () => cluster.fork({ DATELINE_WORKER: '1' });
  for (let i = 0; i < workers; i++) fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    say(`worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
    fork();
  });
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping ${Object.keys(cluster.workers ?? {}).length} worker(s)`);
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill(signal);
    setTimeout(() => process.exit(1), shutdownTimeoutMs + 2000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  say(`Dateline: ${workers} worker processes (primary ${process.pid})`);
}

export const isClusterWorker = (): boolean => cluster.isWorker;
