import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './redis-server.js';

/** The newest installed PostgreSQL server binaries (Debian's postgresql-NN package), or '' when there are none. */
function findServerBin(): string {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return '';
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'pg_basebackup')) && existsSync(join(root, v, 'bin', 'initdb')));
  versions.sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(root, versions[0]!, 'bin') : '';
}

const PG_BIN = findServerBin();
/** Whether a primary/replica pair can be made on this machine (CI installs the server; tests that need it fail there without it). */
export const PG_SERVER_AVAILABLE = PG_BIN !== '';
if (!PG_SERVER_AVAILABLE && process.env.CI === 'true') throw new Error('PostgreSQL server binaries are required in CI (apt-get install postgresql)');

const PREFIX = 'dateline-pgpair-';
const asRoot = process.getuid?.() === 0;

/** Runs a PostgreSQL binary as the `postgres` OS user (the server refuses to run as root). */
function run(bin: string, args: string[], options: { allowFail?: boolean } = {}): string {
  const command = asRoot ? ['runuser', ['-u', 'postgres', '--', join(PG_BIN, bin), ...args]] as const : [join(PG_BIN, bin), args] as const;
  const result = spawnSync(command[0], command[1], { encoding: 'utf8', timeout: 120_000 });
  if (result.status !== 0 && !options.allowFail) throw new Error(`${bin} ${args.join(' ')} failed (${result.status}): ${result.stderr || result.stdout}`);
  return result.stdout;
}

/** Stops a cluster at once if it runs (`immediate`: used for leftovers and at exit). */
function stopCluster(dataDir: string, mode: 'fast' | 'immediate'): void {
  if (existsSync(join(dataDir, 'postmaster.pid'))) run('pg_ctl', ['stop', '-D', dataDir, '-m', mode, '-w', '-t', '30'], { allowFail: true });
}

/** Stops and removes pairs whose test process is gone (a killed run leaves them behind). */
function sweepStale(): void {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(PREFIX)) continue;
    const dir = join(tmpdir(), name);
    const owner = Number(existsSync(join(dir, 'owner.pid')) ? readFileSync(join(dir, 'owner.pid'), 'utf8') : 0);
    if (owner && isAlive(owner)) continue;
    stopCluster(join(dir, 'replica'), 'immediate');
    stopCluster(join(dir, 'primary'), 'immediate');
    rmSync(dir, { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Settings for a small, fast throwaway cluster: loopback only, its socket in its own folder, no fsync. */
function clusterSettings(port: number, socketDir: string): string {
  return [
    `port = ${port}`,
    `listen_addresses = '127.0.0.1'`,
    `unix_socket_directories = '${socketDir}'`,
    'wal_level = replica',
    'max_wal_senders = 4',
    'hot_standby = on',
    'hot_standby_feedback = on',
    'fsync = off',
    'full_page_writes = off',
    'shared_buffers = 16MB',
    'max_connections = 40',
    // A paused standby must not cancel readers' queries for a conflict; the tests pause replay on purpose.
    'max_standby_streaming_delay = -1',
    '',
  ].join('\n');
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function query<T = Record<string, unknown>>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows as T[];
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * A PostgreSQL primary and a streaming replica of it (`pg_basebackup -R`), each a cluster
 * of its own on a free loopback port, made for one test file (the shared server on 5432 is
 * never touched). The replica can be stopped and started again, and its replay paused.
 */
export class PgReplicaPair {
  private stopped = false;

  private constructor(
    readonly dir: string,
    readonly primaryPort: number,
    readonly replicaPort: number,
  ) {}

  get primaryUrl(): string {
    return `postgres://postgres@127.0.0.1:${this.primaryPort}/postgres`;
  }

  get replicaUrl(): string {
    return `postgres://postgres@127.0.0.1:${this.replicaPort}/postgres`;
  }

  static async start(): Promise<PgReplicaPair> {
    if (!PG_SERVER_AVAILABLE) throw new Error('PostgreSQL server binaries are not installed');
    sweepStale();
    const dir = mkdtempSync(join(tmpdir(), PREFIX));
    writeFileSync(join(dir, 'owner.pid'), String(process.pid));
    if (asRoot) {
      const ids = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim();
      const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim();
      chownSync(dir, Number(ids), Number(gid));
    }
    const pair = new PgReplicaPair(dir, await freePort(), await freePort());
    // Also on a failed start and on an unexpected exit of the test process.
    process.once('exit', () => pair.stopNow());
    try {
      await pair.init();
      return pair;
    } catch (err) {
      pair.stopNow();
      throw err;
    }
  }

  private async init(): Promise<void> {
    const primary = join(this.dir, 'primary');
    run('initdb', ['-D', primary, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
    appendFileSync(join(primary, 'postgresql.conf'), clusterSettings(this.primaryPort, this.dir));
    run('pg_ctl', ['start', '-D', primary, '-l', join(this.dir, 'primary.log'), '-w', '-t', '60']);
    run('pg_basebackup', ['-h', '127.0.0.1', '-p', String(this.primaryPort), '-U', 'postgres', '-D', join(this.dir, 'replica'), '-R', '-X', 'stream', '--checkpoint=fast', '--no-sync']);
    appendFileSync(join(this.dir, 'replica', 'postgresql.conf'), `port = ${this.replicaPort}\n`);
    await this.startReplica();
  }

  /** Starts the replica (again) and waits until it streams from the primary. */
  async startReplica(): Promise<void> {
    run('pg_ctl', ['start', '-D', join(this.dir, 'replica'), '-l', join(this.dir, 'replica.log'), '-w', '-t', '60']);
    await waitFor('the replica to stream', async () => (await query(this.primaryUrl, "select 1 from pg_stat_replication where state = 'streaming'")).length > 0);
  }

  /** Stops the replica (fast shutdown: its clients are disconnected). */
  async stopReplica(): Promise<void> {
    stopCluster(join(this.dir, 'replica'), 'fast');
  }

  /** Every process of the replica stops (SIGSTOP) or goes on (SIGCONT): a server gone silent, not one refusing connections. */
  freezeReplica(freeze: boolean): void {
    const postmaster = readFileSync(join(this.dir, 'replica', 'postmaster.pid'), 'utf8').split('\n')[0]!.trim();
    const children = spawnSync('ps', ['-o', 'pid=', '--ppid', postmaster], { encoding: 'utf8' }).stdout.split('\n').map((p) => p.trim()).filter(Boolean);
    for (const pid of [postmaster, ...children]) process.kill(Number(pid), freeze ? 'SIGSTOP' : 'SIGCONT');
  }

  /** The replica stops applying WAL (it still receives it): its data stays as of now. */
  async pauseReplay(): Promise<void> {
    await query(this.replicaUrl, 'select pg_wal_replay_pause()');
  }

  async resumeReplay(): Promise<void> {
    await query(this.replicaUrl, 'select pg_wal_replay_resume()');
  }

  /** Waits until the replica has applied everything the primary wrote so far. */
  async waitForReplay(): Promise<void> {
    const lsn = (await query<{ lsn: string }>(this.primaryUrl, 'select pg_current_wal_lsn()::text as lsn'))[0]!.lsn;
    await waitFor('the replica to replay', async () => (await query<{ ok: boolean }>(this.replicaUrl, `select pg_last_wal_replay_lsn() >= '${lsn}'::pg_lsn as ok`))[0]!.ok);
  }

  /** Stops both clusters (fast) and removes their files. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    stopCluster(join(this.dir, 'replica'), 'fast');
    stopCluster(join(this.dir, 'primary'), 'fast');
    rmSync(this.dir, { recursive: true, force: true });
  }

  private stopNow(): void {
    if (this.stopped) return;
    this.stopped = true;
    stopCluster(join(this.dir, 'replica'), 'immediate');
    stopCluster(join(this.dir, 'primary'), 'immediate');
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Starts a primary and a streaming replica of it; call `stop()` when done (an exiting process stops them too). */
export function startPgReplicaPair(): Promise<PgReplicaPair> {
  return PgReplicaPair.start();
}
