import { AsyncLocalStorage } from 'node:async_hooks';
import type { DatabaseConnection, Dialect, Driver, Kysely, TransactionSettings } from 'kysely';
import { SharedRead, SyncConnection, type SyncConnectionPool } from './postgres-sync/sync-connection.js';

/** One unit of work's own connection: taken on its first query, handed back when the work ends. */
class Pin {
  connection: DatabaseConnection | null = null;
  /** A query or transaction is using the connection now; others in the same work use the pool. */
  busy = false;
  /** The holder began a transaction on it: concurrent queries of the work must not run there. */
  inTransaction = false;
  /** Concurrent queries of the work sharing its synchronous connection (SharedRead), not yet released. */
  sharers = 0;
  /** Concurrent queries of the work waiting for the connection while a plain query holds it. */
  waiters: ((connection: DatabaseConnection | Promise<DatabaseConnection>) => void)[] = [];
  ended = false;
}

/**
 * Keeps one pooled PostgreSQL connection for a unit of work (an editor's request), so
 * its many sequential queries wait for the pool once instead of once each. Under read
 * load every `pool.connect()` queues behind the readers' queries; a create+publish
 * runs about ninety statements one after the other, so that wait, paid ninety times,
 * was most of its time (SQLite runs in-process and never queues).
 *
 * The connection is used by one holder at a time: while a transaction holds it, a
 * concurrent query of the same work takes a pool connection as before, so transaction
 * semantics are exactly those without pinning; while a plain query holds it, a
 * concurrent query (the work's independent reads run together) waits for it instead of
 * queueing for the pool behind the readers (if the holder then begins a transaction,
 * the waiters go to the pool). At most `maxPins` units
 * hold a connection at once (half the pool), so pinned work can never starve the pool.
 *
 * With `sync` connections (the default on PostgreSQL, postgres-sync/), a unit's kept
 * connection is not a pooled one but a synchronous one of its own: its statements are
 * answered within the event-loop turn that sent them, so a create+publish no longer pays
 * a turn behind the readers' callbacks per statement (measured: README, Hardening, soak).
 */
export class ConnectionPinning {
  private readonly storage = new AsyncLocalStorage<Pin>();
  private readonly owners = new WeakMap<DatabaseConnection, Pin>();
  private readonly shares = new WeakMap<SharedRead, Pin>();
  private active = 0;

  constructor(
    private readonly maxPins: number,
    /** Where pinned units take their connection from: synchronous connections, or (absent) the pool. */
    private readonly sync?: SyncConnectionPool,
  ) {}

  /**
   * Runs `next` (and everything it starts) with a connection kept for it, if a pin is
   * free; returns the function that hands the connection back (call it when the work ends).
   */
  enter(next: () => void): () => void {
    if (this.active >= this.maxPins) {
      next();
      return () => {};
    }
    this.active++;
    const pin = new Pin();
    this.storage.run(pin, next);
    return () => {
      if (pin.ended) return;
      pin.ended = true;
      this.active--;
      if (pin.connection && !pin.busy && !pin.sharers) void this.handBack(pin);
    };
  }

  /** Starts up to `count` synchronous connections now (resolves once they answer); until one is ready, pinned units use the pool. */
  async warm(count: number): Promise<void> {
    await this.sync?.warm(Math.min(count, this.maxPins));
  }

  /** Units of work holding a connection now (for tests and metrics). */
  get pinned(): number {
    return this.active;
  }

  private inner: Driver | null = null;

  private async handBack(pin: Pin): Promise<void> {
    const connection = pin.connection!;
    pin.connection = null;
    this.owners.delete(connection);
    if (connection instanceof SyncConnection) this.sync!.release(connection);
    else await this.inner!.releaseConnection(connection);
  }

  /** Wraps a dialect so its driver honours the pins. */
  dialect(inner: Dialect): Dialect {
    return {
      createAdapter: () => inner.createAdapter(),
      createQueryCompiler: () => inner.createQueryCompiler(),
      createIntrospector: (db: Kysely<any>) => inner.createIntrospector(db),
      createDriver: () => {
        this.inner = inner.createDriver();
        return this.driver(this.inner);
      },
    };
  }

  private driver(inner: Driver): Driver {
    return {
      init: () => inner.init(),
      destroy: async () => {
        await this.sync?.destroy();
        await inner.destroy();
      },
      acquireConnection: async () => {
        const pin = this.storage.getStore();
        if (!pin || pin.ended) return inner.acquireConnection();
        if (pin.busy) {
          if (pin.inTransaction) return inner.acquireConnection();
          if (pin.connection instanceof SyncConnection) {
            // Its read goes in one round trip with the work's other concurrent reads (SyncConnection.share).
            pin.sharers++;
            const shared = pin.connection.share(
              () => inner.acquireConnection(),
              (c) => inner.releaseConnection(c),
            );
            this.shares.set(shared, pin);
            return shared;
          }
          return new Promise<DatabaseConnection | Promise<DatabaseConnection>>((resolve) => pin.waiters.push(resolve)).then((c) => c);
        }
        pin.busy = true;
        if (!pin.connection) {
          try {
            const connection = this.sync?.acquire() ?? (await inner.acquireConnection());
            pin.connection = connection;
            this.owners.set(connection, pin);
          } catch (err) {
            pin.busy = false;
            for (const waiter of pin.waiters.splice(0)) waiter(inner.acquireConnection());
            throw err;
          }
        }
        if (pin.connection instanceof SyncConnection) pin.connection.claim();
        return pin.connection!;
      },
      releaseConnection: async (connection) => {
        if (connection instanceof SharedRead) {
          const pin = this.shares.get(connection)!;
          await connection.release();
          pin.sharers--;
          if (pin.ended && !pin.busy && !pin.sharers && pin.connection) await this.handBack(pin);
          return;
        }
        const pin = this.owners.get(connection);
        if (!pin) return inner.releaseConnection(connection);
        if (connection instanceof SyncConnection) connection.released();
        pin.inTransaction = false;
        const next = pin.waiters.shift();
        if (next) return next(connection); // stays busy: the next query of the work has it
        pin.busy = false;
        if (pin.ended && !pin.sharers) await this.handBack(pin);
      },
      beginTransaction: (connection, settings: TransactionSettings) => {
        const pin = this.owners.get(connection);
        if (pin) {
          pin.inTransaction = true;
          // Queries waiting for the connection must not run inside the transaction: to the pool.
          for (const waiter of pin.waiters.splice(0)) waiter(inner.acquireConnection());
        }
        return inner.beginTransaction(connection, settings);
      },
      commitTransaction: (connection) => inner.commitTransaction(connection),
      rollbackTransaction: (connection) => inner.rollbackTransaction(connection),
      savepoint: inner.savepoint?.bind(inner),
      rollbackToSavepoint: inner.rollbackToSavepoint?.bind(inner),
      releaseSavepoint: inner.releaseSavepoint?.bind(inner),
    };
  }
}
