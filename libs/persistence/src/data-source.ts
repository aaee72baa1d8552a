import { DataSource } from 'typeorm';
import { Client } from 'pg';
import { ApiTokenRecord, ExchangeAccountRecord, UserRecord } from './records/identity.records';
import { IndexComponentRecord, IndexRecord } from './records/index.records';
import { OutboxRecord } from '@legwork/outbox';
import { OrderRecord, PositionComponentRecord, PositionRecord, PositionStatusChangeRecord, TradeRecord } from './records/position.records';
import { InitialSchema1763900000000 } from './migrations/1763900000000-InitialSchema';
import { ReconciliationAndOrphans1764000000000 } from './migrations/1764000000000-ReconciliationAndOrphans';
import { HedgeMode1765000000000 } from './migrations/1765000000000-HedgeMode';
import { LeverageDeviations1765100000000 } from './migrations/1765100000000-LeverageDeviations';
import { CommandFailures1765200000000 } from './migrations/1765200000000-CommandFailures';
import { AccountKeyStatus1765300000000 } from './migrations/1765300000000-AccountKeyStatus';
import { OrderRejectExchange1765400000000 } from './migrations/1765400000000-OrderRejectExchange';
import { OrphanHedgeSide1765500000000 } from './migrations/1765500000000-OrphanHedgeSide';
import { PositionFunding1765600000000 } from './migrations/1765600000000-PositionFunding';
import { OrphanScanRuns1765700000000 } from './migrations/1765700000000-OrphanScanRuns';
import { RestorePlanStale1765800000000 } from './migrations/1765800000000-RestorePlanStale';
import { PositionLegging1765900000000 } from './migrations/1765900000000-PositionLegging';
import { PositionEvents1766000000000 } from './migrations/1766000000000-PositionEvents';
import { AlertsByTime1766200000000 } from './migrations/1766200000000-AlertsByTime';
import { OutboxHeaders1766200000001 } from './migrations/1766200000001-OutboxHeaders';
import { PositionEventRecord } from './records/position-event.record';
import { GatewayRateLimits1766500000000 } from './migrations/1766500000000-GatewayRateLimits';
import { FundingReadMarks1766600000000 } from './migrations/1766600000000-FundingReadMarks';
import { FundingCursorRecord, PositionFundingRecord } from './records/funding.records';
import {
  AlertRecord,
  OrphanObservationRecord,
  PositionDeviationRecord,
  PositionPnlRecord,
  RestorePlanRecord,
  ScanRunRecord,
} from './records/scan.records';

export const RECORDS = [
  UserRecord,
  ApiTokenRecord,
  ExchangeAccountRecord,
  IndexRecord,
  IndexComponentRecord,
  PositionRecord,
  PositionStatusChangeRecord,
  OrderRecord,
  TradeRecord,
  PositionComponentRecord,
  OutboxRecord,
  PositionDeviationRecord,
  PositionPnlRecord,
  OrphanObservationRecord,
  AlertRecord,
  ScanRunRecord,
  RestorePlanRecord,
  PositionFundingRecord,
  FundingCursorRecord,
  PositionEventRecord,
];

/** Every migration, oldest first. Listed by class (not glob) so compiled and test runs see the same set. */
export const MIGRATIONS = [
  InitialSchema1763900000000,
  ReconciliationAndOrphans1764000000000,
  HedgeMode1765000000000,
  LeverageDeviations1765100000000,
  CommandFailures1765200000000,
  AccountKeyStatus1765300000000,
  OrderRejectExchange1765400000000,
  OrphanHedgeSide1765500000000,
  PositionFunding1765600000000,
  OrphanScanRuns1765700000000,
  RestorePlanStale1765800000000,
  PositionLegging1765900000000,
  PositionEvents1766000000000,
  AlertsByTime1766200000000,
  OutboxHeaders1766200000001,
  GatewayRateLimits1766500000000,
  FundingReadMarks1766600000000,
];

/** Arbitrary constant key for the migration advisory lock (any replica may start first). */
const MIGRATION_LOCK_KEY = 4_179_301;

export interface DataSourceOptions {
  /** Connection pool size per process. */
  poolSize?: number;
  /** Application name shown in pg_stat_activity. */
  applicationName?: string;
}

/**
 * Creates (does not initialise) the TypeORM data source for `databaseUrl`.
 * Never `synchronize`: the schema comes only from {@link MIGRATIONS}.
 */
export function createDataSource(databaseUrl: string, options: DataSourceOptions = {}): DataSource {
  return new DataSource({
    type: 'postgres',
    url: databaseUrl,
    entities: RECORDS,
    migrations: MIGRATIONS,
    synchronize: false,
    migrationsRun: false,
    poolSize: options.poolSize ?? 10,
    applicationName: options.applicationName ?? 'legwork',
  });
}

/**
 * Applies pending migrations to `databaseUrl` under a PostgreSQL advisory lock, so replicas or a
 * migration Job starting together apply each migration once.
 * @throws the migration's error; nothing is half-applied (each migration runs in a transaction).
 */
export async function runMigrations(databaseUrl: string): Promise<string[]> {
  const lock = new Client({ connectionString: databaseUrl });
  await lock.connect();
  const dataSource = createDataSource(databaseUrl, { poolSize: 1, applicationName: 'legwork-migrate' });
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await dataSource.initialize();
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    // Ending the session releases the lock too, so a failed unlock (dead connection) loses nothing.
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.end();
  }
}
