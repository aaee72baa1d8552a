import type { OrphanScanRunRepository } from '@legwork/persistence';
import type { ManualScanReport } from './manual-orphan-scan';

/** What became of one `ScanOrphans` command. */
export type OrphanScanRunOutcome = 'finished' | 'already-finished' | 'unknown-run';

/**
 * Runs an operator's on-demand orphan scan (requested through the gateway) and records its report
 * on the run, where the gateway reads it. The run row is the truth (which account, or every
 * account); a run already finished is not scanned again (a redelivered command).
 */
export class RunOrphanScanUseCase {
  constructor(
    private readonly runs: OrphanScanRunRepository,
    private readonly scan: (accountId?: string) => Promise<ManualScanReport>,
  ) {}

  /** @throws the database's error (the command is retried); failed accounts are in the report, not thrown. */
  async execute(runId: string): Promise<OrphanScanRunOutcome> {
    const run = await this.runs.find(runId);
    if (!run) return 'unknown-run';
    if (run.finishedAt) return 'already-finished';
    const report = await this.scan(run.accountId ?? undefined);
    return (await this.runs.finish(runId, report)) ? 'finished' : 'already-finished';
  }

  /** Records that the run could not be made (its retries ran out), so whoever waits for it learns why. */
  async giveUp(runId: string, reason: string): Promise<void> {
    await this.runs.fail(runId, reason);
  }
}
