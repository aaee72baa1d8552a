import { EventEmitter } from 'node:events';
import type { JsMsg } from '@nats-io/jetstream';
import type { Status } from '@nats-io/nats-core';
import { CustomTransportStrategy, MessageHandler as NestHandler, Server } from '@nestjs/microservices';
import type { Logger } from 'pino';
import { isObservable, lastValueFrom } from 'rxjs';
import type { Bus } from './bus';
import { ConsumerSettings, DeliveryContext, Disposition, MessageHandler, runConsumer } from './consumer';
import { ConsumerPatterns, JETSTREAM_TRANSPORT, JetStreamContext, RemovalNotice } from './jetstream.context';

/** One durable pull consumer served by {@link JetStreamServer}, and the patterns of its handlers. */
export interface JetStreamConsumerBinding extends ConsumerSettings {
  patterns: ConsumerPatterns;
}

type JetStreamServerEvents = Record<string, (status: Status) => void>;
type JetStreamServerStatus = 'listening' | 'closed';

/**
 * Nest's transport for JetStream: each bound durable pull consumer delivers to the `@EventPattern`
 * handlers of its {@link ConsumerPatterns}, so handlers live on Nest controllers and get Nest's
 * interceptors, guards and filters.
 *
 * Settling is decided here and nowhere else, by {@link runConsumer} (`consumer.ts`, whose comments
 * carry the JetStream facts): the `message` handler's {@link Disposition} becomes an ack, a
 * `nak(delay)` on the retry schedule, a poison removal (the `terminated` handler records it, then
 * ack), a give-up (the `retriesExhausted` handler, then ack) or nothing at all (`abandon`); a throw,
 * or a result that is no disposition, is a transient failure counted by the delivery count. While
 * a handler runs, `working()` is sent every `heartbeatMs`; at most `concurrency` messages run at
 * once per consumer; a settlement that fails leaves the message to the ack-wait redelivery.
 *
 * Start it in a hybrid app AFTER the streams and consumers exist (the app's bootstrap creates
 * them): `app.connectMicroservice({ strategy })`, `await app.init()`, `await app.startAllMicroservices()`.
 * `close()` (Nest calls it on shutdown, before `onApplicationShutdown` hooks) stops fetching and
 * waits for in-flight handlers. The bus belongs to the app: the server never closes it.
 */
export class JetStreamServer extends Server<JetStreamServerEvents, JetStreamServerStatus> implements CustomTransportStrategy {
  private running: { stop(): Promise<void> }[] = [];
  private readonly statusEvents = new EventEmitter();
  private watchingStatus = false;

  /**
   * @param bus the app's connection (its streams and durable consumers must exist before `listen`)
   * @param consumers the consumers to serve, each with its own concurrency, retry schedule and heartbeat
   * @param log where the consumers log settlements and failures
   */
  constructor(
    private readonly bus: Bus,
    private readonly consumers: readonly JetStreamConsumerBinding[],
    private readonly log: Logger,
  ) {
    super();
    this.transportId = JETSTREAM_TRANSPORT;
  }

  /**
   * Starts every consumer, then calls back; calls back with the error (stopping any consumer
   * already started) when a pattern has no single event handler or a consumer cannot be read.
   */
  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      const handlers = this.consumers.map((consumer) => this.messageHandler(consumer.patterns));
      for (const [i, consumer] of this.consumers.entries()) {
        this.running.push(await runConsumer(this.bus, consumer, handlers[i] as MessageHandler, this.log));
        this.log.info({ stream: consumer.stream, durable: consumer.durable, pattern: consumer.patterns.message }, 'consuming');
      }
    } catch (error) {
      await this.close();
      callback(error);
      return;
    }
    this._status$.next('listening');
    callback();
  }

  /** Stops fetching and waits for the handlers in flight to finish and settle. */
  async close(): Promise<void> {
    const running = this.running.splice(0);
    await Promise.all(running.map((consumer) => consumer.stop()));
    this._status$.next('closed');
  }

  /** Listens to the bus connection's status events (`disconnect`, `reconnect`, `update`, …). */
  on(event: string, callback: (status: Status) => void): void {
    this.statusEvents.on(event, callback);
    if (this.watchingStatus) return;
    this.watchingStatus = true;
    void (async () => {
      for await (const status of this.bus.nc.status()) this.statusEvents.emit(status.type, status);
    })();
  }

  /** The {@link Bus} the consumers read from. */
  unwrap<T>(): T {
    return this.bus as T;
  }

  /** The consumer-side handler of one consumer's patterns: each call goes through Nest's handler pipeline. */
  private messageHandler(patterns: ConsumerPatterns): MessageHandler {
    const message = this.eventHandler(patterns.message);
    const retriesExhausted = this.eventHandler(patterns.retriesExhausted);
    const terminated = this.eventHandler(patterns.terminated);
    const context = (msg: JsMsg, delivery?: DeliveryContext) =>
      new JetStreamContext([msg, delivery ?? { deliveryCount: msg.info.deliveryCount, streamSequence: msg.info.streamSequence }]);
    const notice = (msg: JsMsg, reason: string): RemovalNotice => ({ data: msg.data, reason });
    return {
      handle: async (msg, delivery) => asDisposition(await invoke(message, msg.data, context(msg, delivery)), patterns.message),
      onRetriesExhausted: async (msg, reason) => void (await invoke(retriesExhausted, notice(msg, reason), context(msg))),
      onTerminated: async (msg, reason) => void (await invoke(terminated, notice(msg, reason), context(msg))),
    };
  }

  private eventHandler(pattern: string): NestHandler {
    const handler = this.messageHandlers.get(this.normalizePattern(pattern));
    if (!handler) throw new Error(`no @EventPattern('${pattern}', JETSTREAM_TRANSPORT) handler: a JetStream consumer needs all three`);
    if (!handler.isEventHandler) throw new Error(`the handler of '${pattern}' is a @MessagePattern: JetStream handlers are events`);
    if (handler.next) throw new Error(`'${pattern}' has several handlers: one handler's result settles a message`);
    return handler;
  }
}

/** Runs a Nest handler and resolves with its result (interceptors make it an Observable), or rejects with an Error. */
async function invoke(handler: NestHandler, data: unknown, ctx: JetStreamContext): Promise<unknown> {
  try {
    const result: unknown = await handler(data, ctx);
    return isObservable(result) ? await lastValueFrom(result, { defaultValue: undefined }) : result;
  } catch (error) {
    // Without JetStreamErrorFilter, Nest's filter turns the error into `{ status, message }`.
    if (error instanceof Error) throw error;
    const message = typeof error === 'object' && error !== null && 'message' in error ? String(error.message) : String(error);
    throw new Error(message);
  }
}

/**
 * The handler's result as a disposition (extra fields, e.g. labels for an interceptor, are kept).
 * @throws Error when the result is no disposition: a handler bug, retried like any other failure
 */
export function asDisposition(result: unknown, pattern: string): Disposition {
  if (typeof result === 'object' && result !== null && 'kind' in result) {
    const d = result as Record<string, unknown>;
    const reasoned = typeof d['reason'] === 'string';
    const count = d['failureCount'];
    if (d['kind'] === 'ack' || d['kind'] === 'abandon') return result as Disposition;
    if (d['kind'] === 'term' && reasoned) return result as Disposition;
    if (d['kind'] === 'retry' && reasoned && (count === undefined || (Number.isInteger(count) && (count as number) >= 1)))
      return result as Disposition;
  }
  throw new Error(`the handler of '${pattern}' returned ${describe(result)}, not a disposition`);
}

function describe(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
