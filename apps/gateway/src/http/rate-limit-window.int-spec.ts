import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '@legwork/devstack';
import { createDataSource, RateLimitWindowRepository } from '@legwork/persistence';

// The shared rate-limit count: one atomic statement per hit, whichever connection it comes from.
describe('RateLimitWindowRepository', () => {
  let database: TestDatabase;
  let a: DataSource;
  let b: DataSource;
  beforeAll(async () => {
    database = await createTestDatabase();
    [a, b] = await Promise.all([
      createDataSource(database.url, { poolSize: 8 }).initialize(),
      createDataSource(database.url, { poolSize: 8 }).initialize(),
    ]);
  });
  afterAll(async () => {
    await Promise.all([a?.destroy(), b?.destroy()]);
    await database?.drop();
  });

  it('concurrent hits from two pools are each counted once: the counts are exactly 1..n', async () => {
    const repos = [new RateLimitWindowRepository(a), new RateLimitWindowRepository(b)];
    const hits = await Promise.all(Array.from({ length: 100 }, (_, i) => repos[i % 2]!.hit('token:burst', 60_000)));
    expect(hits.map((h) => h.hits).sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    for (const hit of hits) expect(hit.ttlMs).toBeGreaterThan(0);
    for (const hit of hits) expect(hit.ttlMs).toBeLessThanOrEqual(60_000);
  });

  it('a window that ended starts again at 1 with a full window; prune removes only ended windows', async () => {
    const repo = new RateLimitWindowRepository(a);
    await repo.hit('ip:10.0.0.1', 60_000);
    expect((await repo.hit('ip:short', 1)).hits).toBe(1);
    // Ended by the database's clock: pg_sleep runs on the same clock as now().
    await a.query('SELECT pg_sleep(0.05)');
    const again = await repo.hit('ip:short', 60_000);
    expect(again).toEqual({ hits: 1, ttlMs: expect.any(Number) });
    expect(again.ttlMs).toBeGreaterThan(59_000);
    await repo.hit('ip:gone', 1);
    await a.query('SELECT pg_sleep(0.05)');
    expect(await repo.pruneEnded(0)).toBe(1);
    const keys: { key: string }[] = await a.query('SELECT key FROM gateway_rate_limits ORDER BY key');
    expect(keys.map((k) => k.key)).toEqual(['ip:10.0.0.1', 'ip:short', 'token:burst']);
  });
});
