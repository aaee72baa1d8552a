import type { ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import type { Logger } from 'pino';
import type { Bus } from './bus';
import { retryDecision } from './retry-schedule';

/**
 * Lifetime of one pull request, in ms. The client expects a server heartbeat every half of it and,
 * after two missed, checks the consumer and pulls again, waiting this long between checks that
 * fail. The client's 30 s default left a consumer idle for ~40 s after the node holding its pull
 * died (a clustered stream's leader SIGKILLed); 5 s bounds that stall to a few seconds, for one
 * small pull request per 5 s while idle.
 */
const PULL_EXPIRES_MS = 5_000;

/** What the handler decided about one message. */
export type Disposition =
  | { kind: 'ack' }
  /**
   * Transient failure: redeliver after the delay the retry schedule gives `failureCount`, or hand
   * the message to `onRetriesExhausted` past its last delay (see {@link retryDecision}).
   * `failureCount` is the handler's durable count of this work's transient failures, this one
   * included: a handler whose crash must not cost a retry keeps it where a crash cannot inflate
   * it (the executor: PostgreSQL). Absent, the delivery count stands in, which also counts
   * redeliveries after crashes and ack timeouts — acceptable only for work a crash costs nothing.
   */
  | { kind: 'retry'; reason: string; failureCount?: number }
  /** Never deliverable (malformed, unknown type, wrong schema version): recorded, then removed. */
  | { kind: 'term'; reason: string }
  /**
   * Another delivery of the same message took the work over: neither ack nor nak, so this stale
   * delivery cannot remove the message while the new holder still works on it.
   */
  | { kind: 'abandon' };

export interface DeliveryContext {
  /**
   * 1 for the first delivery; counts ack-timeout redeliveries (crashes) as well as retries, so it
   * is no count of failures. Nor a unique delivery id: nats-server 2.9 was seen reporting 1 both
   * to an executor killed mid-work and to the redelivery that replaced it.
   */
  deliveryCount: number;
  streamSequence: number;
}

export interface MessageHandler {
  handle(msg: JsMsg, ctx: DeliveryContext): Promise<Disposition>;
  /** Called instead of a redelivery when a `retry`'s failure count is past the last delay of the schedule. */
  onRetriesExhausted(msg: JsMsg, reason: string): Promise<void>;
  /** Called before a poison message is removed, to record and alert on it. */
  onTerminated(msg: JsMsg, reason: string): Promise<void>;
}

export interface ConsumerSettings {
  stream: string;
  durable: string;
  /** Messages processed at once by this process. */
  concurrency: number;
  /** Delay before redelivery after the 1st, 2nd, … transient failure (e.g. 60 s, 300 s, 900 s); see {@link retryDecision}. */
  retryDelaysMs: readonly number[];
  /** How often a long handler signals "in progress" so JetStream does not redeliver it (< ack wait). */
  heartbeatMs: number;
}

/**
 * Runs a durable pull consumer with explicit acks.
 *
 * JetStream's consumer `backoff` applies only to ack timeouts, so the retry schedule is applied
 * here with `nak(delay)` (nats-server ≥ 2.7.1). While a handler runs, `working()` is sent every
 * `heartbeatMs`. A handler that throws is treated as a transient failure counted by the delivery
 * count (it could not say more). The delay and the give-up come from the failure count the
 * handler returns with `retry`, so a crash's redelivery costs no retry where the handler counts
 * durably; every redelivery still counts toward the consumer's `max_deliver`, past which JetStream
 * stops delivering and emits the MAX_DELIVERIES advisory (captured in the dead-letter stream).
 * Services do not call it themselves: `JetStreamServer` (jetstream.server.ts) runs it for their
 * Nest `@EventPattern` handlers, so this is the one place a result becomes a settlement.
 * @returns a stop function that stops fetching, waits for in-flight handlers, and resolves.
 */
export async function runConsumer(
  bus: Bus,
  settings: ConsumerSettings,
  handler: MessageHandler,
  logger: Logger,
): Promise<{ stop(): Promise<void> }> {
  const consumer = await bus.js.consumers.get(settings.stream, settings.durable);
  const messages: ConsumerMessages = await consumer.consume({ max_messages: settings.concurrency, expires: PULL_EXPIRES_MS });
  const inFlight = new Set<Promise<void>>();

  const process = async (msg: JsMsg): Promise<void> => {
    const heartbeat = setInterval(() => msg.working(), settings.heartbeatMs);
    const ctx: DeliveryContext = {
      deliveryCount: msg.info.deliveryCount,
      streamSequence: msg.info.streamSequence,
    };
    try {
      let disposition: Disposition;
      try {
        disposition = await handler.handle(msg, ctx);
      } catch (error) {
        logger.error({ err: error, subject: msg.subject, seq: ctx.streamSequence }, 'handler failed; treating as transient');
        disposition = { kind: 'retry', reason: `unexpected error: ${(error as Error).message}` };
      }
      await settle(msg, ctx, disposition);
    } catch (error) {
      // Settling itself failed (database or NATS down): leave the message un-acked; JetStream
      // redelivers it after the ack wait, and the MAX_DELIVERIES advisory captures a message
      // that never gets through.
      logger.error({ err: error, subject: msg.subject, seq: ctx.streamSequence }, 'could not settle message; it will be redelivered');
    } finally {
      clearInterval(heartbeat);
    }
  };

  const settle = async (msg: JsMsg, ctx: DeliveryContext, d: Disposition): Promise<void> => {
    switch (d.kind) {
      case 'abandon':
        return;
      case 'ack':
        msg.ack();
        return;
      case 'term':
        // Recorded (log, alert with the payload) and then ACKED, not `term()`ed: on a work-queue
        // stream, nats-server 2.9 keeps a terminated message in the stream, where a recreated
        // consumer would deliver it again.
        await handler.onTerminated(msg, d.reason);
        msg.ack();
        logger.warn({ subject: msg.subject, seq: ctx.streamSequence, reason: d.reason }, 'poison message removed');
        return;
      case 'retry': {
        const failureCount = d.failureCount ?? ctx.deliveryCount;
        const decision = retryDecision(settings.retryDelaysMs, failureCount);
        const fields = { subject: msg.subject, seq: ctx.streamSequence, delivery: ctx.deliveryCount, failureCount, reason: d.reason };
        if (decision.kind === 'exhausted') {
          await handler.onRetriesExhausted(msg, d.reason);
          msg.ack();
          logger.warn(fields, 'retries exhausted');
          return;
        }
        msg.nak(decision.delayMs);
        logger.info({ ...fields, delayMs: decision.delayMs }, 'redelivery scheduled');
      }
    }
  };

  const loop = (async () => {
    for await (const msg of messages) {
      const task = process(msg).finally(() => inFlight.delete(task));
      inFlight.add(task);
      if (inFlight.size >= settings.concurrency) await Promise.race(inFlight);
    }
  })();

  return {
    async stop() {
      messages.stop();
      await loop;
      await Promise.all(inFlight);
    },
  };
}
