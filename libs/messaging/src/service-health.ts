import type { DataSource } from 'typeorm';
import { HealthRegistry } from '@legwork/observability';
import type { Bus } from './bus';

/** `/health` of a service that needs its database and NATS: both must answer. */
export function databaseAndBusHealth(dataSource: DataSource, bus: Bus): HealthRegistry {
  const health = new HealthRegistry();
  health.register('database', async () => void (await dataSource.query('SELECT 1')));
  health.register('nats', async () => {
    if (bus.nc.isClosed()) throw new Error('connection closed');
    await bus.nc.flush();
  });
  return health;
}
