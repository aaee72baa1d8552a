import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { JetStreamServer } from '@legwork/messaging';
import { createLogger, NestPinoLogger } from '@legwork/observability';
import { loadExecutorConfig } from './config';
import { ExecutorModule } from './executor.module';

/**
 * Executor process: consumes trade commands (a Nest microservice on JetStream); serves /health and
 * /metrics (HTTP). The bootstrap hooks (`init`) create the streams and the durable consumer before
 * the JetStream server starts fetching; HTTP answers health only once both run.
 */
async function main(): Promise<void> {
  const config = loadExecutorConfig();
  const app = await NestFactory.create<NestFastifyApplication>(ExecutorModule.forRoot(config), new FastifyAdapter(), {
    logger: new NestPinoLogger(createLogger('executor', config.LOG_LEVEL)),
  });
  app.enableShutdownHooks();
  app.connectMicroservice({ strategy: app.get(JetStreamServer) });
  await app.init();
  await app.startAllMicroservices();
  await app.listen(config.EXECUTOR_HTTP_PORT, config.EXECUTOR_HTTP_HOST);
}

main().catch((error: unknown) => {
  process.stderr.write(`executor failed to start: ${(error as Error).message}\n`);
  process.exit(1);
});
