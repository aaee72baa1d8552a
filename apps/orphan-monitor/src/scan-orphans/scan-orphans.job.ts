import { AccountScanJob, AccountScanJobDeps, keyCheckedScan } from '@legwork/scanning';
import type { ScanOrphansUseCase } from './scan-orphans.use-case';

/**
 * The orphan monitor's scan job, run by the shared job host: each window covers every account
 * (exposure no position explains can sit on an account with no position at all); each account is
 * scanned by {@link ScanOrphansUseCase} for that window (skipped while the exchange refuses its
 * key); the `orphaned_positions` gauge follows the result.
 */
export function scanOrphansJob(useCase: ScanOrphansUseCase, deps: AccountScanJobDeps): AccountScanJob {
  return {
    accounts: () => deps.scans.allAccounts(),
    scan: keyCheckedScan(deps, (accountId, reader, at, window) => useCase.execute(accountId, reader, at, window)),
    refreshGauge: async (metrics) => metrics.orphaned.set(await deps.scans.countConfirmedOrphans()),
  };
}
