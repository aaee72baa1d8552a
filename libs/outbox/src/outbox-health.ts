import type { DataSource } from 'typeorm';
import { HealthRegistry } from '@legwork/observability';
import type { Bus } from '@legwork/messaging';

/**
 * `/health` of a service that relays an outbox (gateway, executor, scan services): the relay
 * bridges the database and NATS, so both must answer (`SELECT 1`; connection open and flushed).
 */
export function databaseAndBusHealth(dataSource: DataSource, bus: Bus): HealthRegistry {
  const health = new HealthRegistry();
  health.register('database', async () => void (await dataSource.query('SELECT 1')));
  health.register('nats', async () => {
    if (bus.nc.isClosed()) throw new Error('connection closed');
    await bus.nc.flush();
  });
  return health;
}
