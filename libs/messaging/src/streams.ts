import { AckPolicy, DeliverPolicy, DiscardPolicy, JetStreamManager, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import type { ConsumerConfig, StreamConfig } from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';
import type { BusNames, ScanJobKind } from './subjects';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface CommandConsumerSettings {
  /** Redelivery after this long without an ack or in-progress signal. */
  ackWaitMs: number;
  /** Total deliveries of one message before JetStream gives up (and emits MAX_DELIVERIES). */
  maxDeliver: number;
  /** Copies of the consumer's state (delivered, acked) the cluster keeps: BUS_STREAM_REPLICAS; default 1. */
  replicas?: number;
}

/**
 * Creates or updates Legwork's streams; safe to call from every replica at every start.
 * - commands: work-queue retention (a message is removed once acked), file storage, 2 min
 *   duplicate window for `Nats-Msg-Id` dedupe of outbox republishes;
 * - dead letters: captures the MAX_DELIVERIES advisory of the executor's consumer;
 * - alerts: limits retention, kept 30 days.
 * Each stream is kept on `replicas` nodes (BUS_STREAM_REPLICAS: 1 for a lone server, 3 for a
 * 3-node cluster, where a stream survives the loss of one node and acks a publish only once a
 * majority stored it); an existing stream's replica count is updated in place.
 * Uses only nats-server 2.9 features (the Debian package our tests run on).
 * @throws JetStream's error when `replicas` exceeds the cluster's size (or > 1 on a lone server).
 */
export async function ensureStreams(jsm: JetStreamManager, names: BusNames, replicas = 1): Promise<void> {
  const upsertStream = (config: Partial<StreamConfig> & { name: string }) => upsertStreamConfig(jsm, { ...config, num_replicas: replicas });
  await upsertStream({
    name: names.commandsStream,
    subjects: [names.commandsFilter],
    retention: RetentionPolicy.Workqueue,
    storage: StorageType.File,
    duplicate_window: nanos(120_000),
    discard: DiscardPolicy.Old,
  });
  await upsertStream({
    name: names.deadLettersStream,
    subjects: [names.maxDeliveriesAdvisory],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    max_age: nanos(30 * DAY_MS),
  });
  await upsertStream({
    name: names.scanJobsStream,
    subjects: [names.scanJobSubject('reconcile'), names.scanJobSubject('orphans'), names.orphanScanCommandSubject],
    retention: RetentionPolicy.Workqueue,
    storage: StorageType.File,
    // Jobs are deduplicated by `<job>:<account>:<window start>` across replicas' schedulers.
    duplicate_window: nanos(10 * 60_000),
    max_age: nanos(DAY_MS),
  });
  await upsertStream({
    name: names.alertsStream,
    subjects: [names.alertsFilter],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    max_age: nanos(30 * DAY_MS),
    duplicate_window: nanos(120_000),
  });
}

/** The streams {@link ensureStreams} creates under `names`' namespace. */
export function legworkStreams(names: BusNames): string[] {
  return [names.commandsStream, names.deadLettersStream, names.scanJobsStream, names.alertsStream];
}

/**
 * Deletes Legwork's streams under one namespace, with their consumers and messages (a throwaway
 * namespace, e.g. the demo's). Streams that do not exist are skipped.
 * @returns the names of the streams deleted
 */
export async function deleteStreams(jsm: JetStreamManager, names: BusNames): Promise<string[]> {
  const existing = new Set<string>();
  for await (const info of jsm.streams.list()) existing.add(info.config.name);
  const deleted: string[] = [];
  for (const name of legworkStreams(names)) {
    if (!existing.has(name)) continue;
    await jsm.streams.delete(name);
    deleted.push(name);
  }
  return deleted;
}

/** Creates or updates the executor's durable pull consumer on the commands stream. */
export function ensureCommandConsumer(jsm: JetStreamManager, names: BusNames, settings: CommandConsumerSettings): Promise<void> {
  return upsertConsumer(jsm, names.commandsStream, names.executorDurable, names.commandsFilter, settings);
}

/** Creates or updates the durable consumer that shares one kind of scan job among replicas. */
export function ensureScanConsumer(
  jsm: JetStreamManager,
  names: BusNames,
  job: ScanJobKind,
  settings: CommandConsumerSettings,
): Promise<void> {
  return upsertConsumer(jsm, names.scanJobsStream, names.scanDurable(job), names.scanJobSubject(job), settings);
}

/** Creates or updates the durable consumer that shares operators' on-demand orphan scans among orphan monitor replicas. */
export function ensureOrphanScanCommandConsumer(jsm: JetStreamManager, names: BusNames, settings: CommandConsumerSettings): Promise<void> {
  return upsertConsumer(jsm, names.scanJobsStream, names.orphanScanCommandDurable, names.orphanScanCommandSubject, settings);
}

/**
 * Creates (or updates the ack wait and delivery limit of) the alert dispatcher's durable consumer
 * on the ALERTS stream. Created with delivery from `startFrom`, not from the stream's first message:
 * the stream keeps 30 days, and a first start must not page anyone for month-old events.
 * `maxDeliver` -1 = unlimited (an alert is never dropped while Alertmanager is down).
 */
export async function ensureAlertDispatchConsumer(
  jsm: JetStreamManager,
  names: BusNames,
  settings: CommandConsumerSettings & { startFrom: Date },
): Promise<void> {
  try {
    await jsm.consumers.info(names.alertsStream, names.alertDispatchDurable);
    await jsm.consumers.update(names.alertsStream, names.alertDispatchDurable, {
      ack_wait: nanos(settings.ackWaitMs),
      max_deliver: settings.maxDeliver,
    });
  } catch (error) {
    if (!isNotFound(error)) throw error;
    await jsm.consumers.add(names.alertsStream, {
      durable_name: names.alertDispatchDurable,
      ack_policy: AckPolicy.Explicit,
      ack_wait: nanos(settings.ackWaitMs),
      max_deliver: settings.maxDeliver,
      filter_subject: names.alertsFilter,
      num_replicas: settings.replicas ?? 1,
      deliver_policy: DeliverPolicy.StartTime,
      opt_start_time: settings.startFrom.toISOString(),
      max_ack_pending: 1000,
    });
  }
}

async function upsertConsumer(
  jsm: JetStreamManager,
  stream: string,
  durable: string,
  filter: string,
  settings: CommandConsumerSettings,
): Promise<void> {
  const config: Partial<ConsumerConfig> = {
    durable_name: durable,
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(settings.ackWaitMs),
    max_deliver: settings.maxDeliver,
    filter_subject: filter,
    max_ack_pending: 1000,
    num_replicas: settings.replicas ?? 1,
  };
  try {
    await jsm.consumers.info(stream, durable);
    await jsm.consumers.update(stream, durable, config);
  } catch (error) {
    if (!isNotFound(error)) throw error;
    await jsm.consumers.add(stream, config);
  }
}

async function upsertStreamConfig(jsm: JetStreamManager, config: Partial<StreamConfig> & { name: string }): Promise<void> {
  try {
    await jsm.streams.info(config.name);
    await jsm.streams.update(config.name, config);
  } catch (error) {
    if (!isNotFound(error)) throw error;
    await jsm.streams.add(config);
  }
}

function isNotFound(error: unknown): boolean {
  return /not found/i.test(String((error as Error)?.message ?? error));
}
