/**
 * Benchmarks 2, 3 and 5 — command to ACTIVE: five-leg baskets per second from the front door to
 * ACTIVE, simulator at zero added latency, measured in one run for
 *  - the floor: the gateway, then a plain JetStream consumer doing the same database writes and
 *    exchange calls as the executor with no framework around them (bench/floor-executor.ts);
 *  - Legwork: the gateway, its outbox, JetStream and 1 or 2 executor replicas;
 *  - BullMQ over Redis (REDIS_URL, default the machine's 127.0.0.1:6379), the alternative a Node
 *    team would pick: a bare accept route that writes the same `PENDING` position and then
 *    `queue.add`s the command (bench/bullmq-accept-server.ts), and 1 or 2 BullMQ workers doing
 *    the floor's work (bench/bullmq-executor.ts, bench/basket-work.ts).
 * Reports the time per stage from the database's own timestamps — queue (accepted → EXECUTING),
 * plan (→ first leg submitted), leg (order + verification, mean of one), gaps (between legs:
 * waits for the account's symbol lock, ledger re-reads), commit (last leg → ACTIVE) — the slow
 * legs, the peak RSS of each process while it ran, and the CPU per basket of each process and of
 * what the configuration made the shared servers do (the bus, PostgreSQL, the simulator; from
 * /proc), with their sum: on a small machine throughput follows that sum. Target for Legwork:
 * ≤ 1.25× the floor's executing time per basket.
 *
 *   npm run build && node dist/bench/command-to-active.js [--baskets 60] [--users 10] [--rounds 2]
 *
 * Fairness: every configuration runs at concurrency 4 per worker process, with Legwork's retry
 * settings (RETRY_DELAYS_MS, the executor's default, passed to the executors and translated for
 * BullMQ), the per-IP exchange rate limiter lifted (at 300 requests / 5 s it, not the code, would
 * be measured). Each round runs every configuration once, odd rounds in the reverse order, so
 * drift over the run (caches warming, a neighbour's load) does not favour the one that runs
 * first; a configuration's figures pool all its rounds. Clocks start before the first request
 * of a round, so each configuration's accept path is inside its figure. Each run's BullMQ
 * queues live under a Redis key prefix of their own, obliterated at the end.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { Command } from 'commander';
import { Pool } from 'pg';
import {
  findFreePort,
  GatewayClient,
  LocalNats,
  repoRoot,
  seedUser,
  spawnService,
  startLegworkStack,
  ServiceProcess,
} from '@legwork/devstack';
import { processTreeCpuMs, runBenchmark, startBenchInfra } from './bench-infra';
import { bullmqEnv, BullmqSettings, redisConnection } from './bullmq-queue';
import { connectBus, ensureCommandConsumer, ensureStreams } from '@legwork/messaging';
import { SIM_ONLY_ENCRYPTION_KEYS } from '@legwork/observability';

const say = (s: string) => process.stdout.write(`${s}\n`);
const CONCURRENCY = 4;
/** The executor's default schedule (apps/executor/src/config.ts), given explicitly to every configuration. */
const RETRY_DELAYS_MS = [60_000, 300_000, 900_000];
const CRASH_REDELIVERIES = 5;
const ACK_WAIT_MS = 30_000;

function rssMb(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    return (
      Number(
        execFileSync('ps', ['-o', 'rss=', '-p', String(pid)])
          .toString()
          .trim(),
      ) / 1024
    );
  } catch {
    return 0; // the process is gone: nothing to sample
  }
}

/** What a configuration puts in front of its workers: where requests go, and how it is stopped. */
interface Front {
  url: string;
  process: ServiceProcess | undefined;
  name: string;
  /** Environment the workers need to reach what the front feeds. */
  workerEnv: Record<string, string>;
  stop(): Promise<void>;
}

interface Configuration {
  label: string;
  /** `[a-z0-9]`: the bus namespace and queue name of each of its rounds. */
  key: string;
  front: 'gateway' | 'bullmq';
  workers: (env: Record<string, string>) => Promise<ServiceProcess[]>;
}

interface Measured {
  ids: string[];
  seconds: number[];
  peak: Map<string, number>;
  /** CPU seconds (user + system) each process, and each shared server on its behalf, spent while the baskets ran, summed over rounds. */
  cpu: Map<string, number>;
  output: string[];
}

async function main(): Promise<void> {
  const opts = new Command()
    .option('--baskets <n>', 'baskets per configuration and round', '60')
    .option('--users <n>', 'users (accounts) submitting them', '10')
    .option('--rounds <n>', 'rounds (every configuration once a round, odd rounds reversed)', '2')
    .option('--redis <url>', 'Redis for the BullMQ configurations', process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379')
    .option('--only <keys>', 'run only these configurations (comma-separated: floor,one,two,bullone,bulltwo), for profiling')
    .parse()
    .opts<{ baskets: string; users: string; rounds: string; redis: string; only?: string }>();
  const baskets = Number(opts.baskets);
  const users = Number(opts.users);
  const rounds = Number(opts.rounds);
  const infra = await startBenchInfra({ nats: true });
  const { databaseUrl } = infra;
  const nats = infra.nats as LocalNats;
  const runId = randomBytes(4).toString('hex');
  const bullmqPrefix = `lwbench-${runId}`;
  const queues: Queue[] = [];
  try {
    const db = new Pool({ connectionString: databaseUrl, max: 2 });
    infra.onStop(() => db.end());
    infra.onStop(() => dropQueues(queues, bullmqPrefix));
    const env = {
      LOG_LEVEL: 'warn',
      GATEWAY_RATE_LIMIT_PER_MINUTE: '100000000',
      EXCHANGE_IP_REQUESTS_PER_5S: '1000000000',
      EXECUTOR_CONCURRENCY: String(CONCURRENCY),
      RETRY_DELAYS_MS: RETRY_DELAYS_MS.join(','),
      CRASH_REDELIVERIES: String(CRASH_REDELIVERIES),
      ACK_WAIT_MS: String(ACK_WAIT_MS),
      BYBIT_SIM_PRICE_TICK_MS: '0',
    };
    const sim = await startLegworkStack({ databaseUrl, natsUrl: nats.url, namespace: 'sim', services: ['bybit-sim'], env });
    infra.onStop(() => sim.stop());
    const simPid = sim.services['bybit-sim']?.pid;
    const redisPid = localRedisPid(opts.redis);
    const common = {
      ...env,
      DATABASE_URL: databaseUrl,
      NATS_URL: nats.url,
      BYBIT_ENV: 'sim',
      BYBIT_SIM_URL: sim.simUrl,
      CONCURRENCY: String(CONCURRENCY),
    };

    const startFront = async (config: Configuration, namespace: string): Promise<Front> => {
      if (config.front === 'gateway') {
        const stack = await startLegworkStack({
          databaseUrl,
          natsUrl: nats.url,
          namespace,
          services: ['gateway'],
          simUrl: sim.simUrl,
          env,
        });
        const bus = await connectBus(nats.url, namespace, 'bench');
        await ensureStreams(bus.jsm, bus.names);
        await ensureCommandConsumer(bus.jsm, bus.names, {
          ackWaitMs: ACK_WAIT_MS,
          maxDeliver: RETRY_DELAYS_MS.length + 1 + CRASH_REDELIVERIES,
        });
        await bus.close();
        return {
          url: stack.gatewayUrl,
          process: stack.services.gateway,
          name: 'gateway',
          workerEnv: { BUS_NAMESPACE: namespace },
          stop: () => stack.stop(),
        };
      }
      const settings: BullmqSettings = {
        connection: redisConnection(opts.redis),
        prefix: bullmqPrefix,
        queueName: namespace,
        retryDelaysMs: RETRY_DELAYS_MS,
        crashRedeliveries: CRASH_REDELIVERIES,
      };
      const queue = new Queue(settings.queueName, { connection: settings.connection, prefix: settings.prefix });
      queues.push(queue);
      const workerEnv = bullmqEnv({ ...settings, redisUrl: opts.redis });
      const port = await findFreePort();
      const accept = await spawnService({
        name: 'accept',
        script: path.join(repoRoot(), 'dist/bench/bullmq-accept-server.js'),
        env: { ...common, ...workerEnv, ACCEPT_PORT: String(port) },
        healthUrl: `http://127.0.0.1:${port}/health`,
      });
      return {
        url: `http://127.0.0.1:${port}`,
        process: accept,
        name: 'accept',
        workerEnv,
        stop: async () => {
          await accept.stop();
          await queue.obliterate({ force: true });
        },
      };
    };

    const run = async (config: Configuration, round: number, into: Measured) => {
      const namespace = `${config.key}${round}`;
      const front = await startFront(config, namespace);
      const workers = await config.workers({ ...common, ...front.workerEnv });
      const seeded = await Promise.all(
        Array.from({ length: users }, () =>
          seedUser({ databaseUrl, simUrl: sim.simUrl, encryptionKeys: SIM_ONLY_ENCRYPTION_KEYS, balanceUsdt: '1000000' }),
        ),
      );
      const processes = [[front.name, front.process] as const, ...workers.map((w) => [w.name, w] as const)];
      const sampler = setInterval(() => {
        for (const [name, p] of processes) into.peak.set(name, Math.max(into.peak.get(name) ?? 0, rssMb(p?.pid)));
      }, 200);
      // CPU of the configuration's own processes and of what it makes the shared servers do: the
      // bus (nats-server or redis-server), PostgreSQL (all its backends) and the simulator.
      const measuredPids: [string, number | undefined][] = [
        ...processes.map(([name, p]) => [name, p?.pid] as [string, number | undefined]),
        [config.front === 'gateway' ? 'nats' : 'redis', config.front === 'gateway' ? nats.pid : redisPid],
        ['postgres', infra.postgresPid],
        ['simulator', simPid],
      ];
      const cpuMsNow = () => measuredPids.map(([, pid]) => (pid ? processTreeCpuMs([pid]) : null));
      const cpuBefore = cpuMsNow();
      const started = Date.now();
      const ids = await Promise.all(
        Array.from({ length: baskets }, async (_, i) => {
          const user = seeded[i % users] as (typeof seeded)[number];
          const res = await new GatewayClient(front.url, user.token).openPosition({
            indexId: user.indexId,
            notionalUsdt: '1000',
            direction: 'long',
          });
          if (res.status !== 202) throw new Error(`${config.label}: accept answered ${res.status}`);
          return String(res.body['positionId']);
        }),
      );
      for (;;) {
        const { rows } = await db.query(
          `SELECT count(*)::int AS done, count(*) FILTER (WHERE status = 'FAILED')::int AS failed FROM synthetic_positions WHERE id = ANY($1) AND status IN ('ACTIVE', 'FAILED')`,
          [ids],
        );
        if (rows[0].failed > 0) throw new Error(`${config.label}: ${rows[0].failed} baskets FAILED`);
        if (rows[0].done === ids.length) break;
        if (Date.now() - started > 600_000) throw new Error(`${config.label}: not all ACTIVE after 10 minutes`);
        await new Promise((r) => setTimeout(r, 100));
      }
      into.seconds.push((Date.now() - started) / 1000);
      cpuMsNow().forEach((after, i) => {
        const [name] = measuredPids[i] as [string, number | undefined];
        const before = cpuBefore[i];
        if (before != null && after != null) into.cpu.set(name, (into.cpu.get(name) ?? 0) + (after - before) / 1000);
      });
      into.ids.push(...ids);
      clearInterval(sampler);
      for (const w of workers) {
        await w.stop();
        const said = w
          .output()
          .replace(/^ready$/m, '')
          .trim();
        if (said) into.output.push(`${w.name} (round ${round + 1}): ${said.split('\n').slice(-5).join(' | ')}`);
      }
      await front.stop();
    };

    // Ready means consuming: the executor's health endpoint answers once its consumer runs, the
    // plain workers print `ready`; the clock starts after that, so start-up is not queue time.
    const executors = (n: number, name: string, script: string, health: boolean) => async (stackEnv: Record<string, string>) =>
      Promise.all(
        Array.from({ length: n }, async (_, i) => {
          const port = await findFreePort();
          const worker = await spawnService({
            name: `${name}-${i + 1}`,
            script: path.join(repoRoot(), script),
            env: { ...stackEnv, EXECUTOR_HTTP_PORT: String(port) },
            // BENCH_CPU_PROF_DIR=<dir>: each worker writes a V8 CPU profile there when it stops.
            ...(process.env['BENCH_CPU_PROF_DIR']
              ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_CPU_PROF_DIR']}`] }
              : {}),
            healthUrl: health ? `http://127.0.0.1:${port}/health` : undefined,
          });
          if (!health) await waitForReadyLine(worker);
          return worker;
        }),
      );
    const all: Configuration[] = [
      {
        label: 'floor: plain JetStream consumer',
        key: 'floor',
        front: 'gateway',
        workers: executors(1, 'floor', 'dist/bench/floor-executor.js', false),
      },
      {
        label: 'Legwork, 1 executor',
        key: 'one',
        front: 'gateway',
        workers: executors(1, 'executor', 'dist/apps/executor/src/main.js', true),
      },
      {
        label: 'Legwork, 2 executors',
        key: 'two',
        front: 'gateway',
        workers: executors(2, 'executor', 'dist/apps/executor/src/main.js', true),
      },
      {
        label: 'BullMQ, 1 worker',
        key: 'bullone',
        front: 'bullmq',
        workers: executors(1, 'bullmq', 'dist/bench/bullmq-executor.js', false),
      },
      {
        label: 'BullMQ, 2 workers',
        key: 'bulltwo',
        front: 'bullmq',
        workers: executors(2, 'bullmq', 'dist/bench/bullmq-executor.js', false),
      },
    ];
    const only = opts.only?.split(',');
    const configurations = all.filter((c) => !only || only.includes(c.key));
    if (configurations.length === 0) throw new Error(`--only ${opts.only}: no such configuration`);
    const measured = new Map(
      configurations.map((c) => [c, { ids: [], seconds: [], peak: new Map(), cpu: new Map(), output: [] } as Measured]),
    );
    for (let round = 0; round < rounds; round++) {
      for (const config of round % 2 === 0 ? configurations : [...configurations].reverse()) {
        await run(config, round, measured.get(config) as Measured);
        process.stderr.write(
          `round ${round + 1}: ${config.label} ${(baskets / (measured.get(config)?.seconds.at(-1) ?? 1)).toFixed(2)} baskets/s\n`,
        );
      }
    }

    const results = [];
    for (const config of configurations) {
      const m = measured.get(config) as Measured;
      const stages = (await db.query(STAGES_SQL, [m.ids])).rows[0] as Record<string, string>;
      const slow = (await db.query(SLOW_LEGS_SQL, [m.ids])).rows[0] as Record<string, number>;
      const seconds = m.seconds.reduce((a, b) => a + b, 0);
      results.push({ config, m, stages, slow, rate: m.ids.length / seconds });
    }
    const floor = (results.find((r) => r.config.key === 'floor') ?? results[0]) as (typeof results)[number]; // without the floor (--only), ratios are to the first
    const perBasket = (r: typeof floor) => Number(r.stages['executing']);
    say(
      `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, node ${process.version}; ${baskets} five-leg baskets from ${users} accounts per configuration and round, ${rounds} round(s), concurrency ${CONCURRENCY} per worker process`,
    );
    say(
      `${'configuration'.padEnd(34)} ${'baskets/s'.padStart(9)} ${'queue s'.padStart(8)} ${'plan s'.padStart(7)} ${'leg s'.padStart(7)} ${'gaps s'.padStart(7)} ${'commit s'.padStart(9)} ${'exec s/basket'.padStart(14)} ${'p50 s'.padStart(7)} ${'p99 s'.padStart(7)} ${'vs floor'.padStart(9)}`,
    );
    for (const r of results) {
      const s = r.stages;
      say(
        `${r.config.label.padEnd(34)} ${r.rate.toFixed(2).padStart(9)} ${Number(s['queue']).toFixed(2).padStart(8)} ${Number(s['plan']).toFixed(3).padStart(7)} ${Number(s['leg']).toFixed(3).padStart(7)} ${Number(s['gaps']).toFixed(3).padStart(7)} ${Number(s['commit']).toFixed(3).padStart(9)} ${perBasket(r).toFixed(2).padStart(14)} ${Number(s['p50']).toFixed(2).padStart(7)} ${Number(s['p99']).toFixed(2).padStart(7)} ${(perBasket(r) / perBasket(floor)).toFixed(2).padStart(8)}×`,
      );
    }
    say(
      `baskets/s by round: ${results.map((r) => `${r.config.label.replace(/:.*/, '')} ${r.m.seconds.map((s) => (baskets / s).toFixed(2)).join(' / ')}`).join('; ')}`,
    );
    say(
      `legs over ${SLOW_LEG_S} s (of which overlapping a leg of another basket on the same account and symbol): ${results.map((r) => `${r.config.label.replace(/:.*/, '')} ${r.slow['slow']}/${r.slow['legs']} (${r.slow['slowOverlapping']})`).join('; ')}; overlapping legs in all: ${results.map((r) => r.slow['overlapping']).join(' / ')}`,
    );
    const cpuMs = (r: typeof floor, seconds: number) => ((seconds * 1000) / r.m.ids.length).toFixed(0);
    say(
      `CPU ms per basket: ${results
        .map(
          (r) =>
            `${r.config.label.replace(/:.*/, '')}: ${[...r.m.cpu].map(([n, s]) => `${n} ${cpuMs(r, s)}`).join(', ')}, all ${cpuMs(
              r,
              [...r.m.cpu.values()].reduce((a, b) => a + b, 0),
            )}`,
        )
        .join('; ')}`,
    );
    say(
      `peak RSS MB: ${results.map((r) => `${r.config.label.replace(/:.*/, '')}: ${[...r.m.peak].map(([n, mb]) => `${n} ${mb.toFixed(0)}`).join(', ')}`).join('; ')}`,
    );
    for (const line of results.flatMap((r) => r.m.output.map((o) => `${r.config.label.replace(/:.*/, '')} ${o}`)))
      say(`worker output: ${line}`);
    const one = results.find((r) => r.config.key === 'one');
    if (one && floor.config.key === 'floor')
      say(
        `target ≤ 1.25× the floor's executing time per basket (Legwork, 1 executor): ${perBasket(one) / perBasket(floor) <= 1.25 ? 'met' : 'NOT met'}`,
      );
  } finally {
    await infra.stop();
  }
}

/** Per-stage means and end-to-end percentiles over the given positions, from the database's own timestamps. */
const STAGES_SQL = `WITH p AS (SELECT id, created_at FROM synthetic_positions WHERE id = ANY($1)),
      h AS (SELECT position_id, max(changed_at) FILTER (WHERE to_status = 'EXECUTING') AS executing, max(changed_at) FILTER (WHERE to_status = 'ACTIVE') AS active FROM position_status_changes WHERE position_id = ANY($1) GROUP BY position_id),
      o AS (SELECT position_id, avg(extract(epoch FROM settled_at - submitted_at)) AS leg, sum(extract(epoch FROM settled_at - submitted_at)) AS legs_total, min(submitted_at) AS first_leg, max(settled_at) AS last_leg FROM orders WHERE position_id = ANY($1) GROUP BY position_id)
 SELECT avg(extract(epoch FROM h.executing - p.created_at)) AS queue, avg(o.leg) AS leg, avg(extract(epoch FROM h.active - o.last_leg)) AS commit,
        avg(extract(epoch FROM o.first_leg - h.executing)) AS plan,
        avg(extract(epoch FROM o.last_leg - o.first_leg) - o.legs_total) AS gaps,
        avg(extract(epoch FROM h.active - p.created_at)) AS total,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM h.active - p.created_at)) AS p50,
        percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM h.active - p.created_at)) AS p99,
        avg(extract(epoch FROM h.active - h.executing)) AS executing
 FROM p JOIN h ON h.position_id = p.id JOIN o ON o.position_id = p.id`;

/**
 * A leg's fill is confirmed only when the account's position on the symbol moved by exactly the
 * fill (lib/exchange fill-verifier); a concurrent basket's fill on the same account and symbol
 * breaks that until the verification timeout (10 s), which is why legs of one account in one
 * symbol take an advisory lock (executor and bench/basket-work.ts alike). Counts the legs that
 * took over SLOW_LEG_S and those of them that overlapped such a leg: with the lock both stay 0,
 * without it they were where a configuration's tail went.
 */
const SLOW_LEG_S = 5;
const SLOW_LEGS_SQL = `WITH l AS (SELECT position_id, account_id, symbol, submitted_at, settled_at, settled_at - submitted_at > interval '${SLOW_LEG_S} seconds' AS slow,
           EXISTS (SELECT 1 FROM orders x WHERE x.position_id = ANY($1) AND x.account_id = o.account_id AND x.symbol = o.symbol AND x.position_id <> o.position_id AND x.submitted_at < o.settled_at AND x.settled_at > o.submitted_at) AS overlapping
         FROM orders o WHERE position_id = ANY($1))
 SELECT count(*)::int AS legs, count(*) FILTER (WHERE slow)::int AS slow, count(*) FILTER (WHERE slow AND overlapping)::int AS "slowOverlapping", count(*) FILTER (WHERE overlapping)::int AS overlapping FROM l`;

/** The pid of the redis-server behind `url` when it runs on this machine (loopback), for its CPU; undefined otherwise. */
function localRedisPid(url: string): number | undefined {
  if (!/\/\/(127\.0\.0\.1|localhost)[:/]/.test(url)) return undefined;
  try {
    return Number(execFileSync('pgrep', ['-o', '-x', 'redis-server']).toString().trim()) || undefined;
  } catch {
    return undefined; // not found: its CPU is not reported
  }
}

/** Resolves once `worker` has printed its `ready` line. @throws Error if it exits first or takes over 30 s */
async function waitForReadyLine(worker: ServiceProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!/^ready$/m.test(worker.output())) {
    if (!worker.running || Date.now() > deadline) throw new Error(`${worker.name} not ready: ${worker.output().slice(-500)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Obliterates and closes every queue of the run, then removes (and reports) any key left under its prefix. */
async function dropQueues(queues: Queue[], prefix: string): Promise<void> {
  let left = 0;
  for (const queue of queues) {
    await queue.obliterate({ force: true });
    const client = await queue.client;
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, { MATCH: `${prefix}:*`, COUNT: 1000 });
      if (keys.length > 0) {
        left += keys.length;
        await client.del(...keys);
      }
      cursor = next;
    } while (cursor !== '0');
    await queue.close();
  }
  if (left > 0) process.stderr.write(`redis: ${left} key(s) under ${prefix}: were left after obliterate; removed\n`);
}

runBenchmark(main);
