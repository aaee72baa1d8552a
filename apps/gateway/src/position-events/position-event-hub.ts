import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import {
  NotificationListener,
  POSITION_EVENTS_CHANNEL,
  POSITION_EVENTS_PENDING_CHANNEL,
  PositionEventRepository,
} from '@legwork/persistence';
import { counter, gauge, type Registry } from '@legwork/observability';
import { PositionEventStream } from './position-event-stream';
import { CoalescedRun } from './coalesced-run';

/** Events numbered per sequencer transaction. */
const SEQUENCE_BATCH = 500;
/** The least time between two numbering passes while events keep coming, in milliseconds. */
const SEQUENCE_GAP_MS = 100;

export interface PositionEventHubSettings {
  databaseUrl: string;
  /** Open streams one user may hold on this gateway; one more is refused (429). */
  maxStreamsPerUser: number;
  /** Between heartbeat comments on every stream (each also re-reads the log: a lost wake-up costs at most this). */
  heartbeatMs: number;
  /** The reconnection delay suggested to clients (`retry:`), in milliseconds. */
  retryMs: number;
  /** Between sequencer passes without a notification (events recorded while the listener was away). */
  sequencePollMs: number;
}

/**
 * The gateway's side of the position event log: numbers committed events (the sequencer, woken
 * by the triggers' `NOTIFY`), and wakes the open streams of the users whose events were numbered
 * (the sequencer's `NOTIFY`, heard by every gateway replica). One `LISTEN` connection per process,
 * whatever the number of streams; streams read the log themselves, so a lost notification only
 * delays an event until the next heartbeat, never loses it.
 */
export class PositionEventHub {
  private readonly streams = new Map<string, Set<PositionEventStream>>();
  private readonly listener: NotificationListener;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private sequenceTimer: NodeJS.Timeout | null = null;
  // Every status change and fill notifies: under load, one numbering pass per SEQUENCE_GAP_MS
  // numbers all that arrived (a pass is four statements), at the cost of that much SSE latency.
  private readonly sequencer = new CoalescedRun(() => this.sequenceAll(), SEQUENCE_GAP_MS);
  private readonly open;
  private readonly sequenced;

  constructor(
    private readonly events: PositionEventRepository,
    private readonly settings: PositionEventHubSettings,
    private readonly log: Logger,
    registry: Registry,
  ) {
    this.open = gauge(registry, 'position_event_streams', 'Open SSE streams of GET /api/positions/events');
    this.sequenced = counter(registry, 'position_events_sequenced_total', 'Position events numbered by this gateway');
    this.listener = new NotificationListener(settings.databaseUrl, [POSITION_EVENTS_PENDING_CHANNEL, POSITION_EVENTS_CHANNEL], {
      notified: (channel, payload) => (channel === POSITION_EVENTS_PENDING_CHANNEL ? this.sequence() : this.wakeUsers(payload)),
      connected: () => {
        this.sequence();
        this.wakeUsers('*');
      },
      lost: (error) => this.log.warn({ err: error }, 'position events listener lost; reconnecting'),
    });
  }

  /** Nest lifecycle: {@link start}. */
  onModuleInit(): void {
    this.start();
  }

  /** Nest lifecycle, before the HTTP server closes (an open stream would hold it open): {@link stop}. */
  onModuleDestroy(): Promise<void> {
    return this.stop();
  }

  /** Starts listening, the fallback sequencer timer and the heartbeats. */
  start(): void {
    this.listener.start();
    this.sequenceTimer = setInterval(() => this.sequence(), this.settings.sequencePollMs);
    this.heartbeatTimer = setInterval(() => this.forEachStream((s) => s.heartbeat()), this.settings.heartbeatMs);
  }

  /**
   * A new stream of `userId`'s events after `cursor` on `response` (not started: the caller
   * sends its headers with `start`). Synchronous, so two requests cannot both take the last slot.
   * @returns null when the user already holds `maxStreamsPerUser` streams here.
   */
  attach(userId: string, cursor: string, response: ServerResponse): PositionEventStream | null {
    const mine = this.streams.get(userId) ?? new Set<PositionEventStream>();
    if (mine.size >= this.settings.maxStreamsPerUser) return null;
    const stream = new PositionEventStream(
      userId,
      cursor,
      response,
      (user, after, limit) => this.events.after(user, after, limit),
      this.log,
      this.settings.retryMs,
      (closed) => this.detach(closed),
    );
    mine.add(stream);
    this.streams.set(userId, mine);
    this.open.inc();
    return stream;
  }

  /** Open streams of `userId` on this gateway. */
  streamCount(userId: string): number {
    return this.streams.get(userId)?.size ?? 0;
  }

  /** Ends every stream (clients reconnect elsewhere with their Last-Event-ID) and stops listening. */
  async stop(): Promise<void> {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    if (this.sequenceTimer) clearInterval(this.sequenceTimer);
    const all: PositionEventStream[] = [];
    this.forEachStream((s) => all.push(s));
    for (const stream of all) stream.close();
    await Promise.all(all.map((s) => s.settled()));
    await this.listener.stop();
    await this.sequencer.idle();
  }

  private detach(stream: PositionEventStream): void {
    const mine = this.streams.get(stream.userId);
    if (!mine?.delete(stream)) return;
    this.open.dec();
    if (mine.size === 0) this.streams.delete(stream.userId);
  }

  private wakeUsers(payload: string): void {
    if (payload === '*') return this.forEachStream((s) => s.wake());
    for (const userId of payload.split(',')) this.streams.get(userId)?.forEach((s) => s.wake());
  }

  private forEachStream(f: (stream: PositionEventStream) => void): void {
    for (const mine of this.streams.values()) mine.forEach(f);
  }

  /** Runs sequencer passes until nothing is left (or right after the pass in progress). */
  private sequence(): void {
    this.sequencer.request();
  }

  private async sequenceAll(): Promise<void> {
    try {
      for (;;) {
        const { numbered } = await this.events.sequence(SEQUENCE_BATCH);
        this.sequenced.inc(numbered);
        if (numbered < SEQUENCE_BATCH) return;
      }
    } catch (error) {
      this.log.warn({ err: error }, 'position events sequencer pass failed; will retry');
    }
  }
}
