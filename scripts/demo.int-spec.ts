import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { findFreePort, repoRoot, TEST_ENV, testNamespace, testNatsUrl, dropDatabase } from '@legwork/devstack';

// `npm run demo` itself, against this run's NATS and PostgreSQL, on free ports.
describe('the demo', () => {
  it('opens a five-leg position through the gateway, prints its summary and exits 0', async () => {
    const admin = process.env[TEST_ENV.adminDatabaseUrl] as string;
    const dbName = `demo_${testNamespace()}`;
    const databaseUrl = new URL(admin);
    databaseUrl.pathname = `/${dbName}`;
    try {
      const { stdout } = await promisify(execFile)(process.execPath, [path.join(repoRoot(), 'dist/scripts/demo.js')], {
        env: {
          ...process.env,
          NATS_URL: testNatsUrl(),
          DATABASE_URL: databaseUrl.toString(),
          BUS_NAMESPACE: testNamespace(),
          GATEWAY_PORT: String(await findFreePort()),
          BYBIT_SIM_PORT: String(await findFreePort()),
        },
        timeout: 90_000,
      });
      expect(stdout).toMatch(/ACTIVE {2}\(long 1000 USDT\)/);
      for (const symbol of ['BTCUSDT', 'ETHUSDT', 'XRPUSDT', 'DOGEUSDT', 'LTCUSDT']) expect(stdout).toMatch(new RegExp(`${symbol}\\s+buy .* lw\\S{26}\\s+FILLED`));
      expect(stdout).toMatch(/demo: OK/);
    } finally {
      await dropDatabase(admin, dbName);
    }
  });
});
