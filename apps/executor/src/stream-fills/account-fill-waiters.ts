import type { ConfirmedFill, ExecutionView } from '@legwork/exchange';
import { RecentExecutions, streamFillOf } from './recent-executions';

/** Why a leg's fill was not taken from the stream, so REST confirms it. */
export type StreamFallbackReason =
  /** Stream fills are off (`EXECUTOR_STREAM_FILLS=false`), or no stream is kept for the account. */
  | 'off'
  /** The stream is not authenticated and subscribed yet (or reconnecting after a cut). */
  | 'not_connected'
  /** The stream was cut while the leg waited: what the exchange pushed meanwhile is lost (no replay). */
  | 'stream_down'
  /** An earlier wait on this connection timed out and nothing came since: it may be stalled, REST at once. */
  | 'stream_silent'
  /** Nothing (or not the whole fill) came within the wait. */
  | 'timeout'
  /** Asked not to wait (a leg of an earlier attempt: its executions were pushed before this process listened). */
  | 'not_seen';

/** A leg's fill from the stream, or why REST confirms it. */
export type StreamFillResult = { source: 'stream'; fill: ConfirmedFill } | { source: 'rest'; reason: StreamFallbackReason };

interface Waiter {
  quantity: string;
  settle(result: StreamFillResult): void;
}

/**
 * What one account's private stream tells the legs waiting for their fills: its connection state,
 * its recent order fills ({@link RecentExecutions}) and the waiters keyed by `orderLinkId`.
 *
 * Invariant: a waiter is settled exactly once — by its fill (every execution of the order seen,
 * adding up to its quantity), by the stream's cut, or by its timeout — and a stream fill is only
 * ever a fill the exchange pushed for that `orderLinkId`; anything else falls back to REST,
 * which stays the authority (the caller records nothing on a fallback it did not verify).
 * `setTimeout` is the only clock-driven part; the rest is pure.
 */
export class AccountFillWaiters {
  private connected = false;
  /** Set when a wait timed out on a connected stream; cleared by the next message or (re)connect. */
  private silent = false;
  private readonly recent: RecentExecutions;
  private readonly waiters = new Map<string, Set<Waiter>>();

  constructor(keepMs: number) {
    this.recent = new RecentExecutions(keepMs);
  }

  /** Authenticated and subscribed (first time or after a cut). */
  onConnected(): void {
    this.connected = true;
    this.silent = false;
  }

  /** Cut (reconnecting) or stopped: every waiting leg goes to REST now, since nothing is replayed. */
  onDisconnected(): void {
    this.connected = false;
    for (const [, waiters] of this.waiters) for (const waiter of waiters) waiter.settle({ source: 'rest', reason: 'stream_down' });
    this.waiters.clear();
  }

  /** One `execution` message, received at `nowMs`: kept, and the legs it completes are settled. */
  onExecutions(executions: readonly ExecutionView[], nowMs: number): void {
    this.silent = false;
    for (const orderLinkId of this.recent.add(executions, nowMs)) {
      const waiters = this.waiters.get(orderLinkId);
      if (!waiters) continue;
      for (const waiter of waiters) {
        const fill = streamFillOf(waiter.quantity, this.recent.of(orderLinkId));
        if (fill) waiter.settle({ source: 'stream', fill });
      }
    }
  }

  /**
   * The fill of order `orderLinkId` of `quantity` (base coin, decimal string): at once when the
   * stream already delivered it whole; else, on a connected stream not known silent, the first of
   * the whole fill arriving, a cut, or `waitMs` passing (then the stream counts as silent until
   * its next message). `waitMs` 0: what is already here, no wait.
   */
  wait(orderLinkId: string, quantity: string, waitMs: number): Promise<StreamFillResult> {
    const fill = streamFillOf(quantity, this.recent.of(orderLinkId));
    if (fill) return Promise.resolve({ source: 'stream', fill });
    if (waitMs <= 0) return Promise.resolve({ source: 'rest', reason: 'not_seen' });
    if (!this.connected) return Promise.resolve({ source: 'rest', reason: 'not_connected' });
    if (this.silent) return Promise.resolve({ source: 'rest', reason: 'stream_silent' });
    return new Promise((resolve) => {
      const waiters = this.waiters.get(orderLinkId) ?? new Set<Waiter>();
      this.waiters.set(orderLinkId, waiters);
      const waiter: Waiter = {
        quantity,
        settle: (result) => {
          clearTimeout(timer);
          waiters.delete(waiter);
          if (waiters.size === 0 && this.waiters.get(orderLinkId) === waiters) this.waiters.delete(orderLinkId);
          resolve(result);
        },
      };
      const timer = setTimeout(() => {
        this.silent = true;
        waiter.settle({ source: 'rest', reason: 'timeout' });
      }, waitMs);
      waiters.add(waiter);
    });
  }

  /** Legs waiting now. */
  get waiting(): number {
    let count = 0;
    for (const waiters of this.waiters.values()) count += waiters.size;
    return count;
  }
}
