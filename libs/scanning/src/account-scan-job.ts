import type { Provider, Type } from '@nestjs/common';
import { BybitClientFactory } from '@legwork/exchange';
import { AlertFactory } from '@legwork/messaging';
import { IdentityRepository, ScanRepository } from '@legwork/persistence';
import { ExchangeReader, scanWithAccountKey } from './account-reader';
import type { AccountScan, ScanCause, ScanVerdict } from './scan-job.handler';
import type { ScanMetrics } from './scan-metrics';

/**
 * One scan service's work, given by the app that owns the use case (apps/reconciler,
 * apps/orphan-monitor) to the shared job host (scan-service.ts). The host schedules the windows,
 * consumes the jobs, records each run and its metrics; the app says which accounts a window
 * covers, what scanning one account means, and which gauge follows its findings.
 */
export interface AccountScanJob {
  /** The accounts one scheduled window scans (read at each tick of the schedule). */
  accounts(): Promise<string[]>;
  /** Scans one account: the app's use case behind the key check ({@link keyCheckedScan}). */
  readonly scan: AccountScan;
  /** Sets this job's own gauge from the database after each scan (so every replica agrees). */
  refreshGauge(metrics: ScanMetrics): Promise<void>;
}

/** Injection token under which an app's Nest module provides (and exports) its {@link AccountScanJob}. */
export const ACCOUNT_SCAN_JOB = Symbol('ACCOUNT_SCAN_JOB');

/** What an app's job needs from the host besides its use case: the accounts, and the key check. */
export interface AccountScanJobDeps {
  scans: ScanRepository;
  identity: IdentityRepository;
  factory: BybitClientFactory;
  alerts: AlertFactory;
}

/**
 * The Nest provider of an app's {@link AccountScanJob} ({@link ACCOUNT_SCAN_JOB}): `job` built
 * from the app's use case (provided under `useCase` in the same module) and the host's providers.
 */
export function accountScanJobProvider<U>(useCase: Type<U>, job: (useCase: U, deps: AccountScanJobDeps) => AccountScanJob): Provider {
  return {
    provide: ACCOUNT_SCAN_JOB,
    useFactory: (u: U, scans: ScanRepository, identity: IdentityRepository, factory: BybitClientFactory, alerts: AlertFactory) =>
      job(u, { scans, identity, factory, alerts }),
    inject: [useCase, ScanRepository, IdentityRepository, BybitClientFactory, AlertFactory],
  };
}

/**
 * An {@link AccountScan} running `scan` (an app's use case) with a read-only client for the
 * account, or reporting the account skipped when the exchange refuses its API key
 * ({@link scanWithAccountKey}: marked and alerted once).
 * @throws what `scan` throws (ExchangeUnavailableError: the job is retried), and Error for an
 *   account that does not exist.
 */
export function keyCheckedScan(
  deps: Pick<AccountScanJobDeps, 'identity' | 'factory' | 'alerts'>,
  scan: (
    accountId: string,
    reader: ExchangeReader,
    at: Date,
    window: Date,
    causes: readonly ScanCause[],
  ) => Promise<{ alerts: { payload: Record<string, unknown> }[]; verdicts?: ScanVerdict[] }>,
): AccountScan {
  return async (accountId, at, window, causes) => {
    const outcome = await scanWithAccountKey(deps, accountId, (reader) => scan(accountId, reader, at, window, causes));
    return outcome.kind === 'scanned' ? outcome.result : { skipped: outcome.reason, newlyRefused: outcome.newlyRefused };
  };
}
