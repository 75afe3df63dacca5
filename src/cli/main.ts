#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from '../config/config.js';
import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrator.js';
import { buildApp } from '../http/app.js';
import { createJobHandlers } from '../jobs/job-handlers.js';
import { JobRunner } from '../jobs/job-runner.js';
import { MAIN_RUNNER_NAMES, webhookRunners } from '../jobs/webhook-runners.js';
import { createServices } from '../services/index.js';
import { runCluster, isClusterWorker } from './cluster.js';
import { reindex } from './reindex.js';
import { prepareContent } from './start-up.js';
import { createUserCommand } from './user-command.js';
import { HELP } from './help.js';
import { confirmDemoReset } from './confirm.js';
import { ARCHIVE_COMMANDS, archiveCommand } from './archive-commands.js';


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

async function demo(config: Config, reset: boolean, yes: boolean): Promise<void> {
  if (reset && !(await confirmDemoReset(config, yes, say))) return;
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
  const handle = openDatabase(config.databaseUrl, { pinConnections: config.dbPinConnections, syncConnections: config.dbSyncConnections, queryTimeoutMs: config.dbQueryTimeoutMs, syncBlockMs: config.dbSyncBlockMs, syncDriver: config.dbSyncDriver, synchronousCommit: config.dbSynchronousCommit, replicas: { urls: config.databaseReplicaUrls, maxLagMs: config.databaseReplicaMaxLagMs, checkMs: config.databaseReplicaCheckMs } });
  await migrateToLatest(handle);
  void handle.pinning?.warm(2);
  const services = createServices(handle, config, { warn: (m) => say(`warning: ${m}`) });
  const worker = isClusterWorker();
  if (!worker) {
    if (handle.syncDriver) say(handle.syncDriver.driver === 'libpq' ? 'PostgreSQL: editors\' requests use libpq in the main thread (DB_SYNC_DRIVER).' : `PostgreSQL: editors' requests use a worker thread's connection${handle.syncDriver.reason ? `, slower: ${handle.syncDriver.reason}` : ''} (DB_SYNC_DRIVER).`);
    await prepareContent(services, config, say);
    // What a killed process left in DATA_DIR/tmp goes now (cluster workers leave it to the
    // hourly sweep: a sibling may be mid-upload), and hourly anything older than a day.
    await services.temp.sweep();
  }
  services.temp.startSweeper(60 * 60_000, 24 * 60 * 60_000);
  const app = await buildApp(config, services);
  services.pageCaching.log = (level, message) => app.log[level](message);
  services.limits.log = (level, message) => app.log[level](message);
  if (handle.routing) handle.routing.replicas.log = (level, message) => app.log[level](message);
  // Background work (scheduled publishing, renditions) runs in every app process; the
  // job table hands each job to exactly one of them.
  const runner = new JobRunner(services.repos.jobs, createJobHandlers(services), services.clock, {
    names: MAIN_RUNNER_NAMES,
    log: (level, message, detail) => app.log[level](detail ?? {}, message),
  });
  const hookRunners = webhookRunners(services.repos.jobs, createJobHandlers(services), services.clock, config.webhookWorkers, {
    log: (level, message, detail) => app.log[level](detail ?? {}, message),
  });
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: no new connections, finishing in-flight requests and running jobs');
    // Bounded: whatever still runs after SHUTDOWN_TIMEOUT_SECONDS is abandoned.
    setTimeout(() => {
      app.log.error('shutdown took too long; exiting');
      process.exit(1);
    }, config.shutdownTimeoutSeconds * 1000).unref();
    // Drain: /readyz goes red and the process keeps answering for a moment, so requests
    // already on their way (or routed by a balancer that has not noticed yet) are served.
    services.pageCaching.draining = true;
    await new Promise((resolve) => setTimeout(resolve, Math.min(1000, (config.shutdownTimeoutSeconds * 1000) / 4)));
    await Promise.all([runner.stop(), ...hookRunners.map((r) => r.stop()), app.close()]);
    await services.pageCaching.stop();
    await services.limits.stop();
    services.live.stop();
    await handle.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  // Rate limits connect to Redis before the first request can count.
  await services.limits.start();
  await app.listen({ port: config.port, host: config.host });
  await services.pageCaching.start();
  await services.wires.ensureScheduled();
  await services.live.start();
  runner.start();
  for (const r of hookRunners) r.start();
  if (worker) {
    say(`  worker ${process.pid} serving ${config.baseUrl}/`);
    return;
  }
  say('');
  say(`  Dateline is running at ${config.baseUrl}/`);
  say(`  Database: ${handle.description}`);
  if (handle.routing) say(`  Read replicas: ${handle.routing.replicas.replicas.map((r) => r.description).join(', ')} (public reads; the newsroom reads the primary)`);
  say(`  Content API: ${config.baseUrl}/api/v1/articles · API docs: ${config.baseUrl}/api/docs`);
  say(`  Email: ${config.smtpUrl ? `on, via ${new URL(config.smtpUrl).host}` : 'off (set SMTP_URL to email invitations, password resets and review notices)'}`);
  const setupToken = await services.newsroom.auth.createSetupToken();
  if (setupToken) {
    say('');
    say('  Newsroom setup: no account exists yet. Open this one-time link to create the');
    say('  owner account (it works once and expires in 24 hours; restart for a new one):');
    say(`    ${config.baseUrl}/admin/setup?token=${setupToken}`);
  } else {
    say(`  Newsroom: ${config.baseUrl}/admin/`);
  }
  // Catch up on anything scheduled to go live while no process was running.
  void services.newsroom.workflow.publishDue().catch((err: unknown) => app.log.error({ err }, 'scheduled publishing catch-up failed'));
  say('');
}

/** Migrations, demo content and index upgrades, once, before the cluster's workers start. */
async function prepareDatabase(config: Config): Promise<void> {
  await withDatabase(config, async (handle) => {
    await prepareContent(createServices(handle, config, { warn: (m) => say(`warning: ${m}`) }), config, say);
  });
}

/** A process that only runs background jobs (add as many as the work needs). */
async function worker(config: Config): Promise<void> {
  const handle = openDatabase(config.databaseUrl);
  await migrateToLatest(handle);
  const services = createServices(handle, config, { warn: (m) => say(`warning: ${m}`) });
  const runner = new JobRunner(services.repos.jobs, createJobHandlers(services), services.clock, {
    names: MAIN_RUNNER_NAMES,
    log: (level, message, detail) => (level === 'info' ? say(message) : process.stderr.write(`${level}: ${message} ${JSON.stringify(detail ?? {})}\n`)),
  });
  const hookRunners = webhookRunners(services.repos.jobs, createJobHandlers(services), services.clock, config.webhookWorkers);
  // Purges from jobs (scheduled publishing) reach the web processes over Redis too.
  await services.pageCaching.start();
  // Expiring banners (a job) wake the web processes over Redis.
  await services.live.start();
  const stop = async () => {
    await runner.stop();
    await Promise.all(hookRunners.map((r) => r.stop()));
    await services.pageCaching.stop();
    services.live.stop();
    await handle.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  await services.wires.ensureScheduled();
  runner.start();
  for (const r of hookRunners) r.start();
  say(`Dateline worker ${runner.workerId} is running jobs (Ctrl-C to stop).`);
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] && ARCHIVE_COMMANDS.has(argv[0]) && !argv.includes('--help')) return archiveCommand(argv, loadConfig(), say);
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      reset: { type: 'boolean', default: false },
      yes: { type: 'boolean', short: 'y', default: false },
      'search-only': { type: 'boolean', default: false },
      threads: { type: 'string' },
      email: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      workers: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
  });
  const command = positionals[0] ?? 'serve';
  if (values.help || command === 'help') {
    say(HELP);
    return;
  }
  const config = loadConfig();
  switch (command) {
    case 'serve': {
      const workers = values.workers === undefined ? 1 : Number(values.workers);
      if (!Number.isInteger(workers) || workers < 1 || workers > 64) throw new Error(`--workers must be a whole number from 1 to 64 (got "${values.workers}")`);
      if (workers === 1 || isClusterWorker()) return serve(config);
      return runCluster(workers, () => prepareDatabase(config), say, config.shutdownTimeoutSeconds * 1000);
    }
    case 'migrate':
      return migrate(config);
    case 'reindex': {
      const threads = values.threads === undefined ? undefined : Number(values.threads);
      if (threads !== undefined && (!Number.isInteger(threads) || threads < 0 || threads > 64)) {
        throw new Error(`--threads must be a whole number from 0 to 64 (got "${values.threads}")`);
      }
      return withDatabase(config, (handle) =>
        reindex(createServices(handle, config, { warn: (m) => say(`warning: ${m}`) }), { searchOnly: values['search-only'] ?? false, threads, say }),
      );
    }
    case 'demo':
      return demo(config, values.reset ?? false, values.yes ?? false);
    case 'jobs':
      return withDatabase(config, async (handle) => {
        const services = createServices(handle, config, { warn: (m) => say(`warning: ${m}`) });
        await services.pageCaching.start();
        const ran = await new JobRunner(services.repos.jobs, createJobHandlers(services), services.clock).runDue().finally(() => services.pageCaching.stop());
        say(`Ran ${ran} due job(s).`);
      });
    case 'worker':
      return worker(config);
    case 'user':
      if (positionals[1] !== 'create') throw new Error('Unknown user command. Run "dateline help".');
      return withDatabase(config, (handle) => createUserCommand(createServices(handle, config), values, say));
    default:
      throw new Error(`Unknown command "${command}". Run "dateline help".`);
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof ConfigError) process.stderr.write(`${err.message}\n`);
  else process.stderr.write(`dateline: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
