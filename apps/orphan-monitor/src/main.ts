import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { z } from 'zod';
import { DataSource } from 'typeorm';
import { commonEnv, createLogger, createRegistry, HealthRegistry, METRICS_REGISTRY, OpsController, parseEnv, port } from '@legwork/observability';
import { createDataSource } from '@legwork/persistence';

/**
 * orphan-monitor — bootable shell: connects to PostgreSQL, serves /health and /metrics. Its scans
 * (issue 4: reconciliation and orphan detection every 5 minutes) are not built yet; it states so
 * at start instead of pretending to scan.
 */
const config = parseEnv(
  z.object({ ...commonEnv, ORPHAN_MONITOR_HTTP_PORT: port.default(3003), ORPHAN_MONITOR_HTTP_HOST: z.string().default('127.0.0.1') }),
  process.env,
);

async function main(): Promise<void> {
  const log = createLogger('orphan-monitor', config.LOG_LEVEL);
  const dataSource = await createDataSource(config.DATABASE_URL, { poolSize: 2, applicationName: 'legwork-orphan-monitor' }).initialize();
  const health = new HealthRegistry();
  health.register('database', async () => void (await dataSource.query('SELECT 1')));

  @Module({
    controllers: [OpsController],
    providers: [
      { provide: HealthRegistry, useValue: health },
      { provide: METRICS_REGISTRY, useValue: createRegistry('orphan-monitor') },
      { provide: DataSource, useValue: dataSource },
    ],
  })
  class ShellModule {}

  const app = await NestFactory.create<NestFastifyApplication>(ShellModule, new FastifyAdapter(), { logger: ['error', 'warn'] });
  await app.listen(config.ORPHAN_MONITOR_HTTP_PORT, config.ORPHAN_MONITOR_HTTP_HOST);
  log.warn('scans are not implemented yet (issue 4): this process only reports health');
  const stop = () => void app.close().then(() => dataSource.destroy()).then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`orphan-monitor failed to start: ${(error as Error).message}\n`);
  process.exit(1);
});
