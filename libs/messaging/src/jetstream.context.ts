import type { JsMsg } from '@nats-io/jetstream';
import { BaseRpcContext } from '@nestjs/microservices';
import type { DeliveryContext } from './consumer';

/**
 * Nest's transport id of {@link JetStreamServer}. Pass it to every JetStream handler,
 * `@EventPattern(pattern, JETSTREAM_TRANSPORT)`, so that no other transport of the same app (a
 * core NATS request/reply server, say) registers the handler, nor this server another's.
 */
export const JETSTREAM_TRANSPORT = Symbol('JETSTREAM');

/**
 * The three patterns of one durable consumer's handlers, each an `@EventPattern` method:
 * - `message`: every delivery; `(data: Uint8Array, ctx: JetStreamContext)` → a {@link Disposition};
 *   a throw is a transient failure counted by the delivery count;
 * - `retriesExhausted`: a `retry` past the last delay of the schedule; `(notice: RemovalNotice, ctx)`;
 *   the message is acked (removed) once it returns;
 * - `terminated`: a `term` (poison); `(notice: RemovalNotice, ctx)`; recorded, then acked.
 * A throw from either of the last two leaves the message un-acked, to the ack-wait redelivery.
 */
export interface ConsumerPatterns {
  message: string;
  retriesExhausted: string;
  terminated: string;
}

/** The patterns of the consumer named `name` (e.g. `trade-commands`); see {@link ConsumerPatterns}. */
export function consumerPatterns(name: string): ConsumerPatterns {
  return { message: name, retriesExhausted: `${name}:retries-exhausted`, terminated: `${name}:terminated` };
}

/** What a `retriesExhausted` or `terminated` handler receives: the message's bytes and why it is removed. */
export interface RemovalNotice {
  data: Uint8Array;
  reason: string;
}

/** The `@Ctx()` of a JetStream handler: the delivered message and which delivery of it this is. */
export class JetStreamContext extends BaseRpcContext<[JsMsg, DeliveryContext]> {
  /** The message as delivered (subject, headers, `info.stream`); settling it is the server's job, not the handler's. */
  getMessage(): JsMsg {
    return this.args[0];
  }

  getSubject(): string {
    return this.args[0].subject;
  }

  /** One NATS header of the message (e.g. `REQUEST_ID_HEADER`); undefined when absent or empty. */
  getHeader(name: string): string | undefined {
    return this.args[0].headers?.get(name) || undefined;
  }

  /** Delivery count (1 = first; raised by retries and by redeliveries after crashes) and stream sequence. */
  getDelivery(): DeliveryContext {
    return this.args[1];
  }
}
