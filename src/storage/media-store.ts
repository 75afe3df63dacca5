import type { Readable } from 'node:stream';

/** Where media bytes live: local disk by default, S3-compatible storage when configured. */
export interface MediaStore {
  readonly kind: 'local' | 's3';
  /** Stores bytes (a Buffer, or the path of a finished temporary file) atomically under `key`. */
  put(key: string, data: Buffer | { path: string }, contentType: string): Promise<void>;
  /** A stream of the object, or null when absent. */
  get(key: string): Promise<{ stream: Readable; size: number } | null>;
  /** The whole object (for processing). */
  read(key: string): Promise<Buffer>;
  exists(key: string): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Every stored key (for audits and orphan checks; not for hot paths). */
  list(): Promise<string[]>;
  /** Removes everything (demo reset, tests). */
  clear(): Promise<void>;
}
