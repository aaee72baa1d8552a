// One soak with faults, start to verdict: its own NATS and PostgreSQL (so they can be restarted
// without touching anything else), the five services, seeded traders and faults for the set
// duration, then faults cleared, the system left to settle, the evidence collected and judged.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { createDataSource, runMigrations } from '@legwork/persistence';
import { ensureDatabase } from '../databases';
import { eventually, EventuallyTimeoutError } from '../eventually';
import { GatewayClient } from '../gateway-client';
import { delay, isRoot } from '../internal/run-command';
import { startLegworkStack, type LegworkStack } from '../legwork-stack';
import { startPostgres, type LocalPostgres } from '../postgres';
import { seedUser } from '../seed';
import { SimControl } from '../sim-control';
import { FAST_EXECUTOR_ENV, TEST_ENCRYPTION_KEYS } from '../test-stack';
import { collectEvidence } from './evidence';
import { FaultDriver } from './faults';
import { CounterAccumulator, RequestLogReader } from './observers';
import { countBy, judgeSoak, type SoakVerdict } from './soak-checks';
import { startSoakNats, type SoakNats } from './soak-nats';
import { SoakRandom, type SoakSettings } from './soak-settings';
import { SoakTrader, type SoakAccount } from './trader';

const SOAK_NAMESPACE = 'soak';
const BASKET_SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'XRPUSDT', 'DOGEUSDT', 'LTCUSDT'];

/**
 * Service settings of the soak: production's logic with test-sized clocks. Verification waits
 * longer than the longest injected position lag (10 s); scans run every 5 s; the orphan grace
 * (30 s) covers a leg whose executor was killed (ack wait 5 s, restart, settle).
 */
const SOAK_ENV = {
  ...FAST_EXECUTOR_ENV,
  RETRY_DELAYS_MS: '500,1000,2000,4000',
  VERIFY_TIMEOUT_MS: '15000',
  EXCHANGE_REQUEST_TIMEOUT_MS: '2000',
  RECONCILER_CRON: '*/5 * * * * *',
  ORPHAN_MONITOR_CRON: '*/5 * * * * *',
  SCAN_RETRY_DELAYS_MS: '1000,2000,4000',
  SCAN_ACK_WAIT_MS: '15000',
  ORPHAN_GRACE_MS: '30000',
};

export interface SoakResult {
  verdict: SoakVerdict;
  /** The one-line summary (commands, faults, duplicates, lost, stuck, untracked, …, seed). */
  summary: string;
  /** Where every service's log and the fault log are; its parent is the soak's own temp dir. */
  logDir: string;
}

/** Runs a whole soak. @throws Error when the infrastructure cannot start or settle evidence cannot be read. */
export async function runSoak(settings: SoakSettings, say: (line: string) => void): Promise<SoakResult> {
  const startedAt = Date.now();
  const root = await fs.mkdtemp(path.join(os.tmpdir(), `legwork-chaos-${settings.seed}-`));
  if (isRoot()) await fs.chmod(root, 0o711);
  const logDir = path.join(root, 'logs');
  const random = new SoakRandom(settings.seed);
  const [traderRandom, faultRandom, setupRandom] = [random.fork('trader'), random.fork('faults'), random.fork('setup')];
  let nats: SoakNats | undefined;
  let postgres: LocalPostgres | undefined;
  let stack: LegworkStack | undefined;
  let db: DataSource | undefined;
  try {
    [nats, postgres] = await Promise.all([
      startSoakNats(settings.nats, path.join(root, 'nats'), SOAK_NAMESPACE),
      startPostgres({ dataDir: path.join(root, 'pg'), socketDir: path.join(root, 'sock'), fast: true }),
    ]);
    const databaseUrl = await ensureDatabase(postgres.url, 'legwork_soak');
    await runMigrations(databaseUrl);
    const env = { ...SOAK_ENV, BUS_STREAM_REPLICAS: String(nats.replicas) };
    stack = await startLegworkStack({ databaseUrl, natsUrl: nats.url, namespace: SOAK_NAMESPACE, env, logDir });
    db = await createDataSource(databaseUrl, { poolSize: 3, applicationName: 'legwork-soak' }).initialize();
    const sim = new SimControl(stack.simUrl);
    const accounts = await seedAccounts(settings.accounts, databaseUrl, stack, setupRandom);
    say(
      `[chaos] seed ${settings.seed}: ${accounts.length} accounts, NATS ${settings.nats === 'cluster' ? '3-node cluster, R3 streams' : 'one server'}, ${settings.durationMs / 1000} s of trading and faults; logs in ${logDir}`,
    );

    const executor = stack.services.executor;
    if (!executor) throw new Error('the soak needs the executor');
    const failuresCounter = new CounterAccumulator('execution_failures_total');
    const scrapeExecutor = () => failuresCounter.scrape(executor.pid, `${stack?.urls.executor}/metrics`);
    const requestLog = new RequestLogReader(stack.simUrl);
    const natsTarget = nats.target;
    const faults = new FaultDriver(
      { executor, nats: natsTarget, postgres, sim, beforeExecutorKill: scrapeExecutor },
      faultRandom,
      settings.faultEveryMs,
    );
    const trader = new SoakTrader(accounts, sim, db, traderRandom, settings.seed, settings.actionEveryMs);

    const until = Date.now() + settings.durationMs;
    let watching = true;
    const unplannedExits: string[] = [];
    const watcher = (async () => {
      while (watching) {
        await Promise.all([
          requestLog.poll().catch((error: Error) => say(`[chaos] request log not read: ${error.message}`)),
          scrapeExecutor(),
        ]);
        for (const [name, service] of Object.entries(stack?.services ?? {})) {
          // The fault driver restarts the executor it killed; anything else that exits is a crash.
          if (service.running || (service === executor && faults.restartingExecutor)) continue;
          unplannedExits.push(`${name} at ${new Date().toISOString()}`);
          say(`[chaos] ${name} exited unexpectedly; restarting it (as Kubernetes would)`);
          await service.restart();
        }
        await delay(1_000);
      }
    })();
    await Promise.all([trader.run(until), faults.run(until)]);
    await sim.clearFaults();
    say(`[chaos] trading stopped after ${Math.round((Date.now() - startedAt) / 1000)} s; ${faults.total()} faults injected; settling`);
    const settledAt = Date.now();
    await settle(db, trader.record.manualTrades, Number(SOAK_ENV.ORPHAN_GRACE_MS), settings.settleTimeoutMs);
    watching = false;
    await watcher;
    await Promise.all([requestLog.poll(), scrapeExecutor()]);
    say(`[chaos] settled in ${Math.round((Date.now() - settledAt) / 1000)} s`);

    const evidence = await collectEvidence(db, sim, accounts, {
      trader: trader.record,
      requestLog: requestLog.result(),
      executionFailuresCounted: failuresCounter.total(),
      executorKillsAtMs: faults.executorKillsAtMs,
    });
    const verdict = judgeSoak(evidence);
    if (verdict.violations.length > 0) {
      await fs.writeFile(path.join(logDir, 'evidence.json'), JSON.stringify(evidence, null, 1));
      if (natsTarget.kind === 'cluster') {
        const streams = await natsTarget.cluster.describe().catch((error: Error) => ({ error: error.message }));
        await fs.writeFile(path.join(logDir, 'nats-streams.json'), JSON.stringify(streams, null, 1));
      }
    }
    await fs.writeFile(path.join(logDir, 'faults.log'), `${faults.log.join('\n')}\n`);
    const statuses = [...countBy(evidence.positions, (p) => p.status)].map(([s, n]) => `${s} ${n}`).join(', ');
    const c = verdict.counts;
    const summary =
      `chaos soak: ${Math.round(settings.durationMs / 1000)} s, ${trader.record.acceptedOpens.length + trader.record.acceptedUnwinds.length} commands accepted ` +
      `(${trader.record.acceptedOpens.length} open, ${trader.record.acceptedUnwinds.length} close/rollback; ${statuses}), ${trader.record.manualTrades.length} manual trades, ` +
      `${faults.total()} faults (${[...faults.injected].map(([k, n]) => `${k} ${n}`).join(', ')}; ${evidence.orderRequests.length} order requests), ` +
      `crashes ${unplannedExits.length}, duplicates ${c.duplicates}, lost ${c.lost}, stuck ${c.stuck}, untracked ${c.untracked}, unseen fills ${c.unseenFills}, ` +
      `wrong side ${c.wrongSide}, unreported manual ${c.unreportedManual}, false orphans ${c.falseOrphans}, unalerted failures ${c.unalertedFailures}, ` +
      `uncounted failures ${c.uncountedFailures}, unanswered ${trader.record.unanswered}` +
      (natsTarget.kind === 'cluster' ? `, NATS nodes killed: ${faults.nodeKills.join(', ') || 'none'}` : '') +
      ` — seed ${settings.seed} (replay: CHAOS_SEED=${settings.seed} ${settings.nats === 'cluster' ? 'npx jest soak-cluster --selectProjects chaos' : 'npm run test:chaos'})`;
    if (natsTarget.kind === 'cluster' && faults.nodeKills.length < 2) {
      verdict.violations.push(`the stream leader and a follower were not both killed (only: ${faults.nodeKills.join(', ') || 'none'})`);
    }
    if (unplannedExits.length > 0) verdict.violations.push(`services exited unexpectedly: ${unplannedExits.join('; ')}`);
    if (trader.record.refused.length > 0)
      verdict.violations.push(`refused requests: ${JSON.stringify(trader.record.refused.slice(0, 10))}`);
    return { verdict, summary, logDir };
  } finally {
    await db?.destroy().catch(() => undefined);
    await stack?.stop().catch(() => undefined);
    await Promise.all([nats?.stop(), postgres?.stop()].map((p) => p?.catch(() => undefined)));
    // The logs (and the evidence of a failed soak) stay for the caller; the servers' data goes.
    for (const dir of ['nats', 'pg', 'sock']) await fs.rm(path.join(root, dir), { recursive: true, force: true });
  }
}

/** One user per account, each with a three-leg index of its own and a fixed direction. */
async function seedAccounts(count: number, databaseUrl: string, stack: LegworkStack, random: SoakRandom): Promise<SoakAccount[]> {
  const accounts: SoakAccount[] = [];
  for (let i = 0; i < count; i += 1) {
    const symbols = [...BASKET_SYMBOLS].sort(() => random.unit() - 0.5).slice(0, 3);
    const user = await seedUser({
      databaseUrl,
      simUrl: stack.simUrl,
      encryptionKeys: TEST_ENCRYPTION_KEYS,
      balanceUsdt: '10000000',
      index: { components: symbols.map((symbol) => ({ symbol, weight: '1' })) },
    });
    accounts.push({ ...user, direction: i % 2 === 0 ? 'long' : 'short', client: new GatewayClient(stack.gatewayUrl, user.token) });
  }
  return accounts;
}

/**
 * Waits until every position is settled, every leg order settled, the outbox drained, and the
 * orphan monitor has had two scans of every account after that and after the orphan grace of the
 * last fill (so the last word on orphans is about the final state, every slot judged). @throws EventuallyTimeoutError naming what is still open.
 */
async function settle(
  db: DataSource,
  manual: readonly { accountId: string; symbol: string }[],
  orphanGraceMs: number,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  await eventually(
    async () => {
      const [row] = await db.query(
        `SELECT (SELECT count(*) FROM synthetic_positions WHERE status NOT IN ('ACTIVE', 'CLOSED', 'FAILED', 'ROLLED_BACK'))::int AS working,
                (SELECT count(*) FROM orders WHERE status IN ('SUBMITTED', 'UNCONFIRMED'))::int AS unsettled,
                (SELECT count(*) FROM outbox WHERE published_at IS NULL)::int AS unpublished`,
      );
      return row.working + row.unsettled + row.unpublished === 0 ? true : undefined;
    },
    { what: 'every position, leg and outbox message settled', timeoutMs, intervalMs: 1_000 },
  );
  // The orphan scans skip a slot with a fill of ours younger than the grace: only the windows after
  // the last fill's grace judge every slot, Legwork's own included.
  const judgedFrom = new Date(Date.now() + orphanGraceMs);
  await eventually(
    async () => {
      // Windows in which every account's orphan scan finished.
      const [row] = await db.query(
        `SELECT count(*)::int AS scans FROM (SELECT window_start FROM scan_runs WHERE job = 'orphans' AND status = 'done' AND window_start > $1
           GROUP BY window_start HAVING count(*) = (SELECT count(*) FROM exchange_accounts)) complete`,
        [judgedFrom],
      );
      const reported: { account_id: string; symbol: string }[] = await db.query(
        `SELECT DISTINCT account_id, details->>'symbol' AS symbol FROM alerts WHERE kind = 'orphan.detected'`,
      );
      const allReported = manual.every((m) => reported.some((r) => r.account_id === m.accountId && r.symbol === m.symbol));
      return row.scans >= 2 && allReported ? true : undefined;
    },
    {
      what: 'two orphan scans after settling, and every manual trade reported',
      timeoutMs: Math.max(60_000, deadline - Date.now()),
      intervalMs: 1_000,
    },
  ).catch((error: unknown) => {
    // Not reported in time is a verdict (unreported manual), not a crash of the soak.
    if (!(error instanceof EventuallyTimeoutError)) throw error;
  });
}
