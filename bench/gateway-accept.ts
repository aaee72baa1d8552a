/**
 * Benchmark 1 — the gateway's accept path: `POST /api/positions` throughput and p50/p99 latency
 * at a fixed concurrency, beside a bare Fastify route doing the same inserts and publish
 * (bench/bare-accept-server.ts), both as separate processes against the same throwaway
 * PostgreSQL and NATS, measured in the same run. Target: ≥ 0.7× the bare route's throughput.
 *
 *   npm run build && node dist/bench/gateway-accept.js [--connections 32] [--seconds 10]
 */
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { Command } from 'commander';
import { findFreePort, LocalNats, repoRoot, seedUser, spawnService, startLegworkStack } from '@legwork/devstack';
import { runBenchmark, startBenchInfra } from './bench-infra';
import { SIM_ONLY_ENCRYPTION_KEYS } from '@legwork/observability';

async function load(url: string, token: string, indexId: string, connections: number, seconds: number) {
  const result = await autocannon({
    url: `${url}/api/positions`,
    method: 'POST',
    connections,
    duration: seconds,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ indexId, notionalUsdt: '100', direction: 'long' }),
  });
  const accepted = result.statusCodeStats?.['202']?.count ?? 0;
  return { rps: accepted / seconds, p50: result.latency.p50, p99: result.latency.p99, non202: result.requests.total - accepted };
}

async function main(): Promise<void> {
  const opts = new Command()
    .option('--connections <n>', 'concurrent connections', '32')
    .option('--seconds <n>', 'seconds per measurement', '10')
    .parse()
    .opts<{ connections: string; seconds: string }>();
  const connections = Number(opts.connections);
  const seconds = Number(opts.seconds);
  const infra = await startBenchInfra({ nats: true });
  const { databaseUrl } = infra;
  const nats = infra.nats as LocalNats;
  try {
    // The simulator only answers the seed's account creation; no executor runs (commands queue).
    const stack = await startLegworkStack({
      databaseUrl,
      natsUrl: nats.url,
      namespace: 'bench',
      services: ['bybit-sim', 'gateway'],
      env: { LOG_LEVEL: 'warn', GATEWAY_RATE_LIMIT_PER_MINUTE: '100000000' },
    });
    infra.onStop(() => stack.stop());
    const user = await seedUser({ databaseUrl, simUrl: stack.simUrl, encryptionKeys: SIM_ONLY_ENCRYPTION_KEYS });
    const barePort = await findFreePort();
    const bare = await spawnService({
      name: 'bare',
      script: path.join(repoRoot(), 'dist/bench/bare-accept-server.js'),
      env: { DATABASE_URL: databaseUrl, NATS_URL: nats.url, BUS_NAMESPACE: 'bench', BARE_PORT: String(barePort) },
      healthUrl: `http://127.0.0.1:${barePort}/health`,
    });
    infra.onStop(() => bare.stop());
    const bareUrl = `http://127.0.0.1:${barePort}`;

    await load(bareUrl, user.token, user.indexId, connections, 2); // warm-up both
    await load(stack.gatewayUrl, user.token, user.indexId, connections, 2);
    const baseline = await load(bareUrl, user.token, user.indexId, connections, seconds);
    const gateway = await load(stack.gatewayUrl, user.token, user.indexId, connections, seconds);

    const say = (s: string) => process.stdout.write(`${s}\n`);
    say(
      `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, node ${process.version}; ${connections} connections, ${seconds} s each`,
    );
    say(
      `${'route'.padEnd(34)} ${'accepted/s'.padStart(11)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'non-202'.padStart(8)} ${'vs bare'.padStart(8)}`,
    );
    for (const [name, m] of [
      ['bare Fastify route (baseline)', baseline],
      ['gateway POST /api/positions', gateway],
    ] as const) {
      say(
        `${name.padEnd(34)} ${m.rps.toFixed(0).padStart(11)} ${String(m.p50).padStart(8)} ${String(m.p99).padStart(8)} ${String(m.non202).padStart(8)} ${(m.rps / baseline.rps).toFixed(2).padStart(7)}×`,
      );
    }
    say(`target ≥ 0.70× the bare route's throughput: ${gateway.rps / baseline.rps >= 0.7 ? 'met' : 'NOT met'}`);
  } finally {
    await infra.stop();
  }
}

runBenchmark(main);
