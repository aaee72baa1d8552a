import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { headers as natsHeaders, type NatsConnection } from '@nats-io/nats-core';
import { busNames, BusNames } from './subjects';

/** One NATS connection with its JetStream client, manager and names. */
export interface Bus {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  names: BusNames;
  /**
   * Publishes JSON with `Nats-Msg-Id` = `msgId` (deduplicated within the stream's window) and
   * `headers` as NATS headers (e.g. the `X-Request-Id` a command was requested under), retrying
   * while the stream has no leader. @throws the last timeout / JetStream error after the attempts.
   */
  publish(subject: string, payload: unknown, msgId: string, headers?: Record<string, string>): Promise<{ seq: number; duplicate: boolean }>;
  close(): Promise<void>;
}

/**
 * Attempts of one publish when JetStream does not answer (timeout, or "no responders" while a
 * clustered stream elects a new leader), with the client's backoff between them. Safe to repeat:
 * every publish carries a `Nats-Msg-Id`, so an attempt whose ack was lost is deduplicated.
 */
const PUBLISH_ATTEMPTS = 4;

/**
 * The servers in a NATS_URL: one URL, or several comma-separated (the nodes of a cluster; the
 * client picks one and fails over to the others), e.g. `nats://n1:4222,nats://n2:4222`.
 * @throws Error when no server is named.
 */
export function natsServers(url: string): string[] {
  const servers = url
    .split(',')
    .map((server) => server.trim())
    .filter((server) => server.length > 0);
  if (servers.length === 0) throw new Error('NATS_URL names no server');
  return servers;
}

/**
 * Connects to NATS (reconnecting forever: a restart of NATS must not kill a service).
 * @param url one server URL or a comma-separated list of a cluster's servers (see {@link natsServers})
 * @throws when the first connection cannot be made.
 */
export async function connectBus(url: string, namespace: string, clientName: string): Promise<Bus> {
  const nc = await connect({ servers: natsServers(url), name: clientName, maxReconnectAttempts: -1, reconnectTimeWait: 500 });
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  return {
    nc,
    js,
    jsm,
    names: busNames(namespace),
    async publish(subject, payload, msgId, headers) {
      const entries = Object.entries(headers ?? {});
      const h = entries.length > 0 ? natsHeaders() : undefined;
      for (const [name, value] of entries) h?.set(name, value);
      const ack = await js.publish(subject, JSON.stringify(payload), {
        msgID: msgId,
        retries: PUBLISH_ATTEMPTS,
        ...(h ? { headers: h } : {}),
      });
      return { seq: ack.seq, duplicate: ack.duplicate };
    },
    async close() {
      if (!nc.isClosed()) await nc.drain();
    },
  };
}
