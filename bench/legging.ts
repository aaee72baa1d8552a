/**
 * Benchmark — legging modes (issue 17): five-leg baskets over a simulated network round trip of
 * 20 ms ± 5 ms, with a position visibility lag of 0 s and of 6 s (the seeds' incident), each
 * basket sent `legging: sequential` (the seeds' default, the baseline) or `legging: batch`, both
 * modes in ONE run on one stack (simulator, gateway, one executor). For every (mode, lag) it prints
 *  - the legging window: the last fill's `execTime` minus the first fill's, from Legwork's own
 *    `trades.executed_at` (the exchange's `execTime`, libs/exchange bybit-mapping);
 *  - command → ACTIVE: from the moment the client holds the gateway's 202 to the position's
 *    `ACTIVE` row in `position_status_changes` (same machine, same clock);
 * p50 and p95 (nearest rank), the ratios batch / sequential, and the targets, met or not.
 * A benchmark reports: a missed target is printed, the process still exits 0.
 *
 *   npm run build && node dist/bench/legging.js [--baskets 40] [--lagged-baskets 16] [--in-flight 4] [--stream-fills on|off]
 *
 * `--stream-fills off` runs the executor with REST fill confirmation only (as before issue 18's
 * stream fills), for an A/B on one machine state; the counter `leg_fill_confirmations_total` is
 * printed at the end (where the sequential legs' fills were confirmed).
 *
 * Fairness: within a lag, baskets alternate sequential / batch in one closed loop of `--in-flight`
 * baskets, so both modes see the same load; every basket has an account of its own (a fresh
 * simulator account; the lag is that account's `positionVisibilityLagMs`), so no basket waits
 * for another's symbol locks; the executor's concurrency equals `--in-flight`, so no basket
 * queues; one unmeasured basket per mode warms the executor first. The simulator's latency is
 * global (`BYBIT_SIM_LATENCY_*`): every `/v5` call pays it.
 */
import os from 'node:os';
import { Command } from 'commander';
import { Pool } from 'pg';
import { GatewayClient, LocalNats, seedUser, SimControl, startLegworkStack, type SeededUser } from '@legwork/devstack';
import { SIM_ONLY_ENCRYPTION_KEYS } from '@legwork/observability';
import { runBenchmark, startBenchInfra } from './bench-infra';

const say = (s: string) => process.stdout.write(`${s}\n`);
const ROUND_TRIP_MS = 20;
const JITTER_MS = 5;
const LAGS_S = [0, 6] as const;
const MODES = ['sequential', 'batch'] as const;
type Mode = (typeof MODES)[number];
/** A basket not ACTIVE or FAILED by then is a broken run, not a slow one. */
const BASKET_TIMEOUT_MS = 90_000;

/** One basket as measured: its mode and lag, when the client held the 202, and what the database says. */
interface Basket {
  id: string;
  mode: Mode;
  lagS: number;
  acceptedAtMs: number;
  status: string;
  commandToActiveS: number | null;
  windowMs: number | null;
  filledLegs: number;
  /** Mean of its legs' submitted → settled (order round trip + fill confirmation), seconds. */
  legS: number | null;
}

/** Nearest-rank percentile of `values` (p in 0..100); NaN when empty. */
function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

const MEASURE_SQL = `SELECT p.id, p.status, p.legging,
   (SELECT extract(epoch FROM max(changed_at)) * 1000 FROM position_status_changes s WHERE s.position_id = p.id AND s.to_status = 'ACTIVE') AS active_ms,
   (SELECT extract(epoch FROM max(executed_at) - min(executed_at)) * 1000 FROM trades t WHERE t.position_id = p.id) AS window_ms,
   (SELECT count(DISTINCT order_id)::int FROM trades t WHERE t.position_id = p.id) AS filled_legs,
   (SELECT avg(extract(epoch FROM settled_at - submitted_at)) FROM orders o WHERE o.position_id = p.id) AS leg_s
 FROM synthetic_positions p WHERE p.id = ANY($1)`;

async function main(): Promise<void> {
  const opts = new Command()
    .option('--baskets <n>', 'baskets per mode with no position lag', '40')
    .option('--lagged-baskets <n>', 'baskets per mode with the 6 s position lag', '16')
    .option('--in-flight <n>', 'baskets in flight at once (and the executor concurrency)', '4')
    .option('--stream-fills <on|off>', "sequential legs' fills from the private stream (on, as in the service) or REST only (off)", 'on')
    .parse()
    .opts<{ baskets: string; laggedBaskets: string; inFlight: string; streamFills: string }>();
  if (opts.streamFills !== 'on' && opts.streamFills !== 'off') throw new Error(`--stream-fills: on or off, not ${opts.streamFills}`);
  const perMode = (lagS: number) => Number(lagS === 0 ? opts.baskets : opts.laggedBaskets);
  const inFlight = Number(opts.inFlight);
  const infra = await startBenchInfra({ nats: true });
  const { databaseUrl } = infra;
  const nats = infra.nats as LocalNats;
  const runStarted = Date.now();
  try {
    const db = new Pool({ connectionString: databaseUrl, max: 4 });
    infra.onStop(() => db.end());
    const stack = await startLegworkStack({
      databaseUrl,
      natsUrl: nats.url,
      namespace: 'legging',
      services: ['bybit-sim', 'gateway', 'executor'],
      env: {
        LOG_LEVEL: 'warn',
        GATEWAY_RATE_LIMIT_PER_MINUTE: '100000000',
        EXCHANGE_IP_REQUESTS_PER_5S: '1000000000',
        EXECUTOR_CONCURRENCY: String(inFlight),
        BYBIT_SIM_PRICE_TICK_MS: '0',
        // Fills from the private stream (issue 18), as in the service. Every basket here has a
        // fresh account, so each opens a stream: the connection spacing is raised from the
        // service's 250 per 5 min (the simulator has no connection budget; this run opens ~120
        // streams in ~2 minutes, within Bybit's 500 per 5 minutes per IP).
        EXECUTOR_STREAM_FILLS: String(opts.streamFills === 'on'),
        EXECUTOR_STREAM_CONNECTS_PER_5MIN: '3000',
      },
      serviceEnv: {
        'bybit-sim': { BYBIT_SIM_LATENCY_RTT_MS: String(ROUND_TRIP_MS), BYBIT_SIM_LATENCY_JITTER_MS: String(JITTER_MS) },
      },
    });
    infra.onStop(() => stack.stop());
    const sim = new SimControl(stack.simUrl);

    // Warm-up, not measured: one basket per mode (ccxt's markets, the executor's first connections).
    const warmUsers = await seedUsers(MODES.length, databaseUrl, stack.simUrl, inFlight);
    await Promise.all(MODES.map((mode, i) => runBasket(stack.gatewayUrl, db, warmUsers[i] as SeededUser, mode, 0)));
    const baskets: Basket[] = [];
    for (const lagS of LAGS_S) {
      const count = perMode(lagS) * MODES.length;
      const users = await seedUsers(count, databaseUrl, stack.simUrl, inFlight);
      if (lagS > 0) for (const u of users) await sim.setFaults({ apiKey: u.apiKey, positionVisibilityLagMs: lagS * 1000 });
      const phaseStarted = Date.now();
      let next = 0;
      const worker = async () => {
        for (let i = next++; i < count; i = next++) {
          baskets.push(await runBasket(stack.gatewayUrl, db, users[i] as SeededUser, MODES[i % MODES.length] as Mode, lagS));
        }
      };
      await Promise.all(Array.from({ length: inFlight }, worker));
      process.stderr.write(`lag ${lagS} s: ${count} baskets in ${((Date.now() - phaseStarted) / 1000).toFixed(1)} s\n`);
    }
    await measure(db, baskets);
    say(`stream fills: ${opts.streamFills}`);
    report(baskets, inFlight, (Date.now() - runStarted) / 1000);
    for (const lagS of LAGS_S) say(await sequentialGaps(db, baskets, lagS));
    // Where the sequential legs' fills were confirmed (the executor's counter, warm-up included).
    const metrics = await (await fetch(`${stack.urls.executor}/metrics`)).text();
    for (const line of metrics.split('\n').filter((l) => l.startsWith('leg_fill_confirmations_total'))) say(line);
  } finally {
    await infra.stop();
  }
}

/** Seeds `count` users (one simulator account and one index each), `parallel` at a time. */
async function seedUsers(count: number, databaseUrl: string, simUrl: string, parallel: number): Promise<SeededUser[]> {
  const users: SeededUser[] = [];
  for (let i = 0; i < count; i += parallel) {
    const wave = Math.min(parallel, count - i);
    users.push(
      ...(await Promise.all(
        Array.from({ length: wave }, () =>
          seedUser({ databaseUrl, simUrl, encryptionKeys: SIM_ONLY_ENCRYPTION_KEYS, balanceUsdt: '100000' }),
        ),
      )),
    );
  }
  return users;
}

/**
 * Opens one basket (1,000 USDT long, the user's five-leg index) in `mode` and waits until it is
 * ACTIVE or FAILED.
 * @throws Error when the gateway does not answer 202, or the basket is neither after BASKET_TIMEOUT_MS.
 */
async function runBasket(gatewayUrl: string, db: Pool, user: SeededUser, mode: Mode, lagS: number): Promise<Basket> {
  const res = await new GatewayClient(gatewayUrl, user.token).openPosition({
    indexId: user.indexId,
    notionalUsdt: '1000',
    direction: 'long',
    legging: mode,
  });
  const acceptedAtMs = Date.now();
  if (res.status !== 202) throw new Error(`${mode}: accept answered ${res.status} ${JSON.stringify(res.body)}`);
  const id = String(res.body['positionId']);
  for (;;) {
    const { rows } = await db.query(`SELECT status FROM synthetic_positions WHERE id = $1`, [id]);
    const status = String(rows[0]?.status);
    if (status === 'ACTIVE' || status === 'FAILED')
      return { id, mode, lagS, acceptedAtMs, status, commandToActiveS: null, windowMs: null, filledLegs: 0, legS: null };
    if (Date.now() - acceptedAtMs > BASKET_TIMEOUT_MS) throw new Error(`${mode}, lag ${lagS} s: ${id} still ${status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Fills in each basket's figures from the database.
 * @throws Error when a position's stored `legging` is not the mode it was opened with.
 */
async function measure(db: Pool, baskets: Basket[]): Promise<void> {
  const { rows } = await db.query(MEASURE_SQL, [baskets.map((b) => b.id)]);
  const byId = new Map(rows.map((r) => [String(r.id), r]));
  for (const b of baskets) {
    const row = byId.get(b.id);
    if (!row) throw new Error(`position ${b.id} not in the database`);
    if (row.legging !== b.mode) throw new Error(`position ${b.id}: opened ${b.mode}, stored ${row.legging}`);
    b.commandToActiveS = row.active_ms === null ? null : (Number(row.active_ms) - b.acceptedAtMs) / 1000;
    b.windowMs = row.window_ms === null ? null : Number(row.window_ms);
    b.filledLegs = Number(row.filled_legs);
    b.legS = row.leg_s === null ? null : Number(row.leg_s);
  }
}

/**
 * Where the time between two sequential legs goes (means over every pair of consecutive legs of
 * the ACTIVE `sequential` baskets at `lagS`), in ms: the previous leg's last fill (`execTime`) →
 * its fill recorded (`settled_at`: stream or REST confirmation, then the write), → the next leg
 * marked SUBMITTED (`submitted_at`: the ledger read and lease renewal, then the write), → the next
 * leg's first fill (the create request: client, round trip, matching). The simulator's clock and
 * PostgreSQL's `now()` are this machine's clock.
 */
async function sequentialGaps(db: Pool, baskets: Basket[], lagS: number): Promise<string> {
  const ids = baskets.filter((b) => b.mode === 'sequential' && b.lagS === lagS && b.status === 'ACTIVE').map((b) => b.id);
  const { rows } = await db.query(
    `WITH legs AS (
       SELECT o.position_id, o.leg_index, o.submitted_at, o.settled_at,
              (SELECT min(executed_at) FROM trades t WHERE t.order_id = o.id) AS first_exec,
              (SELECT max(executed_at) FROM trades t WHERE t.order_id = o.id) AS last_exec
       FROM orders o WHERE o.position_id = ANY($1) AND o.purpose = 'open'
     ), pairs AS (
       SELECT l.*, lead(submitted_at) OVER w AS next_submitted, lead(first_exec) OVER w AS next_exec
       FROM legs l WINDOW w AS (PARTITION BY position_id ORDER BY leg_index)
     )
     SELECT count(*)::int AS gaps,
            avg(extract(epoch FROM settled_at - last_exec)) * 1000 AS recorded,
            avg(extract(epoch FROM next_submitted - settled_at)) * 1000 AS submitted,
            avg(extract(epoch FROM next_exec - next_submitted)) * 1000 AS executed
     FROM pairs WHERE next_submitted IS NOT NULL`,
    [ids],
  );
  const r = rows[0] as { gaps: number; recorded: string; submitted: string; executed: string };
  const ms = (v: string) => Number(v).toFixed(1);
  return `sequential gaps, lag ${lagS} s (${r.gaps}, mean ms): fill → recorded ${ms(r.recorded)}, → next leg submitted ${ms(r.submitted)}, → its fill ${ms(r.executed)}`;
}

const num = (values: (number | null)[]) => values.filter((v): v is number => v !== null);

/** Prints the table, the ratios batch / sequential and the targets. */
function report(baskets: Basket[], inFlight: number, runS: number): void {
  say(
    `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, node ${process.version}; five-leg baskets (1,000 USDT), simulated round trip ${ROUND_TRIP_MS} ms ± ${JITTER_MS} ms, ${inFlight} in flight, one account per basket; run ${runS.toFixed(0)} s`,
  );
  say(
    `${'mode'.padEnd(11)} ${'lag s'.padStart(5)} ${'ACTIVE'.padStart(7)} ${'FAILED'.padStart(7)} ${'window p50 ms'.padStart(14)} ${'window p95 ms'.padStart(14)} ${'cmd→ACTIVE p50 s'.padStart(17)} ${'p95 s'.padStart(7)} ${'leg s (mean)'.padStart(13)}`,
  );
  const stats = new Map<string, { windowP50: number; windowP95: number; activeP50: number; activeP95: number }>();
  for (const lagS of LAGS_S)
    for (const mode of MODES) {
      const these = baskets.filter((b) => b.mode === mode && b.lagS === lagS);
      const active = these.filter((b) => b.status === 'ACTIVE');
      const windows = num(active.map((b) => b.windowMs));
      const toActive = num(active.map((b) => b.commandToActiveS));
      const legs = num(active.map((b) => b.legS));
      const s = {
        windowP50: percentile(windows, 50),
        windowP95: percentile(windows, 95),
        activeP50: percentile(toActive, 50),
        activeP95: percentile(toActive, 95),
      };
      stats.set(`${mode}/${lagS}`, s);
      say(
        `${mode.padEnd(11)} ${String(lagS).padStart(5)} ${String(active.length).padStart(7)} ${String(these.length - active.length).padStart(7)} ${s.windowP50.toFixed(0).padStart(14)} ${s.windowP95.toFixed(0).padStart(14)} ${s.activeP50.toFixed(2).padStart(17)} ${s.activeP95.toFixed(2).padStart(7)} ${(legs.reduce((a, v) => a + v, 0) / legs.length).toFixed(3).padStart(13)}`,
      );
      const short = active.filter((b) => b.filledLegs !== 5).length;
      if (short > 0) say(`  ${mode}, lag ${lagS} s: ${short} ACTIVE basket(s) with fewer than 5 legs in trades`);
    }
  const get = (mode: Mode, lagS: number) => stats.get(`${mode}/${lagS}`) as NonNullable<ReturnType<typeof stats.get>>;
  for (const lagS of LAGS_S) {
    const [seq, batch] = [get('sequential', lagS), get('batch', lagS)];
    const r = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
    say(
      `batch / sequential, lag ${lagS} s: legging window p50 ${r(batch.windowP50, seq.windowP50)}, p95 ${r(batch.windowP95, seq.windowP95)}; command → ACTIVE p50 ${r(batch.activeP50, seq.activeP50)}, p95 ${r(batch.activeP95, seq.activeP95)}`,
    );
  }
  // "Fill confirmation" read as one more round trip (the order-status or executions read that confirms the fill).
  const sequentialWindowMs = 5 * (ROUND_TRIP_MS + ROUND_TRIP_MS);
  const lagged = LAGS_S[LAGS_S.length - 1] as number;
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const targets: [string, boolean][] = [
    ...LAGS_S.map((lagS): [string, boolean] => [
      `batch: legging window p95 ≤ 2 round trips (${2 * ROUND_TRIP_MS} ms), lag ${lagS} s: ${get('batch', lagS).windowP95.toFixed(0)} ms`,
      get('batch', lagS).windowP95 <= 2 * ROUND_TRIP_MS,
    ]),
    [
      `batch: command → ACTIVE p95 with a ${lagged} s lag ≤ lag + 1.5 s (${lagged + 1.5} s): ${get('batch', lagged).activeP95.toFixed(2)} s`,
      get('batch', lagged).activeP95 <= lagged + 1.5,
    ],
    ...LAGS_S.map((lagS): [string, boolean] => [
      `sequential: legging window p95 ≤ 5 × (round trip + fill confirmation) (${sequentialWindowMs} ms), lag ${lagS} s: ${get('sequential', lagS).windowP95.toFixed(0)} ms`,
      get('sequential', lagS).windowP95 <= sequentialWindowMs,
    ]),
    [
      `sequential: command → ACTIVE p95 with a ${lagged} s lag ≤ lag + 3 s (${lagged + 3} s): ${get('sequential', lagged).activeP95.toFixed(2)} s`,
      get('sequential', lagged).activeP95 <= lagged + 3,
    ],
  ];
  for (const [text, ok] of targets) say(`target ${text} — ${verdict(ok)}`);
}

runBenchmark(main);
