import { DataSource } from 'typeorm';
import pino from 'pino';
import { createDataSource, ScanRepository } from '@legwork/persistence';
import { ScanScheduler } from '@legwork/scanning';
import { eventually } from './eventually';
import { AlertMessage, connectBus } from '@legwork/messaging';
import { SIM_ONLY_ENCRYPTION_KEYS } from '@legwork/observability';
import { GatewayClient } from './gateway-client';
import { LegworkService, LegworkStack, startLegworkStack } from './legwork-stack';
import { seedUser, SeededUser, SeedOptions } from './seed';
import { SimControl } from './sim-control';
import { createTestDatabase, testNamespace, testNatsUrl } from './testing';

/** Settings that make retries and verification fast enough for tests (milliseconds, not minutes). */
export const FAST_EXECUTOR_ENV = {
  RETRY_DELAYS_MS: '200,400,800',
  ACK_WAIT_MS: '5000',
  VERIFY_TIMEOUT_MS: '3000',
  VERIFY_INITIAL_DELAY_MS: '50',
  VERIFY_MAX_DELAY_MS: '250',
  EXCHANGE_REQUEST_TIMEOUT_MS: '2000',
  LOG_LEVEL: 'info',
  // Tests poll positions every 100 ms; the rate limit has its own test with a low limit.
  GATEWAY_RATE_LIMIT_PER_MINUTE: '100000',
  // Scan tests count scans: the private streams (which scan on their own) are on only in the tests that ask for them.
  STREAMS_ENABLED: 'false',
  // Likewise the executor's stream fills (on in the service): the stream tests count an account's connections.
  EXECUTOR_STREAM_FILLS: 'false',
};

/**
 * The private streams on, for the stream tests (issue 18): scheduled scans once a year (so only a
 * stream explains a detection; a 5-minute boundary falling inside a test added a scan its counts
 * did not expect — `t.runScan` runs a window when a test wants one), `ORPHAN_GRACE_MS` =
 * `graceMs`, the followed accounts re-read every 300 ms, reconnects backing off from 200 ms up to 1 s.
 */
export function streamTestEnv(graceMs: number): Record<string, string> {
  return {
    STREAMS_ENABLED: 'true',
    RECONCILER_CRON: '0 0 1 1 *',
    ORPHAN_MONITOR_CRON: '0 0 1 1 *',
    ORPHAN_GRACE_MS: String(graceMs),
    STREAM_ACCOUNTS_REFRESH_MS: '300',
    STREAM_RECONNECT_BASE_MS: '200',
    STREAM_RECONNECT_CAP_MS: '1000',
  };
}

/** The sim-only development key the services use when BYBIT_ENV=sim and none is configured. */
export const TEST_ENCRYPTION_KEYS = SIM_ONLY_ENCRYPTION_KEYS;

export interface TestStack {
  stack: LegworkStack;
  sim: SimControl;
  /** A direct connection to this file's database (for assertions). */
  db: DataSource;
  databaseUrl: string;
  namespace: string;
  /** A new user with a funded simulator account and the five-leg demo index. */
  newUser(options?: Partial<Pick<SeedOptions, 'balanceUsdt' | 'index' | 'positionMode'>>): Promise<SeededUser & { client: GatewayClient }>;
  /**
   * Runs one scheduled scan window of `job` now, as the scheduler would (one job per account,
   * through JetStream to the running scan service), and waits until every account's run of that
   * window finished. @returns the window and each account's run status.
   */
  scan(
    job: 'reconcile' | 'orphans',
    options?: { window?: Date; timeoutMs?: number },
  ): Promise<{ window: Date; runs: { accountId: string; status: string; error: string | null }[] }>;
  /** Every alert published so far on this namespace's ALERTS stream, oldest first. */
  alerts(): Promise<AlertMessage[]>;
  stop(): Promise<void>;
}

/**
 * For an end-to-end test file: a fresh database and bus namespace, and the simulator, gateway and
 * executor (or `services`) as real processes built from dist/.
 */
export async function startTestStack(
  options: {
    services?: LegworkService[];
    env?: Record<string, string>;
    serviceEnv?: Parameters<typeof startLegworkStack>[0]['serviceEnv'];
    /** Keep every line each service prints in `<logDir>/<service>.log` (the in-memory tail is 64 KiB). */
    logDir?: string;
  } = {},
): Promise<TestStack> {
  const database = await createTestDatabase();
  const namespace = testNamespace();
  const stack = await startLegworkStack({
    databaseUrl: database.url,
    natsUrl: testNatsUrl(),
    namespace,
    services: options.services ?? ['bybit-sim', 'gateway', 'executor'],
    env: { ...FAST_EXECUTOR_ENV, ...options.env },
    ...(options.serviceEnv ? { serviceEnv: options.serviceEnv } : {}),
    ...(options.logDir ? { logDir: options.logDir } : {}),
  }).catch(async (error: unknown) => {
    await database.drop();
    throw error;
  });
  const db = await createDataSource(database.url, { poolSize: 2, applicationName: 'legwork-test' }).initialize();
  let lastWindow = 0;
  return {
    stack,
    sim: new SimControl(stack.simUrl),
    db,
    databaseUrl: database.url,
    namespace,
    async newUser(seed = {}) {
      const user = await seedUser({ databaseUrl: database.url, simUrl: stack.simUrl, encryptionKeys: TEST_ENCRYPTION_KEYS, ...seed });
      return { ...user, client: new GatewayClient(stack.gatewayUrl, user.token) };
    },
    async scan(job, scanOptions = {}) {
      // Each call is its own window unless one is given (two calls with one window = two replicas ticking).
      lastWindow = Math.max(Date.now(), lastWindow + 1);
      const window = scanOptions.window ?? new Date(lastWindow);
      const bus = await connectBus(testNatsUrl(), namespace, 'test-scan');
      try {
        const scans = new ScanRepository(db);
        const accounts = job === 'reconcile' ? await scans.accountsWithExposure() : await scans.allAccounts();
        await new ScanScheduler(bus, job, '0 0 1 1 *', async () => accounts, pino({ level: 'silent' })).tick(window);
        const runs = await eventually(
          async () => {
            const rows: { account_id: string; status: string; error: string | null }[] = await db.query(
              'SELECT account_id, status, error FROM scan_runs WHERE job = $1 AND window_start = $2',
              [job, window],
            );
            const finished = rows.filter((r) => r.status !== 'running');
            return finished.length === accounts.length
              ? finished.map((r) => ({ accountId: r.account_id, status: r.status, error: r.error }))
              : undefined;
          },
          { what: `${job} scan of ${accounts.length} account(s) for ${window.toISOString()}`, timeoutMs: scanOptions.timeoutMs ?? 30_000 },
        );
        return { window, runs };
      } finally {
        await bus.close();
      }
    },
    async alerts() {
      const bus = await connectBus(testNatsUrl(), namespace, 'test-alerts');
      try {
        // An alert is written to the outbox with its scan; the relay publishes it a moment later:
        // wait for the alerts already written, so a test never reads the stream before them.
        const prefix = bus.names.alertSubject('');
        await eventually(
          async () => {
            const [row] = await db.query('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL AND starts_with(subject, $1)', [
              prefix,
            ]);
            return row.n === 0 ? true : undefined;
          },
          { what: 'the alerts written to the outbox published' },
        );
        const info = await bus.jsm.streams.info(bus.names.alertsStream);
        const messages: AlertMessage[] = [];
        for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq += 1) {
          const message = await bus.jsm.streams.getMessage(bus.names.alertsStream, { seq });
          if (message) messages.push(message.json<AlertMessage>());
        }
        return messages;
      } finally {
        await bus.close();
      }
    },
    async stop() {
      await stack.stop();
      await db.destroy();
      await database.drop();
    },
  };
}
