import type { Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createDataSource } from '../data-source';
import { parseEncryptionKeys, SecretCipher } from '../crypto/secret-cipher';
import { PositionRepository } from '../repositories/position.repository';
import { OrderLedgerRepository } from '../repositories/order-ledger.repository';
import { OutboxRepository } from '@legwork/outbox';
import { IdentityRepository } from '../repositories/identity.repository';
import { IndexRepository } from '../repositories/index.repository';
import { ScanRepository } from '../repositories/scan.repository';
import { AlertRepository } from '../repositories/alert.repository';
import { RestorePlanRepository } from '../repositories/restore-plan.repository';
import { CommandFailureRepository } from '../repositories/command-failure.repository';
import { FundingRepository } from '../repositories/funding.repository';
import { OrphanScanRunRepository } from '../repositories/orphan-scan-run.repository';

export interface PersistenceSettings {
  databaseUrl: string;
  encryptionKeys: string;
  poolSize: number;
  applicationName: string;
}

/**
 * Nest providers for the initialised data source and every repository. The data source is
 * initialised at module creation (the service does not start without its database).
 */
export function persistenceProviders(settings: PersistenceSettings): Provider[] {
  return [
    {
      provide: DataSource,
      useFactory: async () =>
        createDataSource(settings.databaseUrl, { poolSize: settings.poolSize, applicationName: settings.applicationName }).initialize(),
    },
    {
      provide: SecretCipher,
      useFactory: () => {
        const { active, older } = parseEncryptionKeys(settings.encryptionKeys);
        return new SecretCipher(active, older);
      },
    },
    { provide: PositionRepository, useFactory: (ds: DataSource) => new PositionRepository(ds), inject: [DataSource] },
    { provide: OrderLedgerRepository, useFactory: (ds: DataSource) => new OrderLedgerRepository(ds), inject: [DataSource] },
    { provide: OutboxRepository, useFactory: (ds: DataSource) => new OutboxRepository(ds), inject: [DataSource] },
    { provide: IndexRepository, useFactory: (ds: DataSource) => new IndexRepository(ds), inject: [DataSource] },
    { provide: ScanRepository, useFactory: (ds: DataSource) => new ScanRepository(ds), inject: [DataSource] },
    { provide: RestorePlanRepository, useFactory: (ds: DataSource) => new RestorePlanRepository(ds), inject: [DataSource] },
    { provide: AlertRepository, useFactory: (ds: DataSource) => new AlertRepository(ds), inject: [DataSource] },
    { provide: CommandFailureRepository, useFactory: (ds: DataSource) => new CommandFailureRepository(ds), inject: [DataSource] },
    { provide: FundingRepository, useFactory: (ds: DataSource) => new FundingRepository(ds), inject: [DataSource] },
    { provide: OrphanScanRunRepository, useFactory: (ds: DataSource) => new OrphanScanRunRepository(ds), inject: [DataSource] },
    {
      provide: IdentityRepository,
      useFactory: (ds: DataSource, cipher: SecretCipher) => new IdentityRepository(ds, cipher),
      inject: [DataSource, SecretCipher],
    },
  ];
}
