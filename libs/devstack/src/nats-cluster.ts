// A 3-node JetStream cluster on loopback for tests and the cluster soak: what production runs
// (R3 streams), small enough to SIGKILL one node at a time.
//
// Invariant: each node keeps its client port, route port, server name and store directory for the
// cluster's whole life, so a node restarted with restart() rejoins as the same peer with its store.
import { jetstreamManager, StorageType, type ConsumerInfo, type JetStreamManager, type StreamInfo } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import path from 'node:path';
import { eventually } from './eventually';
import { startNatsServer, type LocalNats } from './nats-server';
import { findFreePort } from './ports';

export interface StartNatsClusterOptions {
  /** Parent of the nodes' store directories (`<rootDir>/<serverName>`); created if missing. */
  rootDir: string;
  /** Number of nodes; default 3 (an R3 stream keeps a quorum with one node down). */
  size?: number;
  /** nats-server binary; default as for startNatsServer. */
  bin?: string;
  /** How long the cluster may take to elect its JetStream meta leader, in ms; default 30000. */
  readyTimeoutMs?: number;
}

export interface LocalNatsCluster {
  /** The nodes, named `n1`, `n2`, … (their `serverName`). */
  readonly nodes: readonly LocalNats[];
  /** Every node's client URL, comma-separated: the NATS_URL services are given. */
  readonly url: string;
  /** True when the nodes fsync every JetStream write (nats-server >= 2.10). */
  readonly syncAlways: boolean;
  /** The node that leads `stream` now. @throws Error when the stream has no leader or is not replicated. */
  streamLeader(stream: string): Promise<LocalNats>;
  /**
   * A node holding a replica of `stream` that is not its leader, preferring one not named in
   * `avoid` (e.g. a node killed before). @throws Error as streamLeader.
   */
  streamFollower(stream: string, avoid?: readonly string[]): Promise<LocalNats>;
  /**
   * Waits until `stream` and each of its consumers have a leader and every replica is current
   * (caught up), e.g. after a killed node was restarted. @throws EventuallyTimeoutError after
   * `timeoutMs` (default 30000).
   */
  waitForStream(stream: string, timeoutMs?: number): Promise<StreamInfo>;
  /** Every stream's info and its consumers' infos now (state, cluster leader, replicas): evidence for a failed test. */
  describe(): Promise<{ stream: StreamInfo; consumers: ConsumerInfo[] }[]>;
  /** Stops every node (SIGTERM) and closes the harness's own connection. Keeps the store directories. */
  stop(): Promise<void>;
  /** Every node's recent log output, each headed by its name. */
  output(): string;
}

/**
 * Starts `size` nats-server processes on 127.0.0.1 with JetStream, each with its own store
 * directory, free client and route ports, `server_name` n1…nN and routes to all the others, and
 * resolves once the cluster has elected its JetStream meta leader (the JetStream API answers).
 *
 * @throws Error when a node cannot start (its log is in the message) or no meta leader is elected
 *   within `readyTimeoutMs`; nodes already started are stopped.
 */
export async function startNatsCluster(options: StartNatsClusterOptions): Promise<LocalNatsCluster> {
  const size = options.size ?? 3;
  const clientPorts = await distinctFreePorts(size, []);
  const routePorts = await distinctFreePorts(size, clientPorts);
  const started = await Promise.allSettled(
    clientPorts.map((port, i) => {
      const serverName = `n${i + 1}`;
      return startNatsServer({
        dataDir: path.join(options.rootDir, serverName),
        port,
        ...(options.bin !== undefined ? { bin: options.bin } : {}),
        cluster: { name: 'legwork', serverName, routePort: routePorts[i] as number, routePorts },
      });
    }),
  );
  const nodes = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failure = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failure !== undefined) {
    await Promise.all(nodes.map((node) => node.stop()));
    throw failure.reason;
  }
  const cluster = new NatsClusterHarness(nodes);
  try {
    const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
    await eventually(async () => (await cluster.manager()).getAccountInfo(), {
      what: 'the JetStream meta leader of the cluster',
      timeoutMs: deadline - Date.now(),
      intervalMs: 250,
    });
    // A meta leader does not yet know every peer: an R<size> stream created now can fail with
    // "no suitable peers for placement" (seen under load). Ready = one such stream can be placed.
    await eventually(() => cluster.placeProbe(size), {
      what: `placement of an R${size} stream on the cluster`,
      timeoutMs: Math.max(1_000, deadline - Date.now()),
      intervalMs: 250,
    });
  } catch (error) {
    const output = cluster.output();
    await cluster.stop();
    throw new Error(`${(error as Error).message}\n${output.slice(-4000)}`, { cause: error });
  }
  return cluster;
}

class NatsClusterHarness implements LocalNatsCluster {
  readonly url: string;
  private connection: Promise<{ nc: NatsConnection; jsm: JetStreamManager }> | undefined;

  constructor(readonly nodes: readonly LocalNats[]) {
    this.url = nodes.map((node) => node.url).join(',');
  }

  get syncAlways(): boolean {
    return this.nodes.every((node) => node.syncAlways);
  }

  async manager(): Promise<JetStreamManager> {
    this.connection ??= (async () => {
      const nc = await connect({ servers: this.nodes.map((node) => node.url), maxReconnectAttempts: -1, reconnectTimeWait: 250 });
      // checkAPI off: the JetStream API may not answer yet (no meta leader), and a manager that
      // failed to be created would leave its connection reconnecting forever.
      return { nc, jsm: await jetstreamManager(nc, { timeout: 5_000, checkAPI: false }) };
    })();
    this.connection.catch(() => (this.connection = undefined));
    return (await this.connection).jsm;
  }

  async streamLeader(stream: string): Promise<LocalNats> {
    const info = await (await this.manager()).streams.info(stream);
    const leader = info.cluster?.leader;
    if (leader === undefined || leader === '') throw new Error(`stream ${stream} has no leader now`);
    return this.node(leader);
  }

  async streamFollower(stream: string, avoid: readonly string[] = []): Promise<LocalNats> {
    const info = await (await this.manager()).streams.info(stream);
    const followers = (info.cluster?.replicas ?? []).map((replica) => replica.name);
    const follower = followers.find((name) => !avoid.includes(name)) ?? followers[0];
    if (follower === undefined) throw new Error(`stream ${stream} has no follower (R1, or its replicas are unknown)`);
    return this.node(follower);
  }

  /** Creates and deletes a memory stream with `replicas` replicas. @throws what the JetStream API answers (e.g. no suitable peers) */
  async placeProbe(replicas: number): Promise<true> {
    const jsm = await this.manager();
    const name = 'LEGWORK_DEVSTACK_READY_PROBE';
    await jsm.streams.add({ name, subjects: ['legwork.devstack.ready-probe'], num_replicas: replicas, storage: StorageType.Memory });
    await jsm.streams.delete(name);
    return true;
  }

  async waitForStream(stream: string, timeoutMs = 30_000): Promise<StreamInfo> {
    return eventually(
      async () => {
        const jsm = await this.manager();
        const info = await jsm.streams.info(stream);
        if (!isSettled(info.cluster)) return undefined;
        for await (const consumer of jsm.consumers.list(stream)) if (!isSettled(consumer.cluster)) return undefined;
        return info;
      },
      { what: `stream ${stream} and its consumers with a leader and every replica current`, timeoutMs, intervalMs: 250 },
    );
  }

  async describe(): Promise<{ stream: StreamInfo; consumers: ConsumerInfo[] }[]> {
    const jsm = await this.manager();
    const described: { stream: StreamInfo; consumers: ConsumerInfo[] }[] = [];
    for await (const stream of jsm.streams.list()) {
      const consumers: ConsumerInfo[] = [];
      for await (const consumer of jsm.consumers.list(stream.config.name)) consumers.push(consumer);
      described.push({ stream, consumers });
    }
    return described;
  }

  async stop(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    await connection?.then(({ nc }) => nc.close()).catch(() => undefined);
    await Promise.all(this.nodes.map((node) => node.stop()));
  }

  output(): string {
    return this.nodes.map((node) => `--- ${node.serverName} ---\n${node.output()}`).join('\n');
  }

  private node(serverName: string): LocalNats {
    const node = this.nodes.find((candidate) => candidate.serverName === serverName);
    if (node === undefined) throw new Error(`no node named ${serverName} in this cluster`);
    return node;
  }
}

/** True when a replicated stream or consumer has a leader and every other replica is online and current. */
function isSettled(cluster: StreamInfo['cluster']): boolean {
  const { leader, replicas = [] } = cluster ?? {};
  return leader !== undefined && leader !== '' && replicas.every((replica) => replica.current && replica.offline !== true);
}

/** `count` free ports on 127.0.0.1, distinct from each other and from `taken`. */
async function distinctFreePorts(count: number, taken: readonly number[]): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    const port = await findFreePort();
    if (!ports.includes(port) && !taken.includes(port)) ports.push(port);
  }
  return ports;
}
