import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { loadGatewayConfig } from './config';
import { GatewayModule } from './gateway.module';
import { createLogger, createRegistry, NestPinoLogger } from '@legwork/observability';
import { exposeRequestId, requestLoggingOptions } from './http/request-logging';
import { instrumentHttp } from './http/http-metrics';
import rateLimit from '@fastify/rate-limit';
import { rateLimitOptions } from './http/rate-limit';
import { sharedRateLimitStore } from './http/shared-rate-limit-store';
import { RateLimitWindowRepository } from '@legwork/persistence';
import { DataSource } from 'typeorm';
import { registerApiPlugins } from './http/api-plugins';

/** Gateway process: the HTTP API for frontends, plus the outbox relay. */
async function main(): Promise<void> {
  const config = loadGatewayConfig();
  const registry = createRegistry('gateway');
  const log = createLogger('gateway', config.LOG_LEVEL);
  const adapter = new FastifyAdapter({
    ...requestLoggingOptions(log),
    bodyLimit: config.GATEWAY_BODY_LIMIT_BYTES,
    // Router-level refusals (a URL too long or malformed) answer in the API's error shape and
    // never echo the request back.
    frameworkErrors: (error: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
      const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
      void reply.status(status).send({ error: { code: 'REQUEST.MALFORMED', message: 'the request URL is malformed or too long' } });
    },
  });
  instrumentHttp(adapter.getInstance(), registry);
  exposeRequestId(adapter.getInstance());
  const app = await NestFactory.create<NestFastifyApplication>(GatewayModule.forRoot(config, registry), adapter, {
    logger: new NestPinoLogger(log),
  });
  const limitStore = sharedRateLimitStore(new RateLimitWindowRepository(app.get(DataSource)), log, registry);
  await app.register(rateLimit, rateLimitOptions(config.GATEWAY_RATE_LIMIT_PER_MINUTE, limitStore));
  await registerApiPlugins(app, config);
  app.enableShutdownHooks();
  await app.listen(config.GATEWAY_PORT, config.GATEWAY_HOST);
}

main().catch((error: unknown) => {
  process.stderr.write(`gateway failed to start: ${(error as Error).message}\n`);
  process.exit(1);
});
