import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import rateLimit from '@fastify/rate-limit';
import { createTestDatabase, testNamespace, testNatsUrl, TestDatabase } from '@legwork/devstack';
import { createLogger, createRegistry } from '@legwork/observability';
import { RateLimitWindowRepository } from '@legwork/persistence';
import { DataSource } from 'typeorm';
import { loadGatewayConfig } from '../../config';
import { GatewayModule } from '../../gateway.module';
import { registerApiPlugins } from '../api-plugins';
import { rateLimitOptions } from '../rate-limit';
import { sharedRateLimitStore } from '../shared-rate-limit-store';
import { API_DOCS_PREFIX } from './api-docs';
import type { GatewayOpenApiDocument } from './gateway-openapi';

/**
 * The spec matches the server: the gateway's own module and plugins (as main.ts registers them,
 * CORS on), booted in-process against this file's database and bus, register exactly the routes
 * the OpenAPI document lists. Not compared: HEAD (Fastify adds one per GET), OPTIONS (the CORS
 * preflight), and the reference UI's own assets under `/api/docs/`.
 */
describe('route coverage of the OpenAPI document', () => {
  let database: TestDatabase;
  let app: NestFastifyApplication;
  let document: GatewayOpenApiDocument;
  const registered: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    const config = loadGatewayConfig({
      DATABASE_URL: database.url,
      NATS_URL: testNatsUrl(),
      BUS_NAMESPACE: testNamespace(),
      BYBIT_ENV: 'sim',
      LOG_LEVEL: 'silent',
      GATEWAY_CORS_ORIGINS: 'https://app.example.com',
    });
    const adapter = new FastifyAdapter();
    adapter.getInstance().addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) registered.push(`${method} ${route.url}`);
    });
    const registry = createRegistry('gateway');
    app = await NestFactory.create<NestFastifyApplication>(GatewayModule.forRoot(config, registry), adapter, {
      logger: false,
    });
    const store = sharedRateLimitStore(new RateLimitWindowRepository(app.get(DataSource)), createLogger('gateway', 'silent'), registry);
    await app.register(rateLimit, rateLimitOptions(config.GATEWAY_RATE_LIMIT_PER_MINUTE, store));
    document = await registerApiPlugins(app, config);
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('registers every documented operation, and documents every registered route', () => {
    const served = new Set(
      registered
        .filter((r) => !r.startsWith('HEAD ') && !r.startsWith('OPTIONS ') && !r.includes(` ${API_DOCS_PREFIX}/`))
        // Fastify's `:param` → OpenAPI's `{param}`.
        .map((r) => r.replace(/:([A-Za-z0-9_]+)/g, '{$1}')),
    );
    const documented = new Set(
      Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
        (['get', 'post', 'put', 'patch', 'delete'] as const).filter((m) => item[m]).map((m) => `${m.toUpperCase()} ${path}`),
      ),
    );
    expect([...served].filter((r) => !documented.has(r)).sort()).toEqual([]);
    expect([...documented].filter((r) => !served.has(r)).sort()).toEqual([]);
    expect(documented.size).toBeGreaterThan(15);
  });
});
