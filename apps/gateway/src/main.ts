import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { loadGatewayConfig } from './config';
import { GatewayModule } from './gateway.module';
import { createRegistry } from '@legwork/observability';
import { instrumentHttp } from './http/http-metrics';
import rateLimit from '@fastify/rate-limit';
import { rateLimitOptions } from './http/rate-limit';
import { registerApiPlugins } from './http/api-plugins';

/** Gateway process: the HTTP API for frontends, plus the outbox relay. */
async function main(): Promise<void> {
  const config = loadGatewayConfig();
  const registry = createRegistry('gateway');
  const adapter = new FastifyAdapter({
    bodyLimit: config.GATEWAY_BODY_LIMIT_BYTES,
    // Router-level refusals (a URL too long or malformed) answer in the API's error shape and
    // never echo the request back.
    frameworkErrors: (error: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
      const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
      void reply.status(status).send({ error: { code: 'REQUEST.MALFORMED', message: 'the request URL is malformed or too long' } });
    },
  });
  instrumentHttp(adapter.getInstance(), registry);
  const app = await NestFactory.create<NestFastifyApplication>(GatewayModule.forRoot(config, registry), adapter, {
    logger: ['error', 'warn'],
  });
  await app.register(rateLimit, rateLimitOptions(config.GATEWAY_RATE_LIMIT_PER_MINUTE));
  await registerApiPlugins(app, config);
  app.enableShutdownHooks();
  await app.listen(config.GATEWAY_PORT, config.GATEWAY_HOST);
}

main().catch((error: unknown) => {
  process.stderr.write(`gateway failed to start: ${(error as Error).message}\n`);
  process.exit(1);
});
