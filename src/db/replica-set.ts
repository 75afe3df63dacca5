import { PostgresDialect, type DatabaseConnection, type Driver } from 'kysely';
import pg from 'pg';
import { postgresTypes } from './postgres-types.js';

/** A PostgreSQL WAL position (`pg_lsn`, "16/B374D848") as a number, so positions compare. */
export function parseLsn(text: string): bigint {
  const m = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(text.trim());
  if (!m) throw new Error(`not a WAL position: ${text}`);
  return (BigInt(`0x${m[1]}`) << 32n) | BigInt(`0x${m[2]}`);
}

export function formatLsn(lsn: bigint): string {
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`;
}

/** How long a health check waits for an answer. */
const CHECK_TIMEOUT_MS = 3000;

/** A check that hangs (a server gone silent) would stop every later check: it fails instead. */
async function answerWithin<T>(query: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([query, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface ReplicaSetOptions {
  /** A replica further behind than this is skipped until it catches up. */
  maxLagMs: number;
  /** How often each replica is checked. */
  checkMs: number;
  poolSize: number;
  /** The primary's current WAL position. */
  primaryLsn: () => Promise<bigint>;
}

/** One streaming standby: its own pool, and what the last check found. */
export class Replica {
  readonly pool: pg.Pool;
  readonly driver: Driver;
  readonly ready: Promise<void>;
  /** In the rotation: answering, a standby, and within the lag bound. */
  healthy = false;
  /** WAL it has applied, as of the last check (0 when unknown). */
  replayLsn = 0n;
  lagMs = 0;
  /** Why it is out of the rotation (for the log and /metrics). */
  reason = 'not checked yet';
  reads = 0;
  private refreshing: Promise<void> | null = null;
  private refreshedAt = 0;

  constructor(
    readonly description: string,
    url: string,
    poolSize: number,
  ) {
    // Bounded waits: a replica that stops answering (not refusing) must cost readers seconds, not minutes.
    this.pool = new pg.Pool({ connectionString: url, max: poolSize, types: postgresTypes as never, connectionTimeoutMillis: 2000, query_timeout: 10_000, keepAlive: true });
    // A replica going away must not end the process: its queries fail and fall back to the primary.
    this.pool.on('error', () => undefined);
    this.pool.on('connect', (client) => void client.on('error', () => undefined));
    this.driver = new PostgresDialect({ pool: this.pool }).createDriver();
    this.ready = this.driver.init();
  }

  private down: { promise: Promise<never>; reject: (err: Error) => void } | null = null;

  /** Rejects when this replica leaves the rotation: reads waiting on it go elsewhere instead of waiting for their timeout. */
  whenDown(): Promise<never> {
    if (!this.down) {
      let reject!: (err: Error) => void;
      const promise = new Promise<never>((_, r) => (reject = r));
      promise.catch(() => undefined);
      this.down = { promise, reject };
    }
    return this.down.promise;
  }

  /** Called on leaving the rotation. */
  leftRotation(reason: string): void {
    this.down?.reject(new Error(`read replica ${this.description} left the rotation: ${reason}`));
    this.down = null;
  }

  async acquire(): Promise<DatabaseConnection> {
    await this.ready;
    return this.driver.acquireConnection();
  }

  /** Reads how far it has replayed (one query; concurrent callers share it, and it is asked at most every 5 ms). */
  refreshReplay(): Promise<void> {
    if (!this.refreshing && Date.now() - this.refreshedAt < 5) return Promise.resolve();
    this.refreshedAt = Date.now();
    this.refreshing ??= this.pool
      .query<{ lsn: string | null }>('select pg_last_wal_replay_lsn()::text as lsn')
      .then((r) => {
        if (r.rows[0]?.lsn) this.replayLsn = parseLsn(r.rows[0].lsn);
      })
      .finally(() => {
        this.refreshing = null;
      });
    return this.refreshing;
  }
}

/**
 * The read replicas and their health. Each check reads the primary's WAL position and
 * each replica's replay position: a replica's lag is how long ago the primary was first
 * seen at a position the replica has not applied yet (0 when it has applied everything
 * the primary had at the previous check). A replica that fails a query, is not a standby,
 * or lags beyond `maxLagMs` leaves the rotation until a check finds it well again.
 */
export class ReplicaSet {
  readonly replicas: Replica[];
  /** Public reads need a replica that has applied at least this (raised after purges). */
  floor = 0n;
  /** A purge's fence could not read the primary's position: no replica serves until a check reads it. */
  private fencePending = false;
  primaryReads = 0;
  /** Said once when a replica leaves the rotation and once when it is back (the server points it at its log). */
  log: (level: 'info' | 'warn', message: string) => void = (level, message) => void (level === 'warn' && process.emitWarning(message));
  /** Primary positions seen by recent checks, oldest first (bounded). */
  private samples: { lsn: bigint; at: number }[] = [];
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private checking: Promise<void> | null = null;
  private next = 0;

  constructor(
    urls: string[],
    private readonly options: ReplicaSetOptions,
  ) {
    this.replicas = urls.map((url) => {
      const safe = new URL(url);
      if (safe.password) safe.password = '***';
      return new Replica(safe.toString(), url, options.poolSize);
    });
  }

  /** How long a browser's "read after my write" position matters: past it, every replica in the rotation has applied it. */
  get stickySeconds(): number {
    return Math.ceil((this.options.maxLagMs + 2 * this.options.checkMs) / 1000);
  }

  /** Checks now, then every `checkMs`. */
  async start(): Promise<void> {
    await this.check();
    const tick = () => {
      if (this.closed) return;
      this.timer = setTimeout(() => void this.check().finally(tick), this.options.checkMs);
      this.timer.unref();
    };
    tick();
  }

  /** Checks every replica once (concurrent callers share the check). */
  check(): Promise<void> {
    this.checking ??= this.runCheck().finally(() => {
      this.checking = null;
    });
    return this.checking;
  }

  private async runCheck(): Promise<void> {
    const now = Date.now();
    const primary = await answerWithin(this.options.primaryLsn()).catch(() => null);
    if (primary !== null && (this.samples.at(-1)?.lsn ?? -1n) < primary) this.samples.push({ lsn: primary, at: now });
    if (primary !== null && this.fencePending) {
      this.raiseFloor(primary);
      this.fencePending = false;
    }
    await Promise.all(this.replicas.map((r) => this.checkOne(r, now)));
    // Keep only what some replica may still be behind (and never more than a few hundred).
    const oldestReplay = this.replicas.reduce((min, r) => (r.replayLsn < min ? r.replayLsn : min), primary ?? 0n);
    while (this.samples.length > 1 && (this.samples[1]!.lsn <= oldestReplay || this.samples.length > 300)) this.samples.shift();
  }

  private async checkOne(replica: Replica, now: number): Promise<void> {
    try {
      const { rows } = await answerWithin(replica.pool.query<{ standby: boolean; lsn: string | null }>('select pg_is_in_recovery() as standby, pg_last_wal_replay_lsn()::text as lsn'));
      const row = rows[0];
      if (!row?.standby || !row.lsn) return this.setHealth(replica, false, 'it is not a streaming standby (promoted, or not a replica)');
      replica.replayLsn = parseLsn(row.lsn);
      const behind = this.samples.find((s) => s.lsn > replica.replayLsn);
      replica.lagMs = behind ? now - behind.at : 0;
      if (replica.lagMs > this.options.maxLagMs) return this.setHealth(replica, false, `it is ${replica.lagMs} ms behind the primary (DATABASE_REPLICA_MAX_LAG_MS=${this.options.maxLagMs})`);
      this.setHealth(replica, true, '');
    } catch (err) {
      this.markDown(replica, err);
    }
  }

  /** Takes a replica out of the rotation after a failed query (the next good check re-admits it). */
  markDown(replica: Replica, err: unknown): void {
    this.setHealth(replica, false, `it does not answer: ${err instanceof Error ? err.message : String(err)}`);
  }

  private setHealth(replica: Replica, healthy: boolean, reason: string): void {
    if (replica.healthy !== healthy) {
      if (healthy) this.log('info', `read replica ${replica.description} is back in the rotation`);
      else this.log('warn', `read replica ${replica.description} left the rotation: ${reason}; its reads go to the primary or another replica`);
    }
    replica.healthy = healthy;
    replica.reason = reason;
    if (!healthy) replica.leftRotation(reason);
  }

  /**
   * A healthy replica that has applied `minLsn` (and the purge floor): `preferred` when it
   * qualifies, else the next in turn; null when
   * none has: the caller reads from the primary. A replica that looks behind is asked
   * again (one query at a time), since it usually catches up within milliseconds.
   */
  async pick(minLsn: bigint, preferred?: Replica): Promise<Replica | null> {
    const need = minLsn > this.floor ? minLsn : this.floor;
    if (preferred?.healthy && !this.fencePending && preferred.replayLsn >= need) return preferred;
    const healthy = this.replicas.filter((r) => r.healthy);
    if (!healthy.length || this.fencePending) return null;
    let fresh = healthy.filter((r) => r.replayLsn >= need);
    if (!fresh.length) {
      await Promise.all(healthy.map((r) => r.refreshReplay().catch((err: unknown) => this.markDown(r, err))));
      fresh = healthy.filter((r) => r.healthy && r.replayLsn >= need);
    }
    if (!fresh.length) return null;
    return fresh[this.next++ % fresh.length]!;
  }

  /** Public reads from now on need a replica that has applied `lsn`. */
  raiseFloor(lsn: bigint): void {
    if (lsn > this.floor) this.floor = lsn;
  }

  /** A fence whose position is unknown (the primary did not answer): replicas wait for the next check that reads it. */
  fenceUnknown(): void {
    this.fencePending = true;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.checking?.catch(() => undefined);
    await Promise.all(this.replicas.map(async (r) => (await r.ready.catch(() => undefined), r.driver.destroy().catch(() => undefined))));
  }
}
