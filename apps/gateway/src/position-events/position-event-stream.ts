import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { PositionEvent } from '@legwork/persistence';
import { eventFrame, heartbeatFrame, openingFrame } from './sse-frames';
import { CoalescedRun } from './coalesced-run';

/** Events read per query while catching up. */
const BATCH = 200;

/** Where a stream reads the user's log from (`PositionEventRepository.after`). */
export type ReadEventsAfter = (userId: string, afterSeq: string, limit: number) => Promise<PositionEvent[]>;

/**
 * One open `text/event-stream` response of one user. Invariant: events are written in `seq`
 * order, each once, starting after `cursor`: every wake-up reads `seq > cursor` from the log and
 * moves the cursor past what it wrote, and only one read runs at a time (a wake-up during a read
 * runs another read after it). A slow client holds the reads back (`drain`), never the gateway.
 */
export class PositionEventStream {
  private readonly reads = new CoalescedRun(() => this.catchUp());
  private closed = false;

  constructor(
    readonly userId: string,
    private cursor: string,
    private readonly response: ServerResponse,
    private readonly read: ReadEventsAfter,
    private readonly log: Logger,
    /** The reconnection delay suggested to the client (`retry:`), in milliseconds. */
    private readonly retryMs: number,
    private readonly onClose: (stream: PositionEventStream) => void,
  ) {
    response.on('close', () => this.close());
    response.on('error', () => this.close());
  }

  /** Sends the status line and headers, the retry hint and the cursor, then catches up. */
  start(headers: Record<string, string | number | string[] | undefined>): void {
    this.response.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // nginx and similar proxies buffer responses unless told not to.
      'x-accel-buffering': 'no',
    });
    this.response.write(openingFrame(this.retryMs, this.cursor));
    this.wake();
  }

  /** Something may have been added to the user's log: read and write what is new. */
  wake(): void {
    if (!this.closed) this.reads.request();
  }

  /** A comment that keeps proxies from timing the stream out; also a catch-up, in case a wake-up was lost. */
  heartbeat(): void {
    if (this.closed) return;
    this.response.write(heartbeatFrame());
    this.wake();
  }

  /** Ends the response (idempotent); the client's disconnect lands here too. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (!this.response.writableEnded) this.response.end();
    this.onClose(this);
  }

  /** Resolves when the read in progress (if any) is over. */
  settled(): Promise<void> {
    return this.reads.idle();
  }

  private async catchUp(): Promise<void> {
    try {
      for (;;) {
        const events = await this.read(this.userId, this.cursor, BATCH);
        for (const event of events) {
          if (this.closed) return;
          await this.write(eventFrame(event.seq, event.kind, event.data));
          this.cursor = event.seq;
        }
        if (events.length < BATCH || this.closed) return;
      }
    } catch (error) {
      // The database is away: the next wake-up or heartbeat reads again from the same cursor.
      this.log.warn({ err: error, userId: this.userId }, 'position events read failed; will retry');
    }
  }

  private write(frame: string): Promise<void> {
    if (this.response.write(frame)) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.response.off('drain', done);
        this.response.off('close', done);
        resolve();
      };
      this.response.on('drain', done);
      this.response.on('close', done);
    });
  }
}
