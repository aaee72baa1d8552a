import type { Logger } from 'pino';
import { BybitClientFactory, BybitPrivateStreams } from '@legwork/exchange';
import { AccountStreamConnector } from '@legwork/exchange-accounts';
import { AlertFactory, Bus, scanJobMessage } from '@legwork/messaging';
import { histogram, Registry } from '@legwork/observability';
import { OutboxRelay } from '@legwork/outbox';
import { IdentityRepository, ScanRepository } from '@legwork/persistence';
import { ScanServiceConfig, ScanSettings, scanWithAccountKey } from '@legwork/scanning';
import { ScanOrphansUseCase } from '../scan-orphans/scan-orphans.use-case';
import { AlterFromStreamUseCase } from './alter-from-stream.use-case';
import { SuspectFromStreamUseCase } from './suspect-from-stream.use-case';

/** What the stream follower's parts are built from (the scan host's providers). */
export interface StreamDriftDependencies {
  config: ScanServiceConfig;
  log: Logger;
  bus: Bus;
  settings: ScanSettings;
  registry: Registry;
  scans: ScanRepository;
  identity: IdentityRepository;
  factory: BybitClientFactory;
  alerts: AlertFactory;
  relay: OutboxRelay;
  orphans: ScanOrphansUseCase;
}

/**
 * The stream follower's parts: the account → private stream connector (Bybit's protocol, settings
 * from `STREAM_*`), the orphan suspicion from the stream (its REST reads through the account's
 * key; the confirmation job scheduled by `scheduleConfirmation`) and the reconcile request when a
 * held position moved; with their detection-time histograms.
 */
export function streamDriftUseCases(
  deps: StreamDriftDependencies,
  scheduleConfirmation: (accountId: string, window: Date, afterMs: number) => void,
): { connector: AccountStreamConnector; suspect: SuspectFromStreamUseCase; alter: AlterFromStreamUseCase } {
  const { config, log, bus, settings, registry, scans, identity, factory, alerts, relay, orphans } = deps;
  const { env } = config;
  const connector = new AccountStreamConnector(
    identity,
    new BybitPrivateStreams(
      {
        env: env.BYBIT_ENV,
        simUrl: env.BYBIT_SIM_URL,
        connectsPer5Min: env.STREAM_CONNECTS_PER_5MIN,
        pingIntervalMs: env.STREAM_PING_INTERVAL_MS,
        pongTimeoutMs: env.STREAM_PONG_TIMEOUT_MS,
        reconnectBaseMs: env.STREAM_RECONNECT_BASE_MS,
        reconnectCapMs: env.STREAM_RECONNECT_CAP_MS,
      },
      registry,
    ),
  );
  const suspect = new SuspectFromStreamUseCase({
    scans,
    scan: (accountId, at) =>
      scanWithAccountKey({ identity, factory, alerts }, accountId, (reader) => orphans.execute(accountId, reader, at, at)),
    executionsSince: async (accountId, since) => {
      const read = await scanWithAccountKey({ identity, factory, alerts }, accountId, (reader) => reader.executions(null, { since }));
      return read.kind === 'scanned' ? read.result : [];
    },
    scheduleConfirmation,
    detection: histogram(
      registry,
      'orphan_stream_detection_seconds',
      'Exchange execution time to the orphan suspicion it caused (stream-driven)',
      [],
      [0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 30],
    ),
    afterScan: async () => relay.kick(),
    orphanGraceMs: settings.orphanGraceMs,
    log,
  });
  const alter = new AlterFromStreamUseCase({
    scans,
    publishReconcile: async (accountId, window, causes) => {
      const message = scanJobMessage(bus.names.namespace, 'reconcile', accountId, window, causes);
      await bus.publish(message.subject, message.payload, message.msgId);
    },
    detection: histogram(
      registry,
      'drift_stream_detection_seconds',
      'Exchange execution time to the reconcile job it caused (a held position moved without us, stream-driven)',
      [],
      [0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 30],
    ),
    log,
  });
  return { connector, suspect, alter };
}
