import type { Readable } from 'node:stream';
import type { MediaStore } from './media-store.js';
import type { S3Store, S3StoreOptions } from './s3-store.js';

/**
 * An S3Store that loads the AWS SDK on first use. The SDK is the largest module the
 * server would otherwise load at start-up (a second or more on a busy machine), and a
 * site on local disk never needs it.
 */
export class LazyS3Store implements MediaStore {
  readonly kind = 's3' as const;
  private store: Promise<S3Store> | null = null;

  constructor(private readonly options: S3StoreOptions) {}

  private load(): Promise<S3Store> {
    this.store ??= import('./s3-store.js').then(({ S3Store }) => new S3Store(this.options));
    return this.store;
  }

  async put(key: string, data: Buffer | { path: string }, contentType: string): Promise<void> {
    return (await this.load()).put(key, data, contentType);
  }
  async get(key: string): Promise<{ stream: Readable; size: number } | null> {
    return (await this.load()).get(key);
  }
  async read(key: string): Promise<Buffer> {
    return (await this.load()).read(key);
  }
  async exists(key: string): Promise<boolean> {
    return (await this.load()).exists(key);
  }
  async delete(key: string): Promise<void> {
    return (await this.load()).delete(key);
  }
  async list(): Promise<string[]> {
    return (await this.load()).list();
  }
  async clear(): Promise<void> {
    return (await this.load()).clear();
  }
}
