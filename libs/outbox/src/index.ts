// The transactional outbox: a message is committed with the change that caused it (writeOutbox,
// called inside the repositories' transactions), then published by the relay with its msg id as
// `Nats-Msg-Id`. Messages are built by @legwork/messaging; the outbox stores and relays them.
export type { OutboxMessage } from '@legwork/messaging';
export * from './outbox.record';
export * from './outbox-writer';
export * from './outbox.repository';
export * from './outbox-relay';
export * from './outbox-health';
