import { randomBytes, randomUUID } from 'node:crypto';
import {
  CallHandler,
  Controller,
  ExecutionContext,
  Inject,
  Injectable,
  INestMicroservice,
  Module,
  NestInterceptor,
  UseFilters,
  UseInterceptors,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import pino from 'pino';
import { Observable, tap } from 'rxjs';
import { Bus, connectBus } from './bus';
import type { Disposition } from './consumer';
import { consumerPatterns, JETSTREAM_TRANSPORT, JetStreamContext, RemovalNotice } from './jetstream.context';
import { JetStreamErrorFilter } from './jetstream-error.filter';
import { JetStreamServer } from './jetstream.server';
import { deleteStreams, ensureCommandConsumer, ensureStreams } from './streams';

// The Nest JetStream transport against a real JetStream: @EventPattern handlers on a controller,
// their dispositions settled by the server (ack, nak on the schedule, give-up, poison removal,
// abandon), in-progress signals during long work, and a graceful close.
// (libs/devstack would be a dependency cycle here: the NATS URL comes from the Jest global setup's variable.)

const PATTERNS = consumerPatterns('test-jobs');
const ACK_WAIT_MS = 1000;
const RETRY_DELAYS_MS = [100, 300];

type Scenario = 'ack' | 'retry' | 'throw' | 'term' | 'abandon-once' | 'long' | 'nothing' | 'term-record-fails-once';
interface Job {
  id: string;
  scenario: Scenario;
}

/** What the handlers saw, per job id. */
class Journal {
  readonly deliveries = new Map<string, { at: number; count: number }[]>();
  readonly exhausted = new Map<string, string>();
  readonly terminated = new Map<string, string[]>();
  readonly intercepted = new Map<string, unknown[]>();
  readonly finished = new Set<string>();
}

const JOURNAL = Symbol('JOURNAL');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const decode = (data: Uint8Array): Job => JSON.parse(Buffer.from(data).toString('utf8')) as Job;

@Injectable()
class RecordingInterceptor implements NestInterceptor {
  constructor(@Inject(JOURNAL) private readonly journal: Journal) {}
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const { id } = decode(context.switchToRpc().getData<Uint8Array>());
    return next.handle().pipe(tap((result) => this.journal.intercepted.set(id, [...(this.journal.intercepted.get(id) ?? []), result])));
  }
}

@Controller()
@UseFilters(new JetStreamErrorFilter())
class TestJobsController {
  constructor(@Inject(JOURNAL) private readonly journal: Journal) {}

  @EventPattern(PATTERNS.message, JETSTREAM_TRANSPORT)
  @UseInterceptors(RecordingInterceptor)
  async handle(@Payload() data: Uint8Array, @Ctx() ctx: JetStreamContext): Promise<Disposition | undefined> {
    const { id, scenario } = decode(data);
    const count = ctx.getDelivery().deliveryCount;
    this.journal.deliveries.set(id, [...(this.journal.deliveries.get(id) ?? []), { at: Date.now(), count }]);
    switch (scenario) {
      case 'ack':
        return { kind: 'ack' };
      case 'retry':
        return { kind: 'retry', reason: 'exchange unavailable' };
      case 'throw':
        throw new Error('boom');
      case 'term':
      case 'term-record-fails-once':
        return { kind: 'term', reason: 'undecodable' };
      case 'abandon-once':
        return count === 1 ? { kind: 'abandon' } : { kind: 'ack' };
      case 'long':
        await sleep(ACK_WAIT_MS * 2.5);
        this.journal.finished.add(id);
        return { kind: 'ack' };
      case 'nothing':
        return undefined;
    }
  }

  @EventPattern(PATTERNS.retriesExhausted, JETSTREAM_TRANSPORT)
  async retriesExhausted(@Payload() notice: RemovalNotice): Promise<void> {
    this.journal.exhausted.set(decode(notice.data).id, notice.reason);
  }

  @EventPattern(PATTERNS.terminated, JETSTREAM_TRANSPORT)
  async terminated(@Payload() notice: RemovalNotice, @Ctx() ctx: JetStreamContext): Promise<void> {
    const { id, scenario } = decode(notice.data);
    const calls = [...(this.journal.terminated.get(id) ?? []), `${notice.reason} (delivery ${ctx.getDelivery().deliveryCount})`];
    this.journal.terminated.set(id, calls);
    if (scenario === 'term-record-fails-once' && calls.length === 1) throw new Error('database down');
  }
}

@Module({ controllers: [TestJobsController], providers: [RecordingInterceptor, { provide: JOURNAL, useValue: new Journal() }] })
class TestJobsModule {}

@Controller()
class IncompleteController {
  @EventPattern(PATTERNS.message, JETSTREAM_TRANSPORT)
  handle(): Disposition {
    return { kind: 'ack' };
  }
}

@Module({ controllers: [IncompleteController] })
class IncompleteModule {}

async function eventually(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('JetStreamServer: a Nest microservice on a durable JetStream consumer', () => {
  const log = pino({ level: 'silent' });
  let bus: Bus;
  let app: INestMicroservice;
  let server: JetStreamServer;
  let journal: Journal;

  const serverFor = (b: Bus) =>
    new JetStreamServer(
      b,
      [
        {
          patterns: PATTERNS,
          stream: b.names.commandsStream,
          durable: b.names.executorDurable,
          concurrency: 4,
          retryDelaysMs: RETRY_DELAYS_MS,
          heartbeatMs: 300,
        },
      ],
      log,
    );
  const publish = async (scenario: Scenario): Promise<string> => {
    const id = randomUUID();
    await bus.publish(bus.names.commandSubject('OpenPosition'), { id, scenario } satisfies Job, randomUUID());
    return id;
  };
  const deliveries = (id: string) => journal.deliveries.get(id) ?? [];
  const streamEmpty = async () => (await bus.jsm.streams.info(bus.names.commandsStream)).state.messages === 0;

  beforeAll(async () => {
    const url = process.env['LEGWORK_TEST_NATS_URL'];
    if (!url) throw new Error('LEGWORK_TEST_NATS_URL is not set: run with `npx jest --selectProjects integration`');
    bus = await connectBus(url, `t${randomBytes(3).toString('hex')}`, 'test-jetstream-server');
    await ensureStreams(bus.jsm, bus.names);
    await ensureCommandConsumer(bus.jsm, bus.names, { ackWaitMs: ACK_WAIT_MS, maxDeliver: 10 });
    server = serverFor(bus);
    app = await NestFactory.createMicroservice(TestJobsModule, { strategy: server, logger: false });
    await app.listen();
    journal = app.get(JOURNAL);
  });
  afterAll(async () => {
    await app?.close();
    if (bus) await deleteStreams(bus.jsm, bus.names);
    await bus?.close();
  });

  it('acks what the handler acks, after its interceptors saw the disposition', async () => {
    const id = await publish('ack');
    await eventually('message removed', async () => deliveries(id).length === 1 && (await streamEmpty()));
    expect(deliveries(id).map((d) => d.count)).toEqual([1]);
    expect(journal.intercepted.get(id)).toEqual([{ kind: 'ack' }]);
    expect(server.unwrap<Bus>()).toBe(bus);
  });

  it('naks a retry on the schedule, then hands the message to the retriesExhausted handler and removes it', async () => {
    const id = await publish('retry');
    await eventually('retries exhausted', () => journal.exhausted.has(id));
    const seen = deliveries(id);
    expect(seen.map((d) => d.count)).toEqual([1, 2, 3]);
    expect((seen[1]?.at ?? 0) - (seen[0]?.at ?? 0)).toBeGreaterThanOrEqual(90);
    expect((seen[2]?.at ?? 0) - (seen[1]?.at ?? 0)).toBeGreaterThanOrEqual(290);
    expect(journal.exhausted.get(id)).toBe('exchange unavailable');
    await eventually('message removed', streamEmpty);
  });

  it("treats a handler's throw as a transient failure counted by the delivery count, with the handler's own message", async () => {
    const id = await publish('throw');
    await eventually('retries exhausted', () => journal.exhausted.has(id));
    expect(deliveries(id).map((d) => d.count)).toEqual([1, 2, 3]);
    expect(journal.exhausted.get(id)).toBe('unexpected error: boom');
    await eventually('message removed', streamEmpty);
  });

  it('retries a handler that returns no disposition (a bug), never acks it', async () => {
    const id = await publish('nothing');
    await eventually('retries exhausted', () => journal.exhausted.has(id));
    expect(deliveries(id)).toHaveLength(3);
    expect(journal.exhausted.get(id)).toMatch(/unexpected error: the handler of 'test-jobs' returned undefined, not a disposition/);
  });

  it('hands a poison message to the terminated handler once, then removes it without retrying', async () => {
    const id = await publish('term');
    await eventually('terminated', async () => journal.terminated.has(id) && (await streamEmpty()));
    expect(journal.terminated.get(id)).toEqual(['undecodable (delivery 1)']);
    expect(deliveries(id)).toHaveLength(1);
    expect(journal.exhausted.has(id)).toBe(false);
  });

  it('leaves a message whose removal could not be recorded to the ack-wait redelivery', async () => {
    const id = await publish('term-record-fails-once');
    await eventually('terminated twice', async () => (journal.terminated.get(id)?.length ?? 0) === 2 && (await streamEmpty()));
    expect(journal.terminated.get(id)).toEqual(['undecodable (delivery 1)', 'undecodable (delivery 2)']);
    const [first, second] = deliveries(id);
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(ACK_WAIT_MS - 100);
  });

  it('neither acks nor naks an abandoned delivery: only the ack wait brings it back', async () => {
    const id = await publish('abandon-once');
    await eventually('second delivery acked', async () => deliveries(id).length === 2 && (await streamEmpty()));
    const [first, second] = deliveries(id);
    expect([first?.count, second?.count]).toEqual([1, 2]);
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(ACK_WAIT_MS - 100);
  });

  it('keeps a handler that works past the ack wait from being redelivered (in-progress signals)', async () => {
    const id = await publish('long');
    await eventually('long work acked', async () => journal.finished.has(id) && (await streamEmpty()), 15_000);
    expect(deliveries(id).map((d) => d.count)).toEqual([1]);
  });

  it('refuses to listen unless each pattern of a consumer has its handler', async () => {
    const incomplete = await NestFactory.createMicroservice(IncompleteModule, { strategy: serverFor(bus), logger: false });
    await expect(incomplete.listen()).rejects.toThrow(/no @EventPattern\('test-jobs:retries-exhausted', JETSTREAM_TRANSPORT\) handler/);
    await incomplete.close();
  });

  it('on close, stops fetching and waits for the handlers in flight, which settle their messages', async () => {
    const id = await publish('long');
    await eventually('long work started', () => deliveries(id).length === 1);
    await app.close();
    expect(journal.finished.has(id)).toBe(true);
    await eventually('message removed', streamEmpty);
    expect(deliveries(id)).toHaveLength(1);
  });
});
