/**
 * Benchmark — drift from the private streams (issue 18). One stack (simulator, gateway, executor,
 * one orphan monitor); `--accounts` accounts each holding an ACTIVE one-leg basket, so the orphan
 * monitor follows every one of them (one process, all the leases). It prints
 *  - memory and CPU per followed account: the orphan monitor's RSS and its CPU (utime + stime
 *    from /proc) over `--idle-s` idle seconds, with no account and then with every account
 *    followed (streams connected, pings and lease renewals running), the difference / accounts;
 *  - drift detection time, stream against scan: a manual trade (`/__sim/trade`) on `--trades`
 *    accounts, each timed from the moment before the trade request to the moment its orphan row
 *    appears (polled every 50 ms) — with the streams followed, then with the streams off and the
 *    scans alone, run every `--scan-interval-s` seconds, the trades spread evenly over one
 *    interval (a scan's detection time is mostly the wait for the next scan: at the 5-minute
 *    default it grows with the interval). p50 and p95 (nearest rank), and issue 18's target.
 * A benchmark reports: a missed target is printed, the process still exits 0.
 *
 *   npm run build && node dist/bench/stream-drift.js [--accounts 500] [--trades 40] [--scan-interval-s 60] [--idle-s 30]
 *
 * The simulator is not Bybit: new stream connections are not limited per IP here
 * (`STREAM_CONNECTS_PER_5MIN` raised so 500 connect in seconds).
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { Command } from 'commander';
import { Pool } from 'pg';
import { GatewayClient, LocalNats, seedUser, SimControl, startLegworkStack, type SeededUser } from '@legwork/devstack';
import { SIM_ONLY_ENCRYPTION_KEYS } from '@legwork/observability';
import { runBenchmark, startBenchInfra } from './bench-infra';

const say = (s: string) => process.stdout.write(`${s}\n`);
const note = (s: string) => process.stderr.write(`${s}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const TARGET_P95_S = 3;

/** Nearest-rank percentile of `values` (p in 0..100); NaN when empty. */
function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

/** RSS (bytes) and CPU time (seconds, user + system) of process `pid`, from /proc. */
function usage(pid: number): { rssBytes: number; cpuS: number } {
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  // Fields 14 and 15 of /proc/<pid>/stat (utime, stime), in clock ticks (100 per second on Linux).
  return { rssBytes: rssKb * 1024, cpuS: (Number(fields[11]) + Number(fields[12])) / 100 };
}

/** CPU share (of one core) and RSS at the end of `idleS` seconds of `pid` left alone. */
async function idle(pid: number, idleS: number): Promise<{ rssMb: number; cpuPct: number }> {
  const start = usage(pid);
  await sleep(idleS * 1000);
  const end = usage(pid);
  return { rssMb: end.rssBytes / 2 ** 20, cpuPct: ((end.cpuS - start.cpuS) / idleS) * 100 };
}

async function main(): Promise<void> {
  const opts = new Command()
    .option('--accounts <n>', 'accounts holding a live position, all followed by one orphan monitor', '500')
    .option('--trades <n>', 'manual trades per phase (stream, scan), one account each', '40')
    .option('--scan-interval-s <n>', 'scan interval of the scan phase, seconds (a divisor of 60, or 60)', '60')
    .option('--idle-s <n>', 'seconds of idle measurement, before and after following', '30')
    .parse()
    .opts<{ accounts: string; trades: string; scanIntervalS: string; idleS: string }>();
  const [accounts, trades, intervalS, idleS] = [opts.accounts, opts.trades, opts.scanIntervalS, opts.idleS].map(Number) as [
    number,
    number,
    number,
    number,
  ];
  if (2 * trades > accounts) throw new Error('--trades × 2 must not exceed --accounts (one fresh account per trade)');
  const infra = await startBenchInfra({ nats: true });
  const runStarted = Date.now();
  try {
    const db = new Pool({ connectionString: infra.databaseUrl, max: 4 });
    infra.onStop(() => db.end());
    const stack = await startLegworkStack({
      databaseUrl: infra.databaseUrl,
      natsUrl: (infra.nats as LocalNats).url,
      namespace: 'streamdrift',
      services: ['bybit-sim', 'gateway', 'executor', 'orphan-monitor'],
      env: {
        LOG_LEVEL: 'warn',
        GATEWAY_RATE_LIMIT_PER_MINUTE: '100000000',
        EXCHANGE_IP_REQUESTS_PER_5S: '1000000000',
        EXECUTOR_CONCURRENCY: '8',
        BYBIT_SIM_PRICE_TICK_MS: '0',
        STREAMS_ENABLED: 'true',
        STREAM_CONNECTS_PER_5MIN: '100000',
        STREAM_ACCOUNTS_REFRESH_MS: '2000',
        ORPHAN_MONITOR_CRON: '0 0 1 1 *',
      },
    });
    infra.onStop(() => stack.stop());
    const sim = new SimControl(stack.simUrl);
    const monitor = stack.services['orphan-monitor'];
    if (!monitor) throw new Error('no orphan monitor');

    const before = await idle(monitor.pid, idleS);
    note(`idle, no account: ${before.rssMb.toFixed(0)} MB, ${before.cpuPct.toFixed(1)} % CPU`);
    const users = await openBaskets(accounts, infra.databaseUrl, stack.simUrl, stack.gatewayUrl, db);
    const followedAt = Date.now();
    await until(async () => (await metric(stack.urls['orphan-monitor'], 'exchange_streams_connected')) >= accounts, 300_000);
    note(`${accounts} streams connected in ${((Date.now() - followedAt) / 1000).toFixed(1)} s`);
    await sleep(5_000); // first gap fills done
    const after = await idle(monitor.pid, idleS);

    const streamS = await detect(db, sim, users.slice(0, trades), 'TRXUSDT', 250);
    await monitor.stop();
    const scanner = await stack.startService('orphan-monitor', {
      STREAMS_ENABLED: 'false',
      ORPHAN_MONITOR_CRON: intervalS === 60 ? '0 * * * * *' : `*/${intervalS} * * * * *`,
    });
    infra.onStop(() => scanner.stop());
    const scanS = await detect(db, sim, users.slice(trades, 2 * trades), 'ADAUSDT', (intervalS * 1000) / trades);

    say(
      `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, node ${process.version}; ${accounts} accounts followed by one orphan monitor, run ${((Date.now() - runStarted) / 1000).toFixed(0)} s`,
    );
    say(`idle orphan monitor, no account:   RSS ${before.rssMb.toFixed(0)} MB, CPU ${before.cpuPct.toFixed(2)} % of a core`);
    say(`idle orphan monitor, ${accounts} followed: RSS ${after.rssMb.toFixed(0)} MB, CPU ${after.cpuPct.toFixed(2)} % of a core`);
    say(
      `per followed account: ${(((after.rssMb - before.rssMb) * 1024) / accounts).toFixed(0)} KB RSS, ${((after.cpuPct - before.cpuPct) / accounts).toFixed(4)} % of a core`,
    );
    const row = (label: string, s: number[]) =>
      say(
        `${label.padEnd(34)} n ${String(s.length).padStart(3)}  p50 ${percentile(s, 50).toFixed(2).padStart(7)} s  p95 ${percentile(s, 95).toFixed(2).padStart(7)} s`,
      );
    row('drift detection, stream', streamS);
    row(`drift detection, scan every ${intervalS} s`, scanS);
    say(
      `stream / scan: p50 ${(percentile(streamS, 50) / percentile(scanS, 50)).toFixed(3)}×, p95 ${(percentile(streamS, 95) / percentile(scanS, 95)).toFixed(3)}×`,
    );
    const p95 = percentile(streamS, 95);
    say(
      `target drift detection p95 ≤ ${TARGET_P95_S} s while streams are up: ${p95.toFixed(2)} s — ${p95 <= TARGET_P95_S ? 'met' : 'NOT met'}`,
    );
  } finally {
    await infra.stop();
  }
}

/** `count` users, each with an ACTIVE one-leg basket (1,000 USDT long BTCUSDT), eight at a time. */
async function openBaskets(count: number, databaseUrl: string, simUrl: string, gatewayUrl: string, db: Pool): Promise<SeededUser[]> {
  const users: SeededUser[] = [];
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      const user = await seedUser({
        databaseUrl,
        simUrl,
        encryptionKeys: SIM_ONLY_ENCRYPTION_KEYS,
        balanceUsdt: '100000',
        index: { components: [{ symbol: 'BTCUSDT', weight: '100' }] },
      });
      const res = await new GatewayClient(gatewayUrl, user.token).openPosition({
        indexId: user.indexId,
        notionalUsdt: '1000',
        direction: 'long',
      });
      if (res.status !== 202) throw new Error(`accept answered ${res.status} ${JSON.stringify(res.body)}`);
      await until(async () => {
        const { rows } = await db.query('SELECT status FROM synthetic_positions WHERE id = $1', [res.body['positionId']]);
        if (rows[0]?.status === 'FAILED') throw new Error(`basket ${String(res.body['positionId'])} FAILED`);
        return rows[0]?.status === 'ACTIVE';
      }, 60_000);
      users.push(user);
      if (users.length % 100 === 0) note(`${users.length} baskets ACTIVE`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return users;
}

/** One manual trade of `symbol` on each user's account, `gapMs` apart; seconds from each trade request to its orphan row. */
async function detect(db: Pool, sim: SimControl, users: SeededUser[], symbol: string, gapMs: number): Promise<number[]> {
  const tradedAt = new Map<string, number>();
  const seenAt = new Map<string, number>();
  const poller = setInterval(() => {
    void db
      .query('SELECT account_id FROM orphan_observations WHERE symbol = $1 AND account_id = ANY($2)', [symbol, [...tradedAt.keys()]])
      .then(({ rows }) => {
        for (const r of rows as { account_id: string }[]) if (!seenAt.has(r.account_id)) seenAt.set(r.account_id, Date.now());
      });
  }, 50);
  try {
    for (const user of users) {
      tradedAt.set(user.accountId, Date.now());
      await sim.manualTrade({ apiKey: user.apiKey, symbol, side: 'Buy', qty: symbol === 'TRXUSDT' ? '500' : '100' });
      await sleep(gapMs);
    }
    await until(async () => seenAt.size === users.length, 600_000);
  } finally {
    clearInterval(poller);
  }
  return users.map((u) => ((seenAt.get(u.accountId) as number) - (tradedAt.get(u.accountId) as number)) / 1000);
}

/** The value of an unlabelled metric on a service's /metrics (0 when absent). */
async function metric(url: string | undefined, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
}

/** Polls `check` every 100 ms until it is true. @throws Error after `timeoutMs` */
async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not reached within ${timeoutMs} ms`);
    await sleep(100);
  }
}

runBenchmark(main);
