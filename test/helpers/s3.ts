import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import type { Config } from '../../src/config/config.js';

export interface LocalS3 {
  s3: Config['s3'];
  close(): Promise<void>;
}

/** A local S3-protocol server (s3rver) on 127.0.0.1, with one bucket, for store tests. */
export async function startLocalS3(bucket = 'dateline-test'): Promise<LocalS3> {
  const directory = mkdtempSync(join(tmpdir(), 'dateline-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket, configs: [] }] });
  const info = (await server.run()) as unknown as { port: number };
  return {
    s3: {
      endpoint: `http://127.0.0.1:${info.port}`,
      region: 'us-east-1',
      bucket,
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
      forcePathStyle: true,
      prefix: 'media/',
    },
    async close() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
