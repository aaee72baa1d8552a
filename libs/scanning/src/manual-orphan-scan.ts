import type { BybitClientFactory } from '@legwork/exchange';
import { AlertFactory } from '@legwork/messaging';
import type { IdentityRepository, ScanRepository } from '@legwork/persistence';
import { readerFor } from './account-reader';
import { OrphanScanResult, ScanOrphansUseCase } from './scan-orphans.use-case';
import type { ScanSettings } from './scan-settings';

export interface ManualScanReport {
  scannedAt: string;
  accounts: (OrphanScanResult | { accountId: string; error: string })[];
  /** Orphans confirmed after this scan (new or earlier), across the scanned accounts. */
  confirmed: number;
  failedAccounts: number;
}

/**
 * An on-demand orphan scan (seed 004's manual scan command) of one account or of all: a real
 * scan — it advances the consecutive-scan count and raises the same alerts as the scheduled one.
 * A failed account is reported, never read as "no orphans".
 */
export async function manualOrphanScan(
  deps: { scans: ScanRepository; identity: IdentityRepository; factory: BybitClientFactory; settings: ScanSettings },
  accountId?: string,
): Promise<ManualScanReport> {
  const useCase = new ScanOrphansUseCase(deps.scans, new AlertFactory(deps.settings.namespace), deps.settings);
  const accounts = accountId ? [accountId] : await deps.scans.allAccounts();
  const at = new Date();
  const results: ManualScanReport['accounts'] = [];
  for (const id of accounts) {
    try {
      results.push(await useCase.execute(id, await readerFor(deps.identity, deps.factory, id), at));
    } catch (error) {
      results.push({ accountId: id, error: (error as Error).message });
    }
  }
  const ok = results.filter((r): r is OrphanScanResult => 'orphans' in r);
  return {
    scannedAt: at.toISOString(),
    accounts: results,
    confirmed: ok.reduce((n, r) => n + r.orphans.filter((o) => o.status === 'confirmed').length, 0),
    failedAccounts: results.length - ok.length,
  };
}
