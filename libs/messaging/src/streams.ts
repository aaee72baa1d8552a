import { AckPolicy, DiscardPolicy, JetStreamManager, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import type { ConsumerConfig, StreamConfig } from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';
import type { BusNames } from './subjects';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface CommandConsumerSettings {
  /** Redelivery after this long without an ack or in-progress signal. */
  ackWaitMs: number;
  /** Total deliveries of one message before JetStream gives up (and emits MAX_DELIVERIES). */
  maxDeliver: number;
}

/**
 * Creates or updates Legwork's streams; safe to call from every replica at every start.
 * - commands: work-queue retention (a message is removed once acked), file storage, 2 min
 *   duplicate window for `Nats-Msg-Id` dedupe of outbox republishes;
 * - dead letters: captures the MAX_DELIVERIES advisory of the executor's consumer;
 * - alerts: limits retention, kept 30 days.
 * Uses only nats-server 2.9 features (the Debian package our tests run on).
 */
export async function ensureStreams(jsm: JetStreamManager, names: BusNames): Promise<void> {
  await upsertStream(jsm, {
    name: names.commandsStream,
    subjects: [names.commandsFilter],
    retention: RetentionPolicy.Workqueue,
    storage: StorageType.File,
    duplicate_window: nanos(120_000),
    discard: DiscardPolicy.Old,
  });
  await upsertStream(jsm, {
    name: names.deadLettersStream,
    subjects: [names.maxDeliveriesAdvisory],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    max_age: nanos(30 * DAY_MS),
  });
  await upsertStream(jsm, {
    name: names.alertsStream,
    subjects: [names.alertsFilter],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    max_age: nanos(30 * DAY_MS),
    duplicate_window: nanos(120_000),
  });
}

/** Creates or updates the executor's durable pull consumer on the commands stream. */
export async function ensureCommandConsumer(
  jsm: JetStreamManager,
  names: BusNames,
  settings: CommandConsumerSettings,
): Promise<void> {
  const config: Partial<ConsumerConfig> = {
    durable_name: names.executorDurable,
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(settings.ackWaitMs),
    max_deliver: settings.maxDeliver,
    filter_subject: names.commandsFilter,
    max_ack_pending: 1000,
  };
  try {
    await jsm.consumers.info(names.commandsStream, names.executorDurable);
    await jsm.consumers.update(names.commandsStream, names.executorDurable, config);
  } catch (error) {
    if (!isNotFound(error)) throw error;
    await jsm.consumers.add(names.commandsStream, config);
  }
}

async function upsertStream(jsm: JetStreamManager, config: Partial<StreamConfig> & { name: string }): Promise<void> {
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
