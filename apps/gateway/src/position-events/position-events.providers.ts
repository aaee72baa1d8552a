import type { Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { PositionEventRepository } from '@legwork/persistence';
import type { Registry } from '@legwork/observability';
import type { GatewayConfig } from '../config';
import { PositionEventHub } from './position-event-hub';

/** The reconnection delay suggested to SSE clients (`retry:`), in milliseconds. */
const EVENT_STREAM_RETRY_MS = 3_000;
/** Between sequencer passes with no notification heard (the triggers' NOTIFY is the live path). */
const SEQUENCE_POLL_MS = 5_000;

/** Providers of `GET /api/positions/events`: the event log's repository and the hub (Nest starts and stops it). */
export function positionEventsProviders(config: GatewayConfig, log: Logger, registry: Registry): Provider[] {
  return [
    { provide: PositionEventRepository, useFactory: (ds: DataSource) => new PositionEventRepository(ds), inject: [DataSource] },
    {
      provide: PositionEventHub,
      useFactory: (events: PositionEventRepository) =>
        new PositionEventHub(
          events,
          {
            databaseUrl: config.DATABASE_URL,
            maxStreamsPerUser: config.GATEWAY_EVENT_STREAMS_PER_USER,
            heartbeatMs: config.GATEWAY_EVENT_HEARTBEAT_MS,
            retryMs: EVENT_STREAM_RETRY_MS,
            sequencePollMs: SEQUENCE_POLL_MS,
          },
          log,
          registry,
        ),
      inject: [PositionEventRepository],
    },
  ];
}
