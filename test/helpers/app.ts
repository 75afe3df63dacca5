import type { FastifyInstance } from 'fastify';
import type { Engine } from '../../src/db/database.js';
import { buildApp, type AppConfig } from '../../src/http/app.js';
import { createTestDb, type TestDb, type TestDbOptions } from './databases.js';

export interface TestApp extends TestDb {
  app: FastifyInstance;
}

/** A fresh database plus the whole HTTP app over it (use `app.inject`, no port). */
export async function createTestApp(
  engine: Engine,
  config: Partial<AppConfig> = {},
  hook?: (app: FastifyInstance) => void,
  dbOptions: TestDbOptions = {},
): Promise<TestApp> {
  const t = await createTestDb(engine, { baseUrl: config.baseUrl ?? 'http://news.test', ...dbOptions });
  const app = await buildApp(
    {
      siteName: 'Dateline Test',
      baseUrl: 'http://news.test',
      timeZone: 'Asia/Tehran',
      datelineFormat: 'ddd MMM D, YYYY HH:mm:ss',
      languages: ['en', 'ar', 'fa'],
      logLevel: 'silent',
      requestLog: false,
      dataDir: t.dataDir,
      ...config,
    },
    t.services,
  );
  hook?.(app);
  await app.ready();
  const cleanup = t.cleanup;
  return {
    ...t,
    app,
    async cleanup() {
      await app.close();
      await cleanup();
    },
  };
}
