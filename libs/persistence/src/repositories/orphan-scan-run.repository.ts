import { DataSource } from 'typeorm';
import { OutboxMessage, writeOutbox } from '@legwork/outbox';

/** An operator's on-demand orphan scan as recorded: pending until the orphan monitor finishes it. */
export interface OrphanScanRun {
  runId: string;
  /** The account asked for; null for every account. */
  accountId: string | null;
  requestedAt: Date;
  /** Null while the run is pending. */
  finishedAt: Date | null;
  /** The scan's report (the orphan monitor's `ManualScanReport`), when the run was made. */
  report: Record<string, unknown> | null;
  /** Why the run could not be made (its retries ran out), when it could not. */
  error: string | null;
}

interface Row {
  id: string;
  account_id: string | null;
  requested_at: Date;
  finished_at: Date | null;
  report: Record<string, unknown> | null;
  error: string | null;
}

/**
 * The `orphan_scan_runs` table: written by the gateway (request) and the orphan monitor (finish
 * or fail), read by both. A run finishes once: a later finish (a redelivered command) changes nothing.
 */
export class OrphanScanRunRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Records a pending run and its command (outbox) in one transaction. */
  async request(run: { runId: string; accountId: string | null; requestedAt: Date }, command: OutboxMessage): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      await m.query('INSERT INTO orphan_scan_runs (id, account_id, requested_at) VALUES ($1, $2, $3)', [
        run.runId,
        run.accountId,
        run.requestedAt,
      ]);
      await writeOutbox(m, command);
    });
  }

  async find(runId: string): Promise<OrphanScanRun | null> {
    const [row]: Row[] = await this.dataSource.query(
      'SELECT id, account_id, requested_at, finished_at, report, error FROM orphan_scan_runs WHERE id = $1',
      [runId],
    );
    return row ? toRun(row) : null;
  }

  /** Records the report of a pending run. @returns false when the run was already finished (or does not exist). */
  finish(runId: string, report: object): Promise<boolean> {
    return this.close(runId, 'report', JSON.stringify(report));
  }

  /** Records why a pending run could not be made. @returns false when the run was already finished (or does not exist). */
  fail(runId: string, error: string): Promise<boolean> {
    return this.close(runId, 'error', error);
  }

  private async close(runId: string, column: 'report' | 'error', value: string): Promise<boolean> {
    const [, affected]: [unknown, number] = await this.dataSource.query(
      `UPDATE orphan_scan_runs SET ${column} = $2, finished_at = now() WHERE id = $1 AND finished_at IS NULL`,
      [runId, value],
    );
    return affected === 1;
  }
}

function toRun(row: Row): OrphanScanRun {
  return {
    runId: row.id,
    accountId: row.account_id,
    requestedAt: row.requested_at,
    finishedAt: row.finished_at,
    report: row.report,
    error: row.error,
  };
}
