import type { Logger } from 'pino';
import type { Histogram } from 'prom-client';
import type { ExecutionView, StreamExecution } from '@legwork/exchange';
import type { ScanRepository } from '@legwork/persistence';
import type { KeyCheckedScan } from '@legwork/scanning';
import type { OrphanScanResult } from '../scan-orphans/scan-orphans.use-case';
import { foreignFills, ourOrderLinkIds } from './foreign-executions';

/** What the use case needs besides the ledger: the orphan scan of one account, the delayed confirmation, the clock. */
export interface SuspectFromStreamDeps {
  scans: ScanRepository;
  /** The orphan monitor's own scan of one account at `at` for `window` (`ScanOrphansUseCase` behind the key check): the one copy of the orphan rules. */
  scan(accountId: string, at: Date, window: Date): Promise<KeyCheckedScan<OrphanScanResult>>;
  /** The account's executions since `since`, every symbol, over REST ([] when the exchange refuses its key). */
  executionsSince(accountId: string, since: Date): Promise<ExecutionView[]>;
  /** Publishes the account's confirmation scan job for `window` in `afterMs` (deduplicated by msg id across replicas). */
  scheduleConfirmation(accountId: string, window: Date, afterMs: number): void;
  /** Exchange event → suspicion recorded, seconds. */
  detection: Histogram<string>;
  afterScan(): Promise<void>;
  orphanGraceMs: number;
  log: Logger;
}

/**
 * Drift from the stream (issue 18): an order fill that is not ours (an `orderLinkId` not
 * decodable as ours, or ours but not in the ledger) suspects an orphan AT ONCE — by running the
 * orphan scan of that account now (a REST position read; the same suspicion, rules and window
 * guard as a scheduled scan) — and schedules the confirming scan at suspicion + `ORPHAN_GRACE_MS`
 * (a scan job, so any replica runs it, once per window). After a reconnect the REST gap fill
 * reads the executions missed and runs the same scan: the position snapshot shows whatever
 * happened while the stream was down.
 * Funding and other non-fills change nothing. Scans of one account run one at a time; events
 * arriving meanwhile are folded into one more scan.
 */
export class SuspectFromStreamUseCase {
  /** Per account: the last scan queued, and the events waiting for the next one (null: none waiting). */
  private readonly slots = new Map<string, { tail: Promise<void>; queued: StreamExecution[] | null }>();

  constructor(private readonly deps: SuspectFromStreamDeps) {}

  /**
   * Judges one message's executions; suspects when one is foreign.
   * @throws the database's error (the caller logs it: the scheduled scans remain the net)
   */
  async onExecutions(accountId: string, executions: StreamExecution[]): Promise<void> {
    const foreign = await this.foreign(accountId, executions);
    if (foreign.length === 0) return;
    this.deps.log.info(
      { accountId, executions: foreign.map((e) => ({ symbol: e.execution.symbol, orderLinkId: e.execution.orderLinkId })) },
      'execution not ours on the stream: scanning the account for orphans now',
    );
    await this.suspect(accountId, foreign);
  }

  /**
   * The REST gap fill after a (re)connect (Bybit replays nothing): the executions since `since`
   * (the last one the stream delivered; null on a first connect: none read) judged as stream
   * messages would be, with the cause each REST row names (`execType`, `createType`), and the
   * account's orphan scan now — the position snapshot — in the window of the latest foreign one,
   * confirmation scheduled if it suspects.
   * @returns the executions read, as stream events (for the held side's check), and the exchange
   *   time of the latest (null: none)
   * @throws what reading the executions or scanning throws (the caller logs it: the scans remain)
   */
  async fillGap(accountId: string, since: Date | null): Promise<{ missed: StreamExecution[]; latest: Date | null }> {
    const read = since ? await this.deps.executionsSince(accountId, since) : [];
    const missed = read.map((execution) => ({
      execution,
      creationTime: execution.executedAt.getTime(),
      cause: execution.driftCause ?? null,
    }));
    await this.suspect(accountId, await this.foreign(accountId, missed));
    return { missed, latest: read.length === 0 ? null : new Date(Math.max(...read.map((e) => e.executedAt.getTime()))) };
  }

  private async foreign(accountId: string, executions: StreamExecution[]): Promise<StreamExecution[]> {
    const views = executions.map((e) => e.execution);
    if (views.length === 0) return [];
    const tracked = await this.deps.scans.knownOrderLinkIds(accountId, ourOrderLinkIds(views));
    const foreign = foreignFills(views, tracked);
    return executions.filter((e) => foreign.includes(e.execution));
  }

  private suspect(accountId: string, events: StreamExecution[]): Promise<void> {
    let slot = this.slots.get(accountId);
    if (!slot) {
      slot = { tail: Promise.resolve(), queued: null };
      this.slots.set(accountId, slot);
    }
    if (slot.queued) {
      slot.queued.push(...events);
      return slot.tail;
    }
    const queued = [...events];
    const s = slot;
    s.queued = queued;
    // The previous scan's failure is its caller's; this one runs regardless.
    s.tail = s.tail
      .catch(() => undefined)
      .then(() => {
        s.queued = null;
        return this.scanNow(accountId, queued);
      });
    return s.tail;
  }

  private async scanNow(accountId: string, events: StreamExecution[]): Promise<void> {
    const at = new Date();
    const window = suspicionWindow(events, at, this.deps.orphanGraceMs);
    const outcome = await this.deps.scan(accountId, at, window);
    await this.deps.afterScan();
    if (outcome.kind === 'skipped') return;
    const orphans = outcome.result.orphans;
    const found = new Set(orphans.map((o) => o.symbol));
    for (const event of events.filter((e) => found.has(e.execution.symbol))) {
      this.deps.detection.observe(Math.max(0, Date.now() - event.execution.executedAt.getTime()) / 1000);
    }
    if (orphans.some((o) => o.status === 'suspected')) {
      this.deps.scheduleConfirmation(accountId, new Date(window.getTime() + this.deps.orphanGraceMs), this.deps.orphanGraceMs);
    }
  }
}

/**
 * The scan window of a stream-driven scan: the exchange time of the latest execution that caused
 * it, so replicas that receive the same messages scan the same window however they fold them
 * (the orphan scan applies a window once); a scan with no event (a gap fill that found none)
 * takes `at` rounded down to a multiple of the grace, so replicas reconnecting together mostly
 * share it too.
 */
export function suspicionWindow(events: readonly StreamExecution[], at: Date, graceMs: number): Date {
  if (events.length === 0) return new Date(Math.floor(at.getTime() / graceMs) * graceMs);
  return new Date(Math.max(...events.map((e) => e.execution.executedAt.getTime())));
}
