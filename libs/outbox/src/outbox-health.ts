import type { DataSource } from 'typeorm';
import { HealthCheckImpact, HealthRegistry } from '@legwork/observability';
import type { Bus } from '@legwork/messaging';

/**
 * Readiness of a service that relays an outbox (gateway, executor, scan services): the relay
 * bridges the database and NATS, so both are checked (`SELECT 1`; connection open and flushed).
 * The database is always required. NATS is required unless `nats` says the service runs without
 * it (the gateway: it commits commands to its outbox, which the relay publishes once NATS is back).
 */
export function databaseAndBusHealth(dataSource: DataSource, bus: Bus, nats: HealthCheckImpact = { kind: 'required' }): HealthRegistry {
  const health = new HealthRegistry();
  health.register('database', async () => void (await dataSource.query('SELECT 1')));
  health.register(
    'nats',
    async () => {
      if (bus.nc.isClosed()) throw new Error('connection closed');
      await bus.nc.flush();
    },
    nats,
  );
  return health;
}
