import type { Logger } from 'pino';
import type { Histogram } from 'prom-client';
import type { StreamExecution } from '@legwork/exchange';
import type { ScanRepository } from '@legwork/persistence';
import type { ScanCause } from '@legwork/scanning';
import { driftExecutions, ourOrderLinkIds } from './foreign-executions';

/** What the use case needs: the ledger, the publication of a reconcile job, the metric, the log. */
export interface AlterFromStreamDeps {
  scans: ScanRepository;
  /** Publishes the account's `reconcile` scan job for `window` now, with `causes` (deduplicated by msg id across replicas). */
  publishReconcile(accountId: string, window: Date, causes: ScanCause[]): Promise<void>;
  /** Exchange event → reconcile job published, seconds. */
  detection: Histogram<string>;
  log: Logger;
}

/**
 * Drift from the stream (issue 18), the held side: an execution that is not ours on a symbol one
 * of the account's live positions holds — a close from the Bybit app, a liquidation, an ADL, a
 * delivery, any foreign fill — asks the reconciler to reconcile the account NOW (a `reconcile`
 * scan job in the window of the latest such execution's exchange time, so replicas receiving the
 * same message publish one job), carrying per symbol the cause libs/exchange named
 * (`driftCauseFromBybit`). The reconciler flags the position ALTERED within seconds, with the
 * cause in its deviations and alert, instead of at the next scheduled scan. Funding (no cause)
 * and our own fills change nothing.
 */
export class AlterFromStreamUseCase {
  constructor(private readonly deps: AlterFromStreamDeps) {}

  /**
   * Judges one stream message's executions; publishes the reconcile job when one moved a held symbol.
   * @throws the database's or the bus's error (the caller logs it: the scheduled scans remain the net)
   */
  async onExecutions(accountId: string, executions: StreamExecution[]): Promise<void> {
    const candidates = executions.filter((e) => e.cause !== null);
    if (candidates.length === 0) return;
    const views = candidates.map((e) => e.execution);
    const [tracked, positions] = await Promise.all([
      this.deps.scans.knownOrderLinkIds(accountId, ourOrderLinkIds(views)),
      this.deps.scans.accountPositions(accountId, new Date(), 0),
    ]);
    const held = new Set(positions.flatMap((p) => p.legs.map((l) => l.symbol)));
    const drift = driftExecutions(candidates, tracked, held);
    if (drift.length === 0) return;
    const window = new Date(Math.max(...drift.map((e) => e.execution.executedAt.getTime())));
    const causes = uniqueCauses(drift);
    this.deps.log.info({ accountId, window, causes }, 'held position moved on the exchange: reconciling the account now');
    await this.deps.publishReconcile(accountId, window, causes);
    const now = Date.now();
    for (const e of drift) this.deps.detection.observe(Math.max(0, now - e.execution.executedAt.getTime()) / 1000);
  }
}

/** One (symbol, cause) per pair among `events`, in the order first seen. */
function uniqueCauses(events: readonly StreamExecution[]): ScanCause[] {
  const seen = new Map<string, ScanCause>();
  for (const e of events) {
    const cause = e.cause as string;
    seen.set(`${e.execution.symbol}:${cause}`, { symbol: e.execution.symbol, cause });
  }
  return [...seen.values()];
}
