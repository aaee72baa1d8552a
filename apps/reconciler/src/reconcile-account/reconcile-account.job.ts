import { AccountScanJob, AccountScanJobDeps, keyCheckedScan } from '@legwork/scanning';
import { healthVerdicts } from './health-verdicts';
import type { ReconcileAccountUseCase } from './reconcile-account.use-case';

/**
 * The reconciler's scan job, run by the shared job host: each window covers the accounts with
 * exposure; each account is reconciled by {@link ReconcileAccountUseCase} (skipped while the
 * exchange refuses its key; a stream-driven job's causes explain its deviations; each health
 * change logged by the host); the
 * `positions_altered` gauge follows the result.
 */
export function reconcileAccountJob(useCase: ReconcileAccountUseCase, deps: AccountScanJobDeps): AccountScanJob {
  return {
    accounts: () => deps.scans.accountsWithExposure(),
    scan: keyCheckedScan(deps, async (accountId, reader, at, _window, causes) => {
      const result = await useCase.execute(accountId, reader, at, causes);
      return { ...result, verdicts: healthVerdicts(result) };
    }),
    refreshGauge: async (metrics) => metrics.altered.set(await deps.scans.countAltered()),
  };
}
