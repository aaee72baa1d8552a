/**
 * Benchmark: reconciliation and orphan detection at scale — 1,000 simulator accounts holding
 * 10,000 positions (10 five-leg positions each). Prints, for a first reconciliation pass, the
 * next one over the unchanged book (the steady state of the 5-minute scans: no funding read when
 * nothing can have settled) and one orphan scan over every account: wall time, exchange calls (position-list calls must equal the
 * number of accounts), database statements per account, CPU per account of this process, of
 * PostgreSQL and of the simulator (the last two from Linux's /proc), and beside them the baseline measured in
 * the same run: the bare position-list fetch of the same accounts through the same ccxt client,
 * with the same concurrency, before the passes and again after them. Ratio = pass time / the
 * faster baseline.
 *
 *   npm run build && node dist/bench/reconciliation-at-scale.js [--accounts 1000] [--positions-per-account 10] [--concurrency 8] [--rtt-ms 0]
 *
 * Starts its own NATS-less stack: a throwaway PostgreSQL and the simulator in its own process, as
 * in every other benchmark (the exchange's CPU is not the scan's: in-process, serving 1,000 position
 * lists took a tenth of the pass's one core); the scans run in this process, as the reconciler's job
 * handler runs them, without the JetStream hop.
 * `--rtt-ms` gives every /v5 call a simulated round trip (the simulator's latency, ±10 % jitter):
 * 0 measures CPU alone (everything on the same cores), 20 a client near the exchange.
 * The per-IP rate limiter is lifted for the measurement (Bybit's 600 requests / 5 s would make
 * any 1,000-account pass last ≥ 8.3 s whatever the code does); see bench/README.md.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { Command } from 'commander';
import { Client } from 'pg';
import { startLegworkStack } from '@legwork/devstack';
import { processTreeCpuMs, runBenchmark, startBenchInfra } from './bench-infra';
import { BybitClientFactory } from '@legwork/exchange';
import { AlertFactory } from '@legwork/messaging';
import { createRegistry, SIM_ONLY_ENCRYPTION_KEYS } from '@legwork/observability';
import {
  createDataSource,
  FundingRepository,
  IdentityRepository,
  OrderLedgerRepository,
  parseEncryptionKeys,
  ScanRepository,
  SecretCipher,
} from '@legwork/persistence';
import { readerFor } from '@legwork/scanning';
import { ReconcileAccountUseCase } from '../apps/reconciler/src/reconcile-account/reconcile-account.use-case';
import { ScanOrphansUseCase } from '../apps/orphan-monitor/src/scan-orphans/scan-orphans.use-case';
import { OutboxRepository } from '@legwork/outbox';

const LEGS = [
  { symbol: 'BTCUSDT', qty: '0.001', price: '65000' },
  { symbol: 'ETHUSDT', qty: '0.01', price: '3200' },
  { symbol: 'XRPUSDT', qty: '10', price: '0.55' },
  { symbol: 'DOGEUSDT', qty: '50', price: '0.12' },
  { symbol: 'LTCUSDT', qty: '0.1', price: '85' },
];

// Every statement sent, through TypeORM or as a prepared statement on its pool: node-postgres's Client.query.
let queries = 0;
const originalQuery = Client.prototype.query;
Client.prototype.query = function counted(this: Client, ...args: unknown[]) {
  queries += 1;
  return (originalQuery as (...a: unknown[]) => unknown).apply(this, args);
} as typeof originalQuery;

async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await fn(items[next++] as T);
    }),
  );
}

async function main(): Promise<void> {
  const opts = new Command()
    .option('--accounts <n>', 'simulator accounts', '1000')
    .option('--positions-per-account <n>', 'ACTIVE five-leg positions per account', '10')
    .option('--concurrency <n>', 'accounts scanned at once (the services default to 4 per replica)', '8')
    .option('--rtt-ms <n>', 'simulated round trip of every /v5 call, ms', '0')
    .parse()
    .opts<{ accounts: string; positionsPerAccount: string; concurrency: string; rttMs: string }>();
  const accounts = Number(opts.accounts);
  const perAccount = Number(opts.positionsPerAccount);
  const concurrency = Number(opts.concurrency);
  const rttMs = Number(opts.rttMs);
  const say = (s: string) => process.stdout.write(`${s}\n`);

  const infra = await startBenchInfra({ nats: false });
  const url = infra.databaseUrl;
  const stack = await startLegworkStack({
    databaseUrl: url,
    natsUrl: '',
    namespace: '',
    services: ['bybit-sim'],
    env: {
      LOG_LEVEL: 'warn',
      BYBIT_SIM_PRICE_TICK_MS: '0',
      ...(rttMs > 0 ? { BYBIT_SIM_LATENCY_RTT_MS: String(rttMs), BYBIT_SIM_LATENCY_JITTER_MS: String(Math.round(rttMs / 10)) } : {}),
    },
  });
  const sim = { url: stack.simUrl };
  try {
    const ds = await createDataSource(url, { poolSize: concurrency + 2, applicationName: 'bench' }).initialize();
    const cipher = new SecretCipher(parseEncryptionKeys(SIM_ONLY_ENCRYPTION_KEYS).active);
    await fetch(`${sim.url}/__sim/prices`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(Object.fromEntries(LEGS.map((l) => [l.symbol, l.price]))),
    });

    say(`seeding ${accounts} accounts × ${perAccount} positions × ${LEGS.length} legs…`);
    const seedStart = Date.now();
    const indexId = randomUUID();
    await ds.query('INSERT INTO indices (id, name) VALUES ($1, $2)', [indexId, 'bench']);
    await ds.query(
      `INSERT INTO index_components (index_id, ordinal, symbol, weight) SELECT $1, i - 1, s, 1 FROM unnest($2::text[]) WITH ORDINALITY AS t(s, i)`,
      [indexId, LEGS.map((l) => l.symbol)],
    );
    const accountIds: string[] = [];
    await pool(
      Array.from({ length: accounts }, (_, i) => i),
      16,
      async (i) => {
        const userId = randomUUID();
        const accountId = randomUUID();
        const apiKey = `bench${i}`;
        const apiSecret = `secret${i}`;
        const sealed = cipher.seal(apiSecret);
        await ds.query('INSERT INTO users (id, email) VALUES ($1, $2)', [userId, `bench${i}@example.com`]);
        await ds.query(
          'INSERT INTO exchange_accounts (id, user_id, exchange_env, api_key, api_secret_ciphertext, encryption_key_id) VALUES ($1, $2, $3, $4, $5, $6)',
          [accountId, userId, 'sim', apiKey, sealed.ciphertext, sealed.keyId],
        );
        const positionIds = Array.from({ length: perAccount }, () => randomUUID());
        await ds.query(
          `INSERT INTO synthetic_positions (id, user_id, account_id, index_id, direction, notional_usdt, status) SELECT p, $2, $3, $4, 'long', 1000, 'ACTIVE' FROM unnest($1::uuid[]) AS p`,
          [positionIds, userId, accountId, indexId],
        );
        await ds.query(
          `INSERT INTO position_components (position_id, leg_index, symbol, side, expected_quantity, entry_price)
         SELECT p, l.i - 1, l.s, 'buy', l.q::numeric, l.pr::numeric FROM unnest($1::uuid[]) AS p,
         unnest($2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS l(s, q, pr, i)`,
          [positionIds, LEGS.map((l) => l.symbol), LEGS.map((l) => l.qty), LEGS.map((l) => l.price)],
        );
        await fetch(`${sim.url}/__sim/accounts`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ apiKey, apiSecret, balanceUsdt: '100000', defaultLeverage: '1' }), // opened at 1x, as Legwork opens
        });
        for (const leg of LEGS) {
          const qty = (Number(leg.qty) * perAccount).toFixed(6).replace(/\.?0+$/, '');
          const res = await fetch(`${sim.url}/__sim/trade`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ apiKey, symbol: leg.symbol, side: 'Buy', qty }),
          });
          if (!res.ok) throw new Error(`seed trade refused: ${await res.text()}`);
        }
        accountIds.push(accountId);
      },
    );
    say(`seeded in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`);

    const factory = new BybitClientFactory(
      { env: 'sim', simUrl: sim.url, requestTimeoutMs: 10_000, ipRequestsPer5s: 1e9 },
      createRegistry('bench'),
    );
    const identity = new IdentityRepository(ds, cipher);
    const scans = new ScanRepository(ds);
    const settings = { namespace: '', orphanConfirmScans: 2, orphanGraceMs: 1, orphanOriginLookbackMs: 3_600_000, stuckAfterMs: 3_600_000 };
    const alerts = new AlertFactory('');
    const reconcile = new ReconcileAccountUseCase(
      scans,
      new OrderLedgerRepository(ds),
      new OutboxRepository(ds),
      alerts,
      settings,
      new FundingRepository(ds),
    );
    const orphans = new ScanOrphansUseCase(scans, alerts, settings);
    const readers = new Map<string, Awaited<ReturnType<typeof readerFor>>>();
    for (const id of accountIds) readers.set(id, await readerFor(identity, factory, id));
    /** The simulator's last request seq, and the /v5 paths asked after a seq (its log keeps the last 10,000). */
    const requestsAfter = async (afterSeq: number) =>
      ((await (await fetch(`${sim.url}/__sim/requests?afterSeq=${afterSeq}`)).json()) as { requests: { seq: number; path: string }[] })
        .requests;
    const lastSeq = async () => Math.max(0, ...(await requestsAfter(0)).map((r) => r.seq));

    const simPid = stack.services['bybit-sim']?.pid;
    const otherCpu = () => ({
      postgres: infra.postgresPid ? processTreeCpuMs([infra.postgresPid]) : null,
      simulator: simPid ? processTreeCpuMs([simPid]) : null,
    });
    const msPerAccount = (before: number | null, after: number | null) =>
      before === null || after === null ? null : (after - before) / accountIds.length;
    const measure = async (name: string, fn: (accountId: string) => Promise<unknown>) => {
      const seqBefore = await lastSeq();
      const queriesBefore = queries;
      const othersBefore = otherCpu();
      const cpuBefore = process.cpuUsage();
      const start = process.hrtime.bigint();
      await pool(accountIds, concurrency, fn);
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const cpu = process.cpuUsage(cpuBefore);
      const othersAfter = otherCpu();
      const asked = await requestsAfter(seqBefore);
      return {
        name,
        seconds,
        exchangeCalls: asked.filter((r) => r.path === '/v5/position/list').length,
        otherCalls: asked.length - asked.filter((r) => r.path === '/v5/position/list').length,
        queriesPerAccount: (queries - queriesBefore) / accountIds.length,
        cpuMsPerAccount: {
          scanner: (cpu.user + cpu.system) / 1000 / accountIds.length,
          postgres: msPerAccount(othersBefore.postgres, othersAfter.postgres),
          simulator: msPerAccount(othersBefore.simulator, othersAfter.simulator),
        },
      };
    };
    const bareFetch = (id: string) => (readers.get(id) as { positions(): Promise<unknown> }).positions();
    const baselineFirst = await measure('bare position-list fetch (before)', bareFetch);
    const reconcilePass = await measure('reconciliation pass (first)', (id) => reconcile.execute(id, readers.get(id) as never));
    // The next scheduled pass over an unchanged book: what every 5-minute scan is between trades
    // and funding settlements (nothing settled since the first pass, so no funding read).
    const steadyPass = await measure('reconciliation pass (next, steady)', (id) => reconcile.execute(id, readers.get(id) as never));
    const orphanPass = await measure('orphan scan', (id) => orphans.execute(id, readers.get(id) as never));
    // Measured again once everything is warm: ratios are against the faster of the two (the first
    // ran cold, which flattered whatever ran after it).
    const baselineAgain = await measure('bare position-list fetch (after)', bareFetch);
    const baseline = baselineAgain.seconds < baselineFirst.seconds ? baselineAgain : baselineFirst;
    const [{ altered }] = await ds.query(`SELECT count(*)::int AS altered FROM synthetic_positions WHERE health = 'ALTERED'`);
    const [{ suspected }] = await ds.query(`SELECT count(*)::int AS suspected FROM orphan_observations`);

    say('');
    say(
      `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, node ${process.version}; ${accounts} accounts, ${accounts * perAccount} positions, concurrency ${concurrency}, round trip ${rttMs} ms`,
    );
    say(
      `${'measure'.padEnd(38)} ${'wall s'.padStart(8)} ${'vs baseline'.padStart(12)} ${'position-list calls'.padStart(20)} ${'DB round trips/account'.padStart(24)} ${'other exchange calls'.padStart(21)}   CPU ms/account: this process / PostgreSQL / simulator`,
    );
    for (const m of [baselineFirst, reconcilePass, steadyPass, orphanPass, baselineAgain]) {
      say(
        `${m.name.padEnd(38)} ${m.seconds.toFixed(2).padStart(8)} ${(m.seconds / baseline.seconds).toFixed(2).padStart(11)}× ${String(m.exchangeCalls).padStart(20)} ${m.queriesPerAccount.toFixed(1).padStart(24)} ${String(m.otherCalls).padStart(21)}   ${[m.cpuMsPerAccount.scanner, m.cpuMsPerAccount.postgres, m.cpuMsPerAccount.simulator].map((v) => (v === null ? 'n/a' : v.toFixed(2))).join(' / ')}`,
      );
    }
    say(`verdicts: ${altered} positions ALTERED (expected 0), ${suspected} orphans (expected 0)`);
    if (reconcilePass.exchangeCalls !== accounts || steadyPass.exchangeCalls !== accounts || orphanPass.exchangeCalls !== accounts)
      throw new Error('position-list calls per pass must equal the number of accounts');
    if (altered !== 0 || suspected !== 0) throw new Error('a consistent book must give no alteration and no orphan');
    await ds.destroy();
  } finally {
    await stack.stop();
    await infra.stop();
  }
}

runBenchmark(main);
