import { AccountScanJob, AccountScanJobDeps, keyCheckedScan } from '@legwork/scanning';
import { orphanVerdicts } from './orphan-verdicts';
import type { ScanOrphansUseCase } from './scan-orphans.use-case';

/**
 * The orphan monitor's scan job, run by the shared job host: each window covers every account
 * (exposure no position explains can sit on an account with no position at all); each account is
 * scanned by {@link ScanOrphansUseCase} for that window (skipped while the exchange refuses its
 * key), each verdict it changes logged by the host; the `orphaned_positions` gauge follows the result: one series per confirmed orphan (account,
 * symbol, side, origin; `unknown` before its origin is known), none when there is none.
 */
export function scanOrphansJob(useCase: ScanOrphansUseCase, deps: AccountScanJobDeps): AccountScanJob {
  return {
    accounts: () => deps.scans.allAccounts(),
    scan: keyCheckedScan(deps, async (accountId, reader, at, window) => {
      const result = await useCase.execute(accountId, reader, at, window);
      return { ...result, verdicts: orphanVerdicts(result) };
    }),
    refreshGauge: async (metrics) => {
      const confirmed = await deps.scans.confirmedOrphans();
      metrics.orphaned.reset(); // resolved orphans leave the gauge
      for (const o of confirmed)
        metrics.orphaned.inc({ account: o.accountId, symbol: o.symbol, side: o.side, origin: o.origin ?? 'unknown' });
    },
  };
}
