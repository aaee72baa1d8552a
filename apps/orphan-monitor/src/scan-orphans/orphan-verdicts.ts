import type { Logger } from 'pino';
import type { ScanVerdict } from '@legwork/scanning';
import type { ManualScanReport } from './manual-orphan-scan';
import type { OrphanScanResult } from './scan-orphans.use-case';

/**
 * The orphan verdicts one scan changed, as log lines: suspected (first sighting), confirmed,
 * resolved (a confirmed orphan gone), dropped (a suspected one gone before confirmation). An
 * orphan still suspected or confirmed as before changes nothing and is not logged again.
 */
export function orphanVerdicts(result: OrphanScanResult): ScanVerdict[] {
  const slot = (o: { symbol: string; hedgeSide: string | null; side: string; size: string }) => ({
    symbol: o.symbol,
    hedgeSide: o.hedgeSide,
    side: o.side,
    size: o.size,
  });
  return [
    ...result.orphans
      .filter((o) => o.status === 'suspected' && o.consecutiveScans === 1)
      .map((o) => ({ level: 'info' as const, message: 'orphan suspected', fields: { ...slot(o), firstSeenAt: o.firstSeenAt } })),
    ...result.newlyConfirmed.map((o) => ({
      level: 'warn' as const,
      message: 'orphan confirmed',
      fields: { ...slot(o), origin: o.origin, consecutiveScans: o.consecutiveScans, unrealisedPnlUsdt: o.unrealisedPnlUsdt },
    })),
    ...result.resolved.map((o) => ({ level: 'info' as const, message: 'orphan resolved', fields: slot(o) })),
    ...result.dropped.map((o) => ({ level: 'info' as const, message: 'orphan dropped: gone before confirmation', fields: slot(o) })),
  ];
}

/** Logs the verdicts an operator's on-demand scan changed (scheduled scans are logged by the job host), like the host does. @returns `report` */
export function logManualScanVerdicts(log: Logger, report: ManualScanReport): ManualScanReport {
  for (const account of report.accounts) {
    if (!('orphans' in account)) continue;
    for (const v of orphanVerdicts(account))
      log[v.level]({ job: 'orphans', accountId: account.accountId, onDemand: true, ...v.fields }, v.message);
  }
  return report;
}
