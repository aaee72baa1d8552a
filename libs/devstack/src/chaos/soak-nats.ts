// The soak's bus: one nats-server (restarted as a random fault) or a 3-node JetStream cluster
// with R3 streams (its commands stream's leader, then a follower, killed on schedule).
import { busNames, legworkStreams } from '@legwork/messaging';
import { startNatsCluster } from '../nats-cluster';
import { startNatsServer } from '../nats-server';
import type { NatsTarget } from './faults';
import type { SoakSettings } from './soak-settings';

export interface SoakNats {
  /** NATS_URL for the services: one URL, or the cluster's three comma-separated. */
  url: string;
  /** BUS_STREAM_REPLICAS for the services: 1, or 3 on the cluster. */
  replicas: number;
  /** What the fault driver kills or restarts. */
  target: NatsTarget;
  /** Stops the server or every node (their store stays in `dir`). */
  stop(): Promise<void>;
}

/**
 * Starts the soak's NATS under `dir` (a cluster's nodes in `dir/n1`…`dir/n3`) for the services of
 * `namespace`. @throws Error as startNatsServer / startNatsCluster when a server cannot start.
 */
export async function startSoakNats(mode: SoakSettings['nats'], dir: string, namespace: string): Promise<SoakNats> {
  if (mode === 'single') {
    const server = await startNatsServer({ dataDir: dir });
    return { url: server.url, replicas: 1, target: { kind: 'single', server }, stop: () => server.stop() };
  }
  const cluster = await startNatsCluster({ rootDir: dir });
  const names = busNames(namespace);
  return {
    url: cluster.url,
    replicas: cluster.nodes.length,
    target: { kind: 'cluster', cluster, commandsStream: names.commandsStream, streams: legworkStreams(names) },
    stop: () => cluster.stop(),
  };
}
