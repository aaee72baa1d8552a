import { AccountScanJob, AccountScanJobDeps, keyCheckedScan } from '@legwork/scanning';
import type { ReconcileAccountUseCase } from './reconcile-account.use-case';

/**
 * The reconciler's scan job, run by the shared job host: each window covers the accounts with
 * exposure; each account is reconciled by {@link ReconcileAccountUseCase} (skipped while the
 * exchange refuses its key; a stream-driven job's causes explain its deviations); the
 * `positions_altered` gauge follows the result.
 */
export function reconcileAccountJob(useCase: ReconcileAccountUseCase, deps: AccountScanJobDeps): AccountScanJob {
  return {
    accounts: () => deps.scans.accountsWithExposure(),
    scan: keyCheckedScan(deps, (accountId, reader, at, _window, causes) => useCase.execute(accountId, reader, at, causes)),
    refreshGauge: async (metrics) => metrics.altered.set(await deps.scans.countAltered()),
  };
}
