import { AsyncLocalStorage } from 'node:async_hooks';
import type { CompiledQuery, DatabaseConnection, Dialect, Driver, Kysely, QueryResult, TransactionSettings } from 'kysely';
import { formatLsn, parseLsn, type Replica, type ReplicaSet } from './replica-set.js';

/** A unit of work allowed to read from a replica (a public GET request). */
interface ReadScope {
  /** The reader has seen (or written) this WAL position: a replica must have applied it. */
  minLsn: bigint;
  /** The work wrote, or a replica failed it: the rest of it stays on the primary. */
  primary: boolean;
  /** The replica its first read used: later reads stay there while it serves, so one page sees one state. */
  replica?: Replica;
}

/** SELECTs, and raw SQL that only reads (a SELECT, or a WITH … SELECT that changes nothing), may run on a replica; everything else goes to the primary. */
function isRead(query: CompiledQuery): boolean {
  const kind = query.query.kind;
  if (kind === 'SelectQueryNode') return true;
  if (kind !== 'RawNode') return false;
  const text = query.sql;
  if (/^\s*select\b/i.test(text)) return !LOCKING.test(text);
  return /^\s*with\b/i.test(text) && !WRITING.test(text) && !LOCKING.test(text);
}
const LOCKING = /\bfor\s+(update|share|no\s+key\s+update|key\s+share)\b/i;
const WRITING = /\b(insert|update|delete|merge)\b/i;

/**
 * A connection handed to a public read: SELECTs run on the replica; the first write or
 * transaction moves the work to a primary connection (as does any replica failure, which
 * the read then retries on the primary, so a replica going away mid-request costs the
 * reader only time).
 */
class RoutedConnection implements DatabaseConnection {
  primary: DatabaseConnection | null = null;

  constructor(
    /** The replica connection and where it came from; null when no replica could serve. */
    private replica: { connection: DatabaseConnection; source: Replica } | null,
    private readonly routing: ReadRouting,
    private readonly scope: ReadScope,
    private readonly primaryDriver: Driver,
  ) {}

  async toPrimary(): Promise<DatabaseConnection> {
    this.primary ??= await this.primaryDriver.acquireConnection();
    return this.primary;
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const replica = this.replica;
    if (replica && !this.primary && !this.scope.primary && isRead(query)) {
      try {
        const result = await Promise.race([replica.connection.executeQuery<R>(query), replica.source.whenDown()]);
        replica.source.reads++;
        return result;
      } catch (err) {
        this.routing.replicaFailed(replica.source, err);
        this.scope.primary = true;
      }
    }
    if (!isRead(query)) this.scope.primary = true;
    this.routing.replicas.primaryReads++;
    return (await this.toPrimary()).executeQuery<R>(query);
  }

  async *streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    // A stream that failed halfway cannot be replayed elsewhere: streams stay on the primary.
    yield* (await this.toPrimary()).streamQuery<R>(query, chunkSize);
  }

  async release(): Promise<void> {
    const [replica, primary] = [this.replica, this.primary];
    this.replica = null;
    this.primary = null;
    if (replica) await replica.source.driver.releaseConnection(replica.connection).catch(() => undefined);
    if (primary) await this.primaryDriver.releaseConnection(primary);
  }
}

/**
 * Sends public reads to healthy read replicas and everything else to the primary. Work
 * run inside `publicReads()` (the HTTP layer wraps public GET requests in it) reads from a
 * replica that has applied both the reader's own last write (`minLsn`) and the last page
 * purge (`fence()`), so a page re-rendered after a publish never comes from a replica
 * that has not seen that publish; without such a replica it reads from the primary.
 * Outside `publicReads()` nothing changes: the newsroom, jobs and every write use the primary.
 */
export class ReadRouting {
  private readonly storage = new AsyncLocalStorage<ReadScope>();
  constructor(
    readonly replicas: ReplicaSet,
    /** The primary's current WAL position. */
    readonly primaryLsn: () => Promise<bigint>,
  ) {}

  /** Runs `next` (and everything it starts) with its reads on a replica that has applied `minLsn`. */
  publicReads<T>(minLsn: bigint, next: () => T): T {
    return this.storage.run({ minLsn, primary: false }, next);
  }

  /** Runs `next` with every read on the primary (inside a public scope). */
  onPrimary<T>(next: () => T): T {
    return this.storage.run({ minLsn: 0n, primary: true }, next);
  }

  /** The same, as PostgreSQL writes it (for a cookie). */
  async primaryLsnText(): Promise<string> {
    return formatLsn(await this.primaryLsn());
  }

  /** Parses a position a client sent back; null when it is not one. */
  static parseLsn(text: string | undefined): bigint | null {
    if (!text) return null;
    try {
      return parseLsn(text);
    } catch {
      return null;
    }
  }

  /**
   * Called before a page purge reaches any cache: public reads from now on need a replica
   * that has applied everything committed so far. Without it, the re-render that follows a
   * purge could come from a lagging replica and put the old page back in the cache.
   * If the primary does not answer, no replica serves public reads until a check has read
   * the primary's position again (stale pages must not be cached meanwhile).
   */
  async fence(): Promise<void> {
    try {
      this.replicas.raiseFloor(await this.primaryLsn());
    } catch {
      this.replicas.fenceUnknown();
    }
  }

  replicaFailed(replica: Replica, err: unknown): void {
    // A query the primary would refuse too (a syntax error) fails again there; anything
    // connection-level takes the replica out of the rotation until the next good check.
    const code = (err as { code?: string }).code ?? '';
    if (!replica.healthy) return; // already out (its leaving is what failed this read)
    if (!code || code.startsWith('08') || code.startsWith('57') || code.startsWith('53')) this.replicas.markDown(replica, err);
  }

  /** Wraps the primary's dialect so its driver sends public reads to replicas. */
  dialect(inner: Dialect): Dialect {
    return {
      createAdapter: () => inner.createAdapter(),
      createQueryCompiler: () => inner.createQueryCompiler(),
      createIntrospector: (db: Kysely<any>) => inner.createIntrospector(db),
      createDriver: () => this.driver(inner.createDriver()),
    };
  }

  private driver(inner: Driver): Driver {
    const unwrap = (c: DatabaseConnection) => (c instanceof RoutedConnection ? c.primary! : c);
    return {
      init: () => inner.init(),
      destroy: async () => {
        await this.replicas.close();
        await inner.destroy();
      },
      acquireConnection: async () => {
        const scope = this.storage.getStore();
        if (!scope || scope.primary) return inner.acquireConnection();
        const source = await this.replicas.pick(scope.minLsn, scope.replica);
        scope.replica = source ?? undefined;
        let replica: { connection: DatabaseConnection; source: Replica } | null = null;
        if (source) {
          try {
            replica = { connection: await source.acquire(), source };
          } catch (err) {
            this.replicas.markDown(source, err);
          }
        }
        return new RoutedConnection(replica, this, scope, inner);
      },
      releaseConnection: async (c) => (c instanceof RoutedConnection ? c.release() : inner.releaseConnection(c)),
      beginTransaction: async (c, settings: TransactionSettings) => inner.beginTransaction(c instanceof RoutedConnection ? await c.toPrimary() : c, settings),
      commitTransaction: (c) => inner.commitTransaction(unwrap(c)),
      rollbackTransaction: (c) => inner.rollbackTransaction(unwrap(c)),
      savepoint: inner.savepoint ? (c, name, compile) => inner.savepoint!(unwrap(c), name, compile) : undefined,
      rollbackToSavepoint: inner.rollbackToSavepoint ? (c, name, compile) => inner.rollbackToSavepoint!(unwrap(c), name, compile) : undefined,
      releaseSavepoint: inner.releaseSavepoint ? (c, name, compile) => inner.releaseSavepoint!(unwrap(c), name, compile) : undefined,
    };
  }
}
