import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Name of a work folder: `<kind>-<pid>-<random>`; the pid tells a sweep whether its owner still runs. */
const ENTRY = /^([a-z]+)-(\d+)-[0-9a-f]+$/;

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface SweepOptions {
  /** Also remove folders of live processes older than this (stuck work). */
  maxAgeMs?: number;
  now?: number;
}

/**
 * Temporary work folders (uploads being received, media being probed) under
 * `DATA_DIR/tmp`, never the OS temp folder: each request or job takes one and removes
 * it on every path; `sweep()` (at start-up and then periodically) removes what a
 * killed process left behind.
 */
export class TempArea {
  constructor(readonly root: string) {}

  /** A new, empty folder of its own. */
  async create(kind: 'upload' | 'ingest' | 'work'): Promise<string> {
    await mkdir(this.root, { recursive: true });
    const dir = join(this.root, `${kind}-${process.pid}-${randomBytes(6).toString('hex')}`);
    await mkdir(dir);
    return dir;
  }

  /** Runs `work` in a fresh folder that is removed afterwards, whatever happens. */
  async using<T>(kind: 'upload' | 'ingest' | 'work', work: (dir: string) => Promise<T>): Promise<T> {
    const dir = await this.create(kind);
    try {
      return await work(dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /**
   * Removes folders whose process is gone (a crash or kill -9), anything not made by
   * this class, and (with maxAgeMs) folders older than that. Returns what it removed.
   */
  async sweep(options: SweepOptions = {}): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.root);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const now = options.now ?? Date.now();
    const removed: string[] = [];
    for (const name of names) {
      const m = ENTRY.exec(name);
      const path = join(this.root, name);
      let stale = !m || !processAlive(Number(m[2]));
      if (!stale && options.maxAgeMs !== undefined) {
        const info = await stat(path).catch(() => null);
        stale = info !== null && now - info.mtimeMs > options.maxAgeMs;
      }
      if (!stale) continue;
      await rm(path, { recursive: true, force: true });
      removed.push(name);
    }
    return removed;
  }

  /** Sweeps every `intervalMs` (unref'd: never keeps the process alive); returns a stop function. */
  startSweeper(intervalMs: number, maxAgeMs: number, onError: (err: unknown) => void = () => {}): () => void {
    const timer = setInterval(() => void this.sweep({ maxAgeMs }).catch(onError), intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }
}
