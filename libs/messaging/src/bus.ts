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
   * `headers` as NATS headers (e.g. the `X-Request-Id` a command was requested under).
   */
  publish(subject: string, payload: unknown, msgId: string, headers?: Record<string, string>): Promise<{ seq: number; duplicate: boolean }>;
  close(): Promise<void>;
}

/**
 * Connects to NATS (reconnecting forever: a restart of NATS must not kill a service).
 * @throws when the first connection cannot be made.
 */
export async function connectBus(url: string, namespace: string, clientName: string): Promise<Bus> {
  const nc = await connect({ servers: url, name: clientName, maxReconnectAttempts: -1, reconnectTimeWait: 500 });
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
      const ack = await js.publish(subject, JSON.stringify(payload), { msgID: msgId, ...(h ? { headers: h } : {}) });
      return { seq: ack.seq, duplicate: ack.duplicate };
    },
    async close() {
      if (!nc.isClosed()) await nc.drain();
    },
  };
}
