import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  createTestDatabase,
  databaseUrl,
  findFreePort,
  listDatabases,
  repoRoot,
  TEST_ENV,
  TestDatabase,
  testNatsUrl,
} from '@legwork/devstack';
import { busNames, connectBus, legworkStreams } from '@legwork/messaging';
import { createDataSource } from '@legwork/persistence';

// `npm run demo` itself, against this run's NATS and PostgreSQL (both "found": already listening),
// on free ports. The database named in DATABASE_URL stands for `legwork`: the demo must leave it,
// and the default bus namespace, exactly as it found them.
describe('the demo', () => {
  let legwork: TestDatabase;
  beforeAll(async () => {
    legwork = await createTestDatabase();
  });
  afterAll(async () => {
    await legwork?.drop();
  });

  const runDemo = async (...args: string[]) => {
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(repoRoot(), 'dist/scripts/demo.js'), ...args], {
      env: {
        ...process.env,
        NATS_URL: testNatsUrl(),
        DATABASE_URL: legwork.url,
        GATEWAY_PORT: String(await findFreePort()),
        BYBIT_SIM_PORT: String(await findFreePort()),
      },
      timeout: 120_000,
    });
    return stdout;
  };
  const streamNames = async () => {
    const bus = await connectBus(testNatsUrl(), '', 'demo-spec');
    try {
      const names: string[] = [];
      for await (const info of bus.jsm.streams.list()) names.push(info.config.name);
      return names;
    } finally {
      await bus.close();
    }
  };
  const rowsIn = async (url: string) => {
    const ds = await createDataSource(url, { poolSize: 1 }).initialize();
    try {
      const [counts] = (await ds.query(
        `SELECT (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM exchange_accounts)::int AS accounts,
                (SELECT count(*) FROM indices)::int AS indices, (SELECT count(*) FROM synthetic_positions)::int AS positions`,
      )) as Record<string, number>[];
      return counts;
    } finally {
      await ds.destroy();
    }
  };
  const admin = () => process.env[TEST_ENV.adminDatabaseUrl] as string;
  const workspaceOf = (stdout: string) => {
    const match = /demo workspace ([a-z0-9]+): database (legwork_demo_[a-z0-9]+), bus namespace (demo[a-z0-9]+)/.exec(stdout);
    if (!match) throw new Error(`no workspace line in:\n${stdout}`);
    return { id: match[1] as string, database: match[2] as string, namespace: match[3] as string };
  };

  it('opens a five-leg position through the gateway, prints its summary, exits 0 and leaves nothing behind', async () => {
    const defaultStreams = legworkStreams(busNames(''));
    const defaultBefore = (await streamNames()).filter((n) => defaultStreams.includes(n));
    const stdout = await runDemo();
    expect(stdout).toMatch(/NATS nats:\/\/\S+: found/);
    expect(stdout).toMatch(/PostgreSQL \S+: found/);
    expect(stdout).toMatch(/ACTIVE {2}\(long 1000 USDT\)/);
    for (const symbol of ['BTCUSDT', 'ETHUSDT', 'XRPUSDT', 'DOGEUSDT', 'LTCUSDT'])
      expect(stdout).toMatch(new RegExp(`${symbol}\\s+buy .* lw\\S{26}\\s+FILLED`));
    expect(stdout).toMatch(/demo: OK/);

    const workspace = workspaceOf(stdout);
    expect(await rowsIn(legwork.url)).toEqual({ users: 0, accounts: 0, indices: 0, positions: 0 });
    expect(await listDatabases(admin(), workspace.database)).toEqual([]);
    const after = await streamNames();
    expect(after.filter((n) => legworkStreams(busNames(workspace.namespace)).includes(n))).toEqual([]);
    expect(after.filter((n) => defaultStreams.includes(n))).toEqual(defaultBefore);
  });

  it('keeps its database and streams when asked, says how to remove them, and --remove removes them', async () => {
    const stdout = await runDemo('--keep');
    expect(stdout).toMatch(/demo: OK/);
    const workspace = workspaceOf(stdout);
    expect(stdout).toContain(`npm run demo -- --remove ${workspace.id}`);
    expect(await listDatabases(admin(), workspace.database)).toEqual([workspace.database]);
    expect(await rowsIn(databaseUrl(admin(), workspace.database))).toEqual({ users: 1, accounts: 1, indices: 1, positions: 1 });
    expect(await rowsIn(legwork.url)).toEqual({ users: 0, accounts: 0, indices: 0, positions: 0 });
    const namespaced = legworkStreams(busNames(workspace.namespace));
    expect((await streamNames()).filter((n) => namespaced.includes(n)).sort()).toEqual([...namespaced].sort());

    expect(await runDemo('--remove', workspace.id)).toMatch(/removed: database legwork_demo_/);
    expect(await listDatabases(admin(), workspace.database)).toEqual([]);
    expect((await streamNames()).filter((n) => namespaced.includes(n))).toEqual([]);
  });
});
