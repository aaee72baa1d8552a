import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { eventually, testNamespace, testNatsUrl } from '@legwork/devstack';
import { Bus, connectBus, ensureCommandConsumer, ensureStreams, MessageHandler, runConsumer } from '@legwork/messaging';

// The executor's consumer runner (libs/messaging) against a real JetStream: retry schedule by nak(delay), exhaustion,
// poison messages, and the dead-letter capture of MAX_DELIVERIES advisories.
describe('durable command consumer', () => {
  let bus: Bus;
  const log = pino({ level: 'silent' });
  beforeAll(async () => {
    bus = await connectBus(testNatsUrl(), testNamespace(), 'test-consumer');
    await ensureStreams(bus.jsm, bus.names);
    await ensureStreams(bus.jsm, bus.names); // idempotent at every start
  });
  afterAll(async () => {
    await bus?.close();
  });

  const command = () => ({
    schemaVersion: 1,
    type: 'OpenPosition',
    commandId: randomUUID(),
    positionId: randomUUID(),
    issuedAt: new Date().toISOString(),
  });

  it('redelivers transient failures on the schedule, then hands the message to onRetriesExhausted', async () => {
    await ensureCommandConsumer(bus.jsm, bus.names, { ackWaitMs: 5000, maxDeliver: 10 });
    const deliveries: number[] = [];
    const exhausted: string[] = [];
    const handler: MessageHandler = {
      handle: async () => {
        deliveries.push(Date.now());
        return { kind: 'retry', reason: 'exchange unavailable' };
      },
      onRetriesExhausted: async (_msg, reason) => void exhausted.push(reason),
      onTerminated: async () => undefined,
    };
    const consumer = await runConsumer(
      bus,
      {
        stream: bus.names.commandsStream,
        durable: bus.names.executorDurable,
        concurrency: 2,
        retryDelaysMs: [100, 300],
        heartbeatMs: 1000,
      },
      handler,
      log,
    );
    try {
      await bus.publish(bus.names.commandSubject('OpenPosition'), command(), randomUUID());
      await eventually(async () => exhausted.length === 1, { what: 'retries exhausted', timeoutMs: 10_000 });
      expect(deliveries).toHaveLength(3);
      expect((deliveries[1] as number) - (deliveries[0] as number)).toBeGreaterThanOrEqual(90);
      expect((deliveries[2] as number) - (deliveries[1] as number)).toBeGreaterThanOrEqual(290);
      expect(exhausted).toEqual(['exchange unavailable']);
      await eventually(async () => (await bus.jsm.streams.info(bus.names.commandsStream)).state.messages === 0, {
        what: 'message removed',
      });
    } finally {
      await consumer.stop();
    }
  });

  it("applies the schedule to the handler's failure count, not to the delivery count", async () => {
    // As after crashes: deliveries 1 and 2 report the same (first) failure, so the schedule's first
    // delay is applied twice and the retries run out only at the third failure, on delivery 4.
    const counts = [1, 1, 2, 3];
    const deliveries: number[] = [];
    const exhausted: string[] = [];
    const handler: MessageHandler = {
      handle: async (msg) => {
        deliveries.push(Date.now());
        return { kind: 'retry', reason: 'exchange unavailable', failureCount: counts[msg.info.deliveryCount - 1] as number };
      },
      onRetriesExhausted: async (_msg, reason) => void exhausted.push(reason),
      onTerminated: async () => undefined,
    };
    const consumer = await runConsumer(
      bus,
      {
        stream: bus.names.commandsStream,
        durable: bus.names.executorDurable,
        concurrency: 1,
        retryDelaysMs: [100, 300],
        heartbeatMs: 1000,
      },
      handler,
      log,
    );
    try {
      await bus.publish(bus.names.commandSubject('OpenPosition'), command(), randomUUID());
      await eventually(async () => exhausted.length === 1, { what: 'retries exhausted', timeoutMs: 10_000 });
      expect(deliveries).toHaveLength(4);
      const gaps = deliveries.slice(1).map((at, i) => at - (deliveries[i] as number));
      expect(gaps.map((gap, i) => gap >= (i < 2 ? 90 : 290))).toEqual([true, true, true]);
      await eventually(async () => (await bus.jsm.streams.info(bus.names.commandsStream)).state.messages === 0, {
        what: 'message removed',
      });
    } finally {
      await consumer.stop();
    }
  });

  it('terminates a poison message once, with its reason, and keeps consuming', async () => {
    const terminated: string[] = [];
    const handled: string[] = [];
    const handler: MessageHandler = {
      handle: async (msg) => {
        handled.push(msg.string());
        return msg.string().startsWith('{') ? { kind: 'ack' } : { kind: 'term', reason: 'undecodable' };
      },
      onRetriesExhausted: async () => undefined,
      onTerminated: async (_msg, reason) => void terminated.push(reason),
    };
    const consumer = await runConsumer(
      bus,
      { stream: bus.names.commandsStream, durable: bus.names.executorDurable, concurrency: 1, retryDelaysMs: [100], heartbeatMs: 1000 },
      handler,
      log,
    );
    try {
      await bus.js.publish(bus.names.commandSubject('OpenPosition'), 'not json at all', { msgID: randomUUID() });
      await bus.publish(bus.names.commandSubject('OpenPosition'), command(), randomUUID());
      await eventually(async () => handled.length === 2, { what: 'both handled' });
      expect(terminated).toEqual(['undecodable']);
      await eventually(async () => (await bus.jsm.streams.info(bus.names.commandsStream)).state.messages === 0, { what: 'both removed' });
    } finally {
      await consumer.stop();
    }
  });

  it('captures a message that exhausts its deliveries without an ack in the dead-letter stream', async () => {
    // A fresh consumer: nats-server 2.9 does not apply a lowered max_deliver to messages it is
    // already tracking, so this case starts from a newly created durable.
    await bus.jsm.consumers.delete(bus.names.commandsStream, bus.names.executorDurable);
    await ensureCommandConsumer(bus.jsm, bus.names, { ackWaitMs: 300, maxDeliver: 2 });
    const info = await bus.jsm.consumers.info(bus.names.commandsStream, bus.names.executorDurable);
    expect([info.config.max_deliver, info.config.ack_wait]).toEqual([2, 300_000_000]);
    const consumer = await bus.js.consumers.get(bus.names.commandsStream, bus.names.executorDurable);
    await bus.publish(bus.names.commandSubject('OpenPosition'), command(), randomUUID());
    // A worker that dies every time: it takes the message and never acks.
    for (let i = 0; i < 2; i += 1) {
      const msg = await consumer.next({ expires: 2000 });
      expect(msg?.info.deliveryCount).toBe(i + 1);
    }
    // The server gives up on the message (and advises) when it would deliver it a third time.
    expect(await consumer.next({ expires: 1500 })).toBeNull();
    await eventually(async () => (await bus.jsm.streams.info(bus.names.deadLettersStream)).state.messages === 1, {
      what: 'MAX_DELIVERIES advisory captured',
      timeoutMs: 5000,
    });
    const advisory = await bus.jsm.streams.getMessage(bus.names.deadLettersStream, { last_by_subj: bus.names.maxDeliveriesAdvisory });
    expect(advisory?.json()).toMatchObject({ stream: bus.names.commandsStream, consumer: bus.names.executorDurable, deliveries: 2 });
  });
});
