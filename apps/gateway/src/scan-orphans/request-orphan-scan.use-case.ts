import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { scanOrphansMessage } from '@legwork/messaging';
import { OutboxRelay } from '@legwork/outbox';
import { OrphanScanRun, OrphanScanRunRepository } from '@legwork/persistence';
import { ApplicationError } from '../errors/application-error';
import { GatewaySettings } from '../gateway.settings';
import { OrphanScanReport } from './orphan-scan.schema';

/** A run's state as the operator sees it: still pending, or done with the orphan monitor's report. */
export type OrphanScanAnswer = { runId: string; state: 'pending' } | { runId: string; state: 'done'; report: OrphanScanReport };

/** How often a waiting request reads the run again. */
const POLL_MS = 100;

/**
 * An operator's on-demand orphan scan, without scanning here: the run and its `ScanOrphans`
 * command are committed together (outbox); the orphan monitor runs the scan and records the
 * report on the run. The request waits at most `operatorScanWaitMs` for it (most single-account
 * scans finish well within), then answers with the run id to read later.
 */
@Injectable()
export class RequestOrphanScanUseCase {
  constructor(
    private readonly runs: OrphanScanRunRepository,
    private readonly relay: OutboxRelay,
    private readonly settings: GatewaySettings,
  ) {}

  /**
   * Requests a scan of `accountId`, or of every account when undefined (an account that does not
   * exist is reported failed by the scan, as any account that could not be read).
   * @throws ApplicationError `SCAN.RUN_FAILED` when the orphan monitor could not make the run within the wait.
   */
  async request(accountId: string | undefined): Promise<OrphanScanAnswer> {
    const runId = randomUUID();
    const requestedAt = new Date();
    await this.runs.request(
      { runId, accountId: accountId ?? null, requestedAt },
      scanOrphansMessage(this.relay.namespace, runId, requestedAt),
    );
    this.relay.kick();
    const deadline = Date.now() + this.settings.operatorScanWaitMs;
    for (;;) {
      const run = await this.find(runId);
      const remainingMs = deadline - Date.now();
      if (run.state === 'done' || remainingMs <= 0) return run;
      await sleep(Math.min(POLL_MS, remainingMs));
    }
  }

  /**
   * The run's state now.
   * @throws ApplicationError `SCAN.RUN_NOT_FOUND` for an unknown run; `SCAN.RUN_FAILED` (with the
   *   reason) when the orphan monitor gave the run up.
   */
  async find(runId: string): Promise<OrphanScanAnswer> {
    const run = await this.runs.find(runId);
    if (!run) throw new ApplicationError('SCAN.RUN_NOT_FOUND', `orphan scan run ${runId} not found`, 'runId');
    return answer(run);
  }
}

/**
 * @throws Error (500) when a recorded report is not the shape the API promises (the orphan monitor
 *   wrote another shape): never answered as if it were.
 */
function answer(run: OrphanScanRun): OrphanScanAnswer {
  if (run.error !== null) throw new ApplicationError('SCAN.RUN_FAILED', `orphan scan run ${run.runId} could not be made: ${run.error}`);
  if (run.report === null) return { runId: run.runId, state: 'pending' };
  const report = OrphanScanReport.safeParse(run.report);
  if (!report.success) throw new Error(`orphan scan run ${run.runId}: the report is not an OrphanScanReport: ${report.error.message}`);
  return { runId: run.runId, state: 'done', report: report.data };
}
