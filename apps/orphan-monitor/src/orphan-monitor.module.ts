import { Module } from '@nestjs/common';
import { BybitClientFactory } from '@legwork/exchange';
import { AlertFactory } from '@legwork/messaging';
import { AlertRepository, IdentityRepository, OrphanScanRunRepository, ScanRepository } from '@legwork/persistence';
import {
  ACCOUNT_SCAN_JOB,
  accountScanJobProvider,
  APP_CONSUMERS,
  SCAN_LOGGER,
  SCAN_SERVICE_CONFIG,
  SCAN_SETTINGS,
  ScanServiceConfig,
  ScanSettings,
} from '@legwork/scanning';
import type { Bus } from '@legwork/messaging';
import type { Logger } from 'pino';
import { AlertDispatchConfig, loadAlertDispatchConfig } from './config';
import { AlertmanagerClient } from './dispatch-alerts/alertmanager.client';
import { DispatchAlertUseCase } from './dispatch-alerts/dispatch-alert.use-case';
import {
  ALERT_DISPATCH_CONFIG,
  ALERT_DISPATCH_USE_CASE,
  alertDispatchConsumers,
  DispatchAlertsController,
} from './dispatch-alerts/dispatch-alerts.controller';
import { manualOrphanScan } from './scan-orphans/manual-orphan-scan';
import { logManualScanVerdicts } from './scan-orphans/orphan-verdicts';
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
        log: Logger,
      ) =>
        new RunOrphanScanUseCase(runs, async (accountId) =>
          logManualScanVerdicts(log, await manualOrphanScan({ scans, identity, factory, settings }, accountId)),
        ),
      inject: [OrphanScanRunRepository, ScanRepository, IdentityRepository, BybitClientFactory, SCAN_SETTINGS, SCAN_LOGGER],
    },
    { provide: ALERT_DISPATCH_CONFIG, useFactory: () => loadAlertDispatchConfig() },
    {
      provide: ALERT_DISPATCH_USE_CASE,
      useFactory: (config: AlertDispatchConfig, alerts: AlertRepository, log: Logger) =>
        config.alertmanagerUrl
          ? new DispatchAlertUseCase(alerts, new AlertmanagerClient(config.alertmanagerUrl, config.timeoutMs), config.settings, log)
          : null,
      inject: [ALERT_DISPATCH_CONFIG, AlertRepository, SCAN_LOGGER],
    },
    {
      provide: APP_CONSUMERS,
      useFactory: (config: ScanServiceConfig, dispatch: AlertDispatchConfig) => (bus: Bus) => [
        ...orphanScanCommandConsumers(config)(bus),
        ...alertDispatchConsumers(dispatch)(bus),
      ],
      inject: [SCAN_SERVICE_CONFIG, ALERT_DISPATCH_CONFIG],
    },
    StreamDriftFollower,
  ],
  controllers: [RunOrphanScanController, DispatchAlertsController],
  exports: [ACCOUNT_SCAN_JOB, APP_CONSUMERS],
})
export class OrphanMonitorModule {}
