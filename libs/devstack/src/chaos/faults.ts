// The soak's fault driver: at seeded random moments, one fault at a time — the executor SIGKILLed
// and restarted, NATS restarted with its store kept, PostgreSQL restarted, or an exchange fault
// window on the simulator (5xx bursts, rate limits, timeouts before/after the order is accepted,
// a definitive refusal that halts a basket mid-way, failing position lists, position visibility
// lag up to 10 s). On a NATS cluster, instead of restarting the lone server: the commands
// stream's leader SIGKILLed and restarted at a third of the run, one of its followers at two thirds.
import type { LocalNatsCluster } from '../nats-cluster';
import type { LocalNats } from '../nats-server';
import type { LocalPostgres } from '../postgres';
import type { ServiceProcess } from '../service-process';
import type { SimControl } from '../sim-control';
import type { SoakRandom } from './soak-settings';
import { delay } from '../internal/run-command';

export const FAULT_KINDS = [
  'executor_kill',
  'nats_restart',
  'postgres_restart',
  'exchange_5xx',
  'exchange_rate_limit',
  'exchange_reject',
  'exchange_timeout_before_accept',
  'exchange_timeout_after_accept',
  'exchange_position_list_500',
  'exchange_position_lag',
] as const;
/** Faults only the cluster soak injects, each once, at fixed moments (leader first). */
export const CLUSTER_FAULT_KINDS = ['nats_leader_kill', 'nats_follower_kill'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number] | (typeof CLUSTER_FAULT_KINDS)[number];

/** The bus under test: a lone server (restarted as a random fault) or a cluster (nodes killed on schedule). */
export type NatsTarget =
  | { kind: 'single'; server: LocalNats }
  /** `streams`: every stream to see caught up after a kill, `commandsStream` among them. */
  | { kind: 'cluster'; cluster: LocalNatsCluster; commandsStream: string; streams: readonly string[] };

export interface FaultTargets {
  executor: ServiceProcess;
  nats: NatsTarget;
  postgres: LocalPostgres;
  sim: SimControl;
  /** Called just before the executor is SIGKILLed (the soak scrapes its metrics one last time). */
  beforeExecutorKill(): Promise<void>;
}

/** Injects faults until `until`; records what it did. A fault that fails to inject fails the soak. */
export class FaultDriver {
  readonly injected = new Map<FaultKind, number>();
  readonly executorKillsAtMs: number[] = [];
  readonly log: string[] = [];
  /** Cluster soak: `<kind> <server name>` of each node killed, in order. */
  readonly nodeKills: string[] = [];
  /** True from the executor's SIGKILL until its replacement is healthy. */
  restartingExecutor = false;

  constructor(
    private readonly targets: FaultTargets,
    private readonly random: SoakRandom,
    private readonly faultEveryMs: number,
  ) {}

  async run(until: number): Promise<void> {
    const randomKinds = FAULT_KINDS.filter((kind) => kind !== 'nats_restart' || this.targets.nats.kind === 'single');
    const startedAt = Date.now();
    const scheduled =
      this.targets.nats.kind === 'cluster'
        ? CLUSTER_FAULT_KINDS.map((kind, i) => ({
            kind,
            atMs: startedAt + ((until - startedAt) * (i + 1)) / (CLUSTER_FAULT_KINDS.length + 1),
          }))
        : [];
    for (;;) {
      await delay(this.random.pauseAround(this.faultEveryMs));
      if (Date.now() >= until) return;
      const due = scheduled[0] !== undefined && Date.now() >= scheduled[0].atMs ? scheduled.shift() : undefined;
      const kind: FaultKind = due?.kind ?? this.random.pick(randomKinds);
      this.injected.set(kind, (this.injected.get(kind) ?? 0) + 1);
      this.log.push(`${new Date().toISOString()} ${kind}`);
      await this.inject(kind);
    }
  }

  total(): number {
    return [...this.injected.values()].reduce((a, b) => a + b, 0);
  }

  private async inject(kind: FaultKind): Promise<void> {
    const { executor, nats, postgres, sim } = this.targets;
    if (kind === 'nats_leader_kill' || kind === 'nats_follower_kill') {
      if (nats.kind !== 'cluster') throw new Error(`${kind} needs a NATS cluster`);
      return this.killNode(nats, kind);
    }
    switch (kind) {
      case 'executor_kill':
        await this.targets.beforeExecutorKill();
        this.restartingExecutor = true;
        try {
          this.executorKillsAtMs.push(Date.now());
          executor.kill('SIGKILL');
          await executor.waitForExit();
          await delay(this.random.int(0, 2_000));
          await executor.restart();
        } finally {
          this.restartingExecutor = false;
        }
        return;
      case 'nats_restart':
        if (nats.kind !== 'single') throw new Error('nats_restart needs a lone NATS server');
        return nats.server.restart({ signal: this.random.unit() < 0.5 ? 'SIGKILL' : 'SIGTERM', downTimeMs: this.random.int(0, 2_000) });
      case 'postgres_restart':
        return postgres.restart({ mode: this.random.unit() < 0.5 ? 'immediate' : 'fast' });
      case 'exchange_position_lag':
        return this.window(sim, { positionVisibilityLagMs: this.random.int(1_000, 10_000) }, this.random.int(8_000, 20_000));
      case 'exchange_position_list_500':
        return this.window(sim, { positionList: [{ effect: 'http500', count: this.random.int(1, 4) }] }, 5_000);
      default: {
        const effect = {
          exchange_5xx: 'http503',
          exchange_rate_limit: 'rateLimit',
          exchange_reject: 'reject',
          exchange_timeout_before_accept: 'timeoutBeforeAccept',
          exchange_timeout_after_accept: 'timeoutAfterAccept',
        }[kind];
        // A hanging request ends when ccxt gives up (EXCHANGE_REQUEST_TIMEOUT_MS) or after hangMs.
        return this.window(sim, { orderCreate: [{ effect, count: this.random.int(1, 3), hangMs: 5_000 }] }, 5_000);
      }
    }
  }

  /**
   * SIGKILLs the commands stream's leader (or a follower), restarts it after 1-5 s down, and waits
   * until every replica of every stream has caught up, so the next kill never takes a stream
   * below its quorum.
   */
  private async killNode(target: Extract<NatsTarget, { kind: 'cluster' }>, kind: 'nats_leader_kill' | 'nats_follower_kill'): Promise<void> {
    const { cluster, commandsStream } = target;
    // The follower is another node than the leader killed before, when the stream allows.
    const killed = this.nodeKills.map((kill) => kill.split(' ')[1] ?? '');
    const node =
      kind === 'nats_leader_kill' ? await cluster.streamLeader(commandsStream) : await cluster.streamFollower(commandsStream, killed);
    this.nodeKills.push(`${kind === 'nats_leader_kill' ? 'leader' : 'follower'} ${node.serverName ?? '?'}`);
    await node.restart({ signal: 'SIGKILL', downTimeMs: this.random.int(1_000, 5_000) });
    for (const stream of target.streams) await cluster.waitForStream(stream, 60_000);
  }

  /** Puts exchange faults in force on every account for `ms`, then clears them. */
  private async window(sim: SimControl, faults: Record<string, unknown>, ms: number): Promise<void> {
    await sim.setFaults(faults);
    await delay(ms);
    await sim.clearFaults();
  }
}
