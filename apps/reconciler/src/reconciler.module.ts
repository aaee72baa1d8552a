import { Module } from '@nestjs/common';
import { AlertFactory } from '@legwork/messaging';
import { FundingRepository, OrderLedgerRepository, ScanRepository } from '@legwork/persistence';
import { OutboxRepository } from '@legwork/outbox';
import { ACCOUNT_SCAN_JOB, accountScanJobProvider, SCAN_SETTINGS, ScanSettings } from '@legwork/scanning';
import { reconcileAccountJob } from './reconcile-account/reconcile-account.job';
import { ReconcileAccountUseCase } from './reconcile-account/reconcile-account.use-case';

/**
 * The reconciler's own module: its use case, given to the shared scan job host
 * (`runScanService`, libs/scanning) as the {@link ACCOUNT_SCAN_JOB} it runs. The repositories,
 * exchange clients, alert factory and settings come from the host.
 */
@Module({
  providers: [
    {
      provide: ReconcileAccountUseCase,
      useFactory: (
        scans: ScanRepository,
        ledger: OrderLedgerRepository,
        outbox: OutboxRepository,
        alerts: AlertFactory,
        settings: ScanSettings,
        funding: FundingRepository,
      ) => new ReconcileAccountUseCase(scans, ledger, outbox, alerts, settings, funding),
      inject: [ScanRepository, OrderLedgerRepository, OutboxRepository, AlertFactory, SCAN_SETTINGS, FundingRepository],
    },
    accountScanJobProvider(ReconcileAccountUseCase, reconcileAccountJob),
  ],
  exports: [ACCOUNT_SCAN_JOB],
})
export class ReconcilerModule {}
