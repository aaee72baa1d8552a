import Fastify, { FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import pino from 'pino';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createTestDatabase, disconnectSessions, TEST_ENV, type TestDatabase } from '@legwork/devstack';
import { createRegistry } from '@legwork/observability';
import { createDataSource, RateLimitWindowRepository } from '@legwork/persistence';
import { rateLimitOptions } from './rate-limit';
import { sharedRateLimitStore } from './shared-rate-limit-store';

// The gateway's rate-limit plugin options over the PostgreSQL store, in one Fastify instance:
// the limit holds, and a database that refuses connections lets requests through (fail open,
// counted), as shared-rate-limit-store.ts decides.
describe('rate limit over the PostgreSQL store', () => {
  const registry = createRegistry('gateway');
  let database: TestDatabase;
  let dataSource: DataSource;
  let app: FastifyInstance;
  const admin = () => new Client({ connectionString: process.env[TEST_ENV.adminDatabaseUrl] });
  const allowConnections = async (allow: boolean) => {
    const client = admin();
    await client.connect();
    try {
      await client.query(`ALTER DATABASE "${database.name}" ALLOW_CONNECTIONS ${allow}`);
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await createDataSource(database.url, { poolSize: 2 }).initialize();
    const store = sharedRateLimitStore(new RateLimitWindowRepository(dataSource), pino({ level: 'silent' }), registry);
    app = Fastify();
    await app.register(rateLimit, rateLimitOptions(2, store));
    app.get('/api/indices', async () => ({ ok: true }));
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await dataSource?.destroy().catch(() => undefined);
    if (database) await allowConnections(true);
    await database?.drop();
  });

  const get = (token: string) => app.inject({ method: 'GET', url: '/api/indices', headers: { authorization: `Bearer ${token}` } });

  it('counts per caller in the database: the third request of a caller in a minute is 429', async () => {
    expect([(await get('a')).statusCode, (await get('a')).statusCode, (await get('a')).statusCode]).toEqual([200, 200, 429]);
    expect((await get('b')).statusCode).toBe(200);
    const [row] = (await dataSource.query('SELECT count(*)::int AS n FROM gateway_rate_limits')) as { n: number }[];
    expect(row?.n).toBe(2);
  });

  it('fails open when the database refuses connections: the request goes on, the error is counted', async () => {
    const errors = async () => (await registry.getSingleMetricAsString('gateway_rate_limit_store_errors_total')).trim().split('\n').pop();
    await allowConnections(false);
    await disconnectSessions(process.env[TEST_ENV.adminDatabaseUrl]!, database.name);
    // Caller `a` is past its limit, but with no database to count in, the limit cannot refuse.
    expect((await get('a')).statusCode).toBe(200);
    expect(await errors()).toMatch(/ 1$/);
    await allowConnections(true);
    expect((await get('a')).statusCode).toBe(429);
  });
});
