#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from '../config/config.js';
import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrator.js';
import { buildApp } from '../http/app.js';
import { createServices } from '../services/index.js';

const HELP = `dateline — news publishing platform

Usage: dateline <command> [options]

Commands:
  serve            run the site, API and media server (default)
  migrate          apply database migrations and exit
  demo [--reset]   load the demo newsroom (--reset removes all content first)
  help             show this text

Configuration comes from environment variables (PORT, HOST, DATABASE_URL, DATA_DIR,
SITE_NAME, BASE_URL, SITE_TIMEZONE, DATELINE_FORMAT, SITE_LANGUAGES, …) and the
optional JSON file named by DATELINE_CONFIG (default ./dateline.config.json).
`;

function say(message: string): void {
  process.stdout.write(`${message}\n`);
}

async function withDatabase<T>(config: Config, work: (h: ReturnType<typeof openDatabase>) => Promise<T>): Promise<T> {
  const handle = openDatabase(config.databaseUrl);
  try {
    await migrateToLatest(handle);
    return await work(handle);
  } finally {
    await handle.close();
  }
}

async function migrate(config: Config): Promise<void> {
  const handle = openDatabase(config.databaseUrl);
  try {
    const result = await migrateToLatest(handle);
    const applied = result.results?.filter((r) => r.status === 'Success').map((r) => r.migrationName) ?? [];
    say(applied.length ? `Applied migrations: ${applied.join(', ')}` : 'Database is up to date.');
  } finally {
    await handle.close();
  }
}

async function demo(config: Config, reset: boolean): Promise<void> {
  await withDatabase(config, async (handle) => {
    const services = createServices(handle, config, { warn: (m) => say(`warning: ${m}`) });
    if (!reset && !(await services.demo.isEmpty())) {
      say('The database already has articles; run "dateline demo --reset" to replace everything with the demo newsroom.');
      return;
    }
    if (reset) await services.demo.reset();
    const report = await services.demo.load();
    say(`Demo newsroom loaded: ${report.articles} articles, ${report.media} pictures, ${report.relatedLinks} related links.`);
  });
}

async function serve(config: Config): Promise<void> {
  const handle = openDatabase(config.databaseUrl);
  await migrateToLatest(handle);
  const services = createServices(handle, config, { warn: (m) => say(`warning: ${m}`) });
  if (config.demoContent && (await services.demo.isEmpty())) {
    say('Empty database: loading the demo newsroom (set DEMO_CONTENT=off to start empty)…');
    const report = await services.demo.load();
    say(`Loaded ${report.articles} demo articles.`);
  }
  const app = await buildApp(config, services);
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await handle.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
  say('');
  say(`  Dateline is running at ${config.baseUrl}/`);
  say(`  Database: ${handle.description}`);
  say(`  Content API: ${config.baseUrl}/api/v1/articles · API docs: ${config.baseUrl}/api/docs`);
  say('  (The newsroom and its logins are not part of this version yet: content comes from "dateline demo".)');
  say('');
}

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { reset: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
  });
  const command = positionals[0] ?? 'serve';
  if (values.help || command === 'help') {
    say(HELP);
    return;
  }
  const config = loadConfig();
  switch (command) {
    case 'serve':
      return serve(config);
    case 'migrate':
      return migrate(config);
    case 'demo':
      return demo(config, values.reset ?? false);
    default:
      throw new Error(`Unknown command "${command}". Run "dateline help".`);
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof ConfigError) process.stderr.write(`${err.message}\n`);
  else process.stderr.write(`dateline: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
