import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadExecutorConfig } from './config';
import { ExecutorModule } from './executor.module';

/** Executor process: consumes trade commands; serves /health and /metrics. */
async function main(): Promise<void> {
  const config = loadExecutorConfig();
  const app = await NestFactory.create<NestFastifyApplication>(ExecutorModule.forRoot(config), new FastifyAdapter(), {
    logger: ['error', 'warn'],
  });
  app.enableShutdownHooks();
  await app.listen(config.EXECUTOR_HTTP_PORT, config.EXECUTOR_HTTP_HOST);
}

main().catch((error: unknown) => {
  process.stderr.write(`executor failed to start: ${(error as Error).message}\n`);
  process.exit(1);
});
