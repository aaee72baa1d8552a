import { parseArgs } from 'node:util';
import { z } from 'zod';
import { BybitClientFactory, bybitSettingsFrom } from '@legwork/exchange';
import { createRegistry } from '@legwork/observability';
import { createDataSource, IdentityRepository, parseEncryptionKeys, ScanRepository, SecretCipher } from '@legwork/persistence';
import { loadScanServiceConfig, scanSettingsFrom } from '@legwork/scanning';
import { manualOrphanScan, ManualScanReport } from './manual-orphan-scan';

/**
 * `node dist/apps/orphan-monitor/src/main.js scan [--account ID]`: one on-demand orphan scan run
 * in this process, with the database and the exchange only (no NATS, no HTTP, no running
 * service). What the operator CLI's `orphans:scan` runs: it must work while the orphan monitor
 * service is down — that is when operators reach for it (docs/operations.md).
 * @throws Error on a bad argument or variable, or when the database cannot be reached; an account
 *   that could not be scanned is in the report, not thrown.
 */
export async function scanOrphansNow(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<ManualScanReport> {
  const { values } = parseArgs({ args, options: { account: { type: 'string' } }, strict: true, allowPositionals: false });
  const accountId = values.account === undefined ? undefined : z.uuid().parse(values.account);
  const config = loadScanServiceConfig('orphan-monitor', env).env;
  const dataSource = await createDataSource(config.DATABASE_URL, { poolSize: 2, applicationName: 'legwork-orphan-scan' }).initialize();
  try {
    const { active, older } = parseEncryptionKeys(config.ENCRYPTION_KEYS);
    return await manualOrphanScan(
      {
        scans: new ScanRepository(dataSource),
        identity: new IdentityRepository(dataSource, new SecretCipher(active, older)),
        factory: new BybitClientFactory(bybitSettingsFrom(config), createRegistry('orphan-monitor')),
        settings: scanSettingsFrom(config),
      },
      accountId,
    );
  } finally {
    await dataSource.destroy();
  }
}
