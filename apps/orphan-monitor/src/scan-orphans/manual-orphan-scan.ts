import type { BybitClientFactory } from '@legwork/exchange';
import { AlertFactory } from '@legwork/messaging';
import type { IdentityRepository, ScanRepository } from '@legwork/persistence';
import { scanWithAccountKey, type ScanSettings } from '@legwork/scanning';
import { OrphanScanResult, ScanOrphansUseCase } from './scan-orphans.use-case';

export interface ManualScanReport {
  scannedAt: string;
  accounts: (OrphanScanResult | { accountId: string; error: string } | { accountId: string; skipped: string })[];
  /** Orphans confirmed after this scan (new or earlier), across the scanned accounts. */
  confirmed: number;
  /** Accounts the exchange could not be read for (a failed scan, retried by the next one). */
  failedAccounts: number;
  /** Accounts not scanned because the exchange refused their API key (until `account:rotate-key`). */
  skippedAccounts: number;
}

/**
 * An on-demand orphan scan (seed 004's manual scan command) of one account or of all: a real
 * scan — it advances the consecutive-scan count and raises the same alerts as the scheduled one.
 * A failed account is reported, never read as "no orphans"; an account whose API key the exchange
 * refused is reported skipped (and marked and alerted once, see {@link scanWithAccountKey}).
 */
export async function manualOrphanScan(
  deps: { scans: ScanRepository; identity: IdentityRepository; factory: BybitClientFactory; settings: ScanSettings },
  accountId?: string,
): Promise<ManualScanReport> {
  const alerts = new AlertFactory(deps.settings.namespace);
  const useCase = new ScanOrphansUseCase(deps.scans, alerts, deps.settings);
  const accounts = accountId ? [accountId] : await deps.scans.allAccounts();
  const at = new Date();
  const results: ManualScanReport['accounts'] = [];
  for (const id of accounts) {
    try {
      const outcome = await scanWithAccountKey({ identity: deps.identity, factory: deps.factory, alerts }, id, (reader) =>
        useCase.execute(id, reader, at),
      );
      results.push(outcome.kind === 'scanned' ? outcome.result : { accountId: id, skipped: outcome.reason });
    } catch (error) {
      results.push({ accountId: id, error: (error as Error).message });
    }
  }
  const ok = results.filter((r): r is OrphanScanResult => 'orphans' in r);
  return {
    scannedAt: at.toISOString(),
    accounts: results,
    confirmed: ok.reduce((n, r) => n + r.orphans.filter((o) => o.status === 'confirmed').length, 0),
    failedAccounts: results.filter((r) => 'error' in r).length,
    skippedAccounts: results.filter((r) => 'skipped' in r).length,
  };
}
