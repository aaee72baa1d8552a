import { Module } from '@nestjs/common';
import { BybitClientFactory } from '@legwork/exchange';
import { AlertFactory } from '@legwork/messaging';
import { IdentityRepository, OrphanScanRunRepository, ScanRepository } from '@legwork/persistence';
import {
  ACCOUNT_SCAN_JOB,
  accountScanJobProvider,
  APP_CONSUMERS,
  SCAN_SERVICE_CONFIG,
  SCAN_SETTINGS,
  ScanSettings,
} from '@legwork/scanning';
import { manualOrphanScan } from './scan-orphans/manual-orphan-scan';
import { orphanScanCommandConsumers, RunOrphanScanController } from './scan-orphans/run-orphan-scan.controller';
import { RunOrphanScanUseCase } from './scan-orphans/run-orphan-scan.use-case';
import { StreamDriftFollower } from './follow-streams/stream-drift.follower';
import { scanOrphansJob } from './scan-orphans/scan-orphans.job';
import { ScanOrphansUseCase } from './scan-orphans/scan-orphans.use-case';

/**
 * The orphan monitor's own module: its use case, given to the shared scan job host
 * (`runScanService`, libs/scanning) as the {@link ACCOUNT_SCAN_JOB} it runs on the schedule, and
 * the consumer of operators' on-demand scans (its handlers on the host's JetStream server). The repositories, bus, exchange clients, alert
 * factory and settings come from the host.
 */
@Module({
  providers: [
    {
      provide: ScanOrphansUseCase,
      useFactory: (scans: ScanRepository, alerts: AlertFactory, settings: ScanSettings) => new ScanOrphansUseCase(scans, alerts, settings),
      inject: [ScanRepository, AlertFactory, SCAN_SETTINGS],
    },
    accountScanJobProvider(ScanOrphansUseCase, scanOrphansJob),
    {
      provide: RunOrphanScanUseCase,
      useFactory: (
        runs: OrphanScanRunRepository,
        scans: ScanRepository,
        identity: IdentityRepository,
        factory: BybitClientFactory,
        settings: ScanSettings,
      ) => new RunOrphanScanUseCase(runs, (accountId) => manualOrphanScan({ scans, identity, factory, settings }, accountId)),
      inject: [OrphanScanRunRepository, ScanRepository, IdentityRepository, BybitClientFactory, SCAN_SETTINGS],
    },
    { provide: APP_CONSUMERS, useFactory: orphanScanCommandConsumers, inject: [SCAN_SERVICE_CONFIG] },
    StreamDriftFollower,
  ],
  controllers: [RunOrphanScanController],
  exports: [ACCOUNT_SCAN_JOB, APP_CONSUMERS],
})
export class OrphanMonitorModule {}
