import type { LiveEventRow } from '../../db/repositories/live.repository.js';

/** One open SSE connection. */
export interface LiveReader {
  readonly channels: readonly string[];
  /** Writes a frame (UTF-8, encoded once for every reader); false when the connection's buffer is full. */
  write(frame: Buffer): boolean;
  /** Bytes queued but not yet sent (a reader past the limit is dropped; it reconnects and resumes). */
  readonly buffered: number;
  close(): void;
}

interface Subscriber {
  reader: LiveReader;
  /** Highest event id written to it. */
  lastId: number;
  /** Events that arrived while its replay from the database was running. */
  pending: { id: number; frame: Buffer }[] | null;
}

export interface LiveEventSource {
  eventsAfter(afterId: number, limit: number, channels?: readonly string[]): Promise<LiveEventRow[]>;
  lastEventId(): Promise<number>;
  /** Oldest event kept (the log is pruned from the front); 0 when empty. */
  firstEventId(): Promise<number>;
}

/** Counts for /metrics and the benchmark. */
export interface HubStats {
  readers: number;
  /** Database reads of new events (one per wake-up, whatever the number of readers). */
  reads: number;
  events: number;
  framesWritten: number;
  replaysFromMemory: number;
  replaysFromDatabase: number;
  dropped: number;
  /** Events handed over ready (a local commit or a Redis message carrying them): no database read. */
  delivered: number;
  /** Wake-ups by the safety poll. */
  polls: number;
}

const READ_BATCH = 500;
/** Recent frames kept in memory: reconnects within this window need no query. */
const RING_SIZE = 2000;
const MAX_BUFFERED = 1 << 20;
const MAX_REPLAY = 5000;

/** The SSE frame of an event, encoded once: every reader is sent the same bytes. */
export const sseFrame = (e: Pick<LiveEventRow, 'id' | 'type' | 'payload'>) => Buffer.from(`id: ${e.id}\nevent: ${e.type}\ndata: ${e.payload}\n\n`);
const HEARTBEAT = Buffer.from(': heartbeat\n\n');
const RESET = Buffer.from('event: reset\ndata: {}\n\n');

/**
 * The live hub of one process: it reads each new event of the log once and writes the
 * ready-made frame to every reader of its channel. Readers resume from an event id: from
 * the in-memory ring of recent frames when it reaches back far enough, else from the
 * database, with events arriving meanwhile held back and written after, so a reader
 * gets every event of its channels once, in order.
 */
export class LiveHub {
  readonly stats: HubStats = { readers: 0, reads: 0, events: 0, framesWritten: 0, replaysFromMemory: 0, replaysFromDatabase: 0, dropped: 0, delivered: 0, polls: 0 };
  private readonly byChannel = new Map<string, Set<Subscriber>>();
  private readonly subscribers = new Map<LiveReader, Subscriber>();
  private lastId = 0;
  private ring: { id: number; channel: string; frame: Buffer }[] = [];
  /** The ring holds every event with id > ringFloor. */
  private ringFloor = 0;
  private started: Promise<void> | null = null;
  /** lastId is known (start has read where the log ends). */
  private ready = false;
  private reading: Promise<void> | null = null;
  private again = false;
  private heartbeat: NodeJS.Timeout | null = null;
  private poller: NodeJS.Timeout | null = null;

  constructor(
    private readonly source: LiveEventSource,
    private readonly options: { heartbeatMs: number; pollMs: number; maxReplay?: number } = { heartbeatMs: 15_000, pollMs: 1000 },
  ) {}

  /** Reads where the log ends, starts heartbeats and the safety poll (idempotent). */
  start(): Promise<void> {
    this.started ??= (async () => {
      this.lastId = await this.source.lastEventId();
      this.ringFloor = this.lastId;
      this.ready = true;
      this.heartbeat = setInterval(() => this.beat(), this.options.heartbeatMs);
      this.heartbeat.unref();
      if (this.options.pollMs > 0) {
        this.poller = setInterval(() => {
          if (!this.subscribers.size) return;
          this.stats.polls++;
          void this.wake();
        }, this.options.pollMs);
        this.poller.unref();
      }
    })();
    return this.started;
  }

  get position(): number {
    return this.lastId;
  }

  /** New events may be in the log: read them once and fan them out. Calls made during a read coalesce into one more read. */
  wake(): Promise<void> {
    if (this.reading) {
      this.again = true;
      return this.reading;
    }
    this.reading = (async () => {
      await this.start();
      do {
        this.again = false;
        let batch: LiveEventRow[];
        do {
          this.stats.reads++;
          batch = await this.source.eventsAfter(this.lastId, READ_BATCH).catch(() => []);
          for (const e of batch) this.dispatch(e);
        } while (batch.length === READ_BATCH);
      } while (this.again);
    })().finally(() => {
      this.reading = null;
    });
    return this.reading;
  }

  /**
   * Events handed over whole (this process's commit, or another's over Redis): written
   * out without reading the log when they follow on from the last one this hub has;
   * otherwise (a gap: something in between was missed) the log is read.
   */
  deliver(events: readonly LiveEventRow[]): void {
    if (!this.ready) {
      void this.wake();
      return;
    }
    for (const e of events) {
      if (e.id <= this.lastId) continue;
      if (e.id !== this.lastId + 1) {
        void this.wake();
        return;
      }
      this.stats.delivered++;
      this.dispatch(e);
    }
  }

  private dispatch(e: LiveEventRow): void {
    if (e.id <= this.lastId) return;
    this.lastId = e.id;
    this.stats.events++;
    const frame = sseFrame(e);
    this.ring.push({ id: e.id, channel: e.channel, frame });
    if (this.ring.length > RING_SIZE) this.ringFloor = this.ring.splice(0, this.ring.length - RING_SIZE).at(-1)!.id;
    const subs = this.byChannel.get(e.channel);
    if (!subs) return;
    for (const s of subs) {
      if (s.pending) s.pending.push({ id: e.id, frame });
      else this.send(s, e.id, frame);
    }
  }

  private send(s: Subscriber, id: number, frame: Buffer): void {
    if (id <= s.lastId) return;
    s.lastId = id;
    s.reader.write(frame);
    this.stats.framesWritten++;
    if (s.reader.buffered > MAX_BUFFERED) {
      // Too slow to keep up: it reconnects with Last-Event-ID and resumes.
      this.stats.dropped++;
      this.remove(s.reader);
      s.reader.close();
    }
  }

  /**
   * Adds a reader that has seen every event up to `since` (null: from now on) and sends
   * it what it missed of its channels.
   */
  async add(reader: LiveReader, since: number | null): Promise<void> {
    await this.start();
    const s: Subscriber = { reader, lastId: since ?? this.lastId, pending: null };
    const from = s.lastId;
    this.subscribers.set(reader, s);
    this.stats.readers = this.subscribers.size;
    for (const c of reader.channels) {
      let set = this.byChannel.get(c);
      if (!set) this.byChannel.set(c, (set = new Set()));
      set.add(s);
    }
    if (from >= this.lastId) return;
    if (from >= this.ringFloor) {
      this.stats.replaysFromMemory++;
      const wanted = new Set(reader.channels);
      for (const e of this.ring) if (e.id > from && wanted.has(e.channel)) this.send(s, e.id, e.frame);
      return;
    }
    this.stats.replaysFromDatabase++;
    s.pending = [];
    try {
      const maxReplay = this.options.maxReplay ?? MAX_REPLAY;
      const first = await this.source.firstEventId();
      // Events after `from` were pruned (older than the kept window): it cannot be replayed whole.
      const pruned = first > 0 && from < first - 1;
      const missed = pruned ? [] : await this.source.eventsAfter(from, maxReplay + 1, reader.channels);
      if (pruned || missed.length > maxReplay) {
        // Too far behind to replay: the page reloads (its fresh copy resumes from now).
        this.remove(reader);
        reader.write(RESET);
        reader.close();
        return;
      }
      for (const e of missed) {
        if (!this.subscribers.has(reader)) return;
        this.send(s, e.id, sseFrame(e));
      }
    } finally {
      const held = s.pending ?? [];
      s.pending = null;
      for (const p of held) this.send(s, p.id, p.frame);
    }
  }

  remove(reader: LiveReader): void {
    const s = this.subscribers.get(reader);
    if (!s) return;
    this.subscribers.delete(reader);
    this.stats.readers = this.subscribers.size;
    for (const c of reader.channels) {
      const set = this.byChannel.get(c);
      set?.delete(s);
      if (set && !set.size) this.byChannel.delete(c);
    }
  }

  /** A comment line keeps proxies from closing idle connections. */
  private beat(): void {
    for (const reader of this.subscribers.keys()) reader.write(HEARTBEAT);
  }

  /** Ends every connection (shutdown). */
  stop(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.poller) clearInterval(this.poller);
    this.heartbeat = this.poller = null;
    for (const reader of [...this.subscribers.keys()]) {
      this.remove(reader);
      reader.close();
    }
    this.started = null;
    this.ready = false;
  }
}
