/**
 * Benchmark 2 (and 5) — command to ACTIVE: five-leg baskets per second from the gateway to ACTIVE,
 * simulator at zero added latency, with one and with two executor replicas, beside the floor
 * measured in the same run: a plain JetStream consumer doing the same database writes and the
 * same exchange calls with no framework around them (bench/floor-executor.ts). Reports the time
 * per stage (queue wait, each leg = order + verification, commit) from the database's own
 * timestamps, and the peak RSS of each service while it ran. Target: ≤ 1.25× the floor's time
 * per basket.
 *
 *   npm run build && node dist/bench/command-to-active.js [--baskets 60] [--users 10]
 *
 * The per-IP exchange rate limiter is lifted (at 300 requests / 5 s it, not the code, would be
 * measured); every configuration uses EXECUTOR_CONCURRENCY 4.
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { Pool } from 'pg';
import { GatewayClient, LocalNats, repoRoot, seedUser, spawnService, startLegworkStack, ServiceProcess } from '@legwork/devstack';
import { runBenchmark, startBenchInfra } from './bench-infra';
import { connectBus, ensureCommandConsumer, ensureStreams } from '@legwork/messaging';
import { SIM_ONLY_ENCRYPTION_KEYS } from '@legwork/observability';

const say = (s: string) => process.stdout.write(`${s}\n`);

function rssMb(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)]).toString().trim()) / 1024;
  } catch {
    return 0; // the process is gone: nothing to sample
  }
}

async function main(): Promise<void> {
  const opts = new Command().option('--baskets <n>', 'baskets per configuration', '60').option('--users <n>', 'users (accounts) submitting them', '10').parse().opts<{ baskets: string; users: string }>();
  const baskets = Number(opts.baskets);
  const users = Number(opts.users);
  const infra = await startBenchInfra({ nats: true });
  const { databaseUrl } = infra;
  const nats = infra.nats as LocalNats;
  try {
    const db = new Pool({ connectionString: databaseUrl, max: 2 });
    infra.onStop(() => db.end());
    const env = { LOG_LEVEL: 'warn', GATEWAY_RATE_LIMIT_PER_MINUTE: '100000000', EXCHANGE_IP_REQUESTS_PER_5S: '1000000000', EXECUTOR_CONCURRENCY: '4', BYBIT_SIM_PRICE_TICK_MS: '0' };
    const sim = await startLegworkStack({ databaseUrl, natsUrl: nats.url, namespace: 'sim', services: ['bybit-sim'], env });
    infra.onStop(() => sim.stop());

    const run = async (label: string, namespace: string, start: (common: { stackEnv: Record<string, string> }) => Promise<ServiceProcess[]>) => {
      const stack = await startLegworkStack({ databaseUrl, natsUrl: nats.url, namespace, services: ['gateway'], simUrl: sim.simUrl, env });
      const bus = await connectBus(nats.url, namespace, 'bench');
      await ensureStreams(bus.jsm, bus.names);
      await ensureCommandConsumer(bus.jsm, bus.names, { ackWaitMs: 30_000, maxDeliver: 9 });
      await bus.close();
      const workers = await start({ stackEnv: { ...env, DATABASE_URL: databaseUrl, NATS_URL: nats.url, BUS_NAMESPACE: namespace, BYBIT_ENV: 'sim', BYBIT_SIM_URL: sim.simUrl } });
      const seeded = await Promise.all(Array.from({ length: users }, () => seedUser({ databaseUrl, simUrl: sim.simUrl, encryptionKeys: SIM_ONLY_ENCRYPTION_KEYS, balanceUsdt: '1000000' })));
      const peak = new Map<string, number>();
      const sampler = setInterval(() => {
        for (const [name, p] of [['gateway', stack.services.gateway] as const, ...workers.map((w) => [w.name, w] as const)]) peak.set(name, Math.max(peak.get(name) ?? 0, rssMb(p?.pid)));
      }, 200);
      const started = Date.now();
      const ids = await Promise.all(
        Array.from({ length: baskets }, async (_, i) => {
          const user = seeded[i % users] as (typeof seeded)[number];
          const res = await new GatewayClient(stack.gatewayUrl, user.token).openPosition({ indexId: user.indexId, notionalUsdt: '1000', direction: 'long' });
          if (res.status !== 202) throw new Error(`${label}: accept answered ${res.status}`);
          return String(res.body['positionId']);
        }),
      );
      for (;;) {
        const { rows } = await db.query(`SELECT count(*)::int AS done, count(*) FILTER (WHERE status = 'FAILED')::int AS failed FROM synthetic_positions WHERE id = ANY($1) AND status IN ('ACTIVE', 'FAILED')`, [ids]);
        if (rows[0].failed > 0) throw new Error(`${label}: ${rows[0].failed} baskets FAILED`);
        if (rows[0].done === ids.length) break;
        if (Date.now() - started > 600_000) throw new Error(`${label}: not all ACTIVE after 10 minutes`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const seconds = (Date.now() - started) / 1000;
      clearInterval(sampler);
      const stages = (
        await db.query(
          `WITH p AS (SELECT id, created_at FROM synthetic_positions WHERE id = ANY($1)),
                h AS (SELECT position_id, max(changed_at) FILTER (WHERE to_status = 'EXECUTING') AS executing, max(changed_at) FILTER (WHERE to_status = 'ACTIVE') AS active FROM position_status_changes WHERE position_id = ANY($1) GROUP BY position_id),
                o AS (SELECT position_id, avg(extract(epoch FROM settled_at - submitted_at)) AS leg, max(settled_at) AS last_leg FROM orders WHERE position_id = ANY($1) GROUP BY position_id)
           SELECT avg(extract(epoch FROM h.executing - p.created_at)) AS queue, avg(o.leg) AS leg, avg(extract(epoch FROM h.active - o.last_leg)) AS commit,
                  avg(extract(epoch FROM h.active - p.created_at)) AS total,
                  percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM h.active - p.created_at)) AS p50,
                  percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM h.active - p.created_at)) AS p99,
                  avg(extract(epoch FROM h.active - h.executing)) AS executing
           FROM p JOIN h ON h.position_id = p.id JOIN o ON o.position_id = p.id`,
          [ids],
        )
      ).rows[0] as Record<string, string>;
      for (const w of workers) await w.stop();
      await stack.stop();
      return { label, seconds, rate: baskets / seconds, stages, peak };
    };

    const executor = (n: number) => async ({ stackEnv }: { stackEnv: Record<string, string> }) =>
      Promise.all(
        Array.from({ length: n }, async (_, i) => {
          const port = 3900 + Math.floor(Math.random() * 1000) + i;
          return spawnService({ name: `executor-${i + 1}`, script: path.join(repoRoot(), 'dist/apps/executor/src/main.js'), env: { ...stackEnv, EXECUTOR_HTTP_PORT: String(port) }, healthUrl: `http://127.0.0.1:${port}/health` });
        }),
      );
    const floorRun = await run('floor: plain JetStream consumer', 'floor', async ({ stackEnv }) => [
      await spawnService({ name: 'floor', script: path.join(repoRoot(), 'dist/bench/floor-executor.js'), env: { ...stackEnv, CONCURRENCY: '4' } }),
    ]);
    const one = await run('Legwork, 1 executor', 'one', executor(1));
    const two = await run('Legwork, 2 executors', 'two', executor(2));

    const perBasket = (r: typeof one) => Number(r.stages['executing']);
    say(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, node ${process.version}; ${baskets} five-leg baskets from ${users} accounts, concurrency 4 per executor`);
    say(`${'configuration'.padEnd(34)} ${'baskets/s'.padStart(9)} ${'queue s'.padStart(8)} ${'leg s'.padStart(7)} ${'commit s'.padStart(9)} ${'exec s/basket'.padStart(14)} ${'p50 s'.padStart(7)} ${'p99 s'.padStart(7)} ${'vs floor'.padStart(9)}`);
    for (const r of [floorRun, one, two]) {
      const s = r.stages;
      say(
        `${r.label.padEnd(34)} ${r.rate.toFixed(2).padStart(9)} ${Number(s['queue']).toFixed(2).padStart(8)} ${Number(s['leg']).toFixed(3).padStart(7)} ${Number(s['commit']).toFixed(3).padStart(9)} ${perBasket(r).toFixed(2).padStart(14)} ${Number(s['p50']).toFixed(2).padStart(7)} ${Number(s['p99']).toFixed(2).padStart(7)} ${(perBasket(r) / perBasket(floorRun)).toFixed(2).padStart(8)}×`,
      );
    }
    say(`peak RSS MB: ${[one, two].flatMap((r) => [...r.peak].map(([name, mb]) => `${r.label.replace('Legwork, ', '')} ${name} ${mb.toFixed(0)}`)).join('; ')}; floor ${[...floorRun.peak].map(([n, mb]) => `${n} ${mb.toFixed(0)}`).join(', ')}`);
    say(`target ≤ 1.25× the floor's executing time per basket (1 executor): ${perBasket(one) / perBasket(floorRun) <= 1.25 ? 'met' : 'NOT met'}`);
  } finally {
    await infra.stop();
  }
}

runBenchmark(main);
