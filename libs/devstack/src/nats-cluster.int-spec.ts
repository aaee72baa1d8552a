import { connectBus, ensureCommandConsumer, ensureStreams, runConsumer, type Bus } from '@legwork/messaging';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { eventually } from './eventually';
import { startNatsCluster, type LocalNatsCluster } from './nats-cluster';
import { testNamespace } from './testing';

const COMMANDS = 300;
const silent = pino({ level: 'silent' });

describe('a 3-node JetStream cluster on loopback (R3 streams)', () => {
  let rootDir: string;
  let cluster: LocalNatsCluster;
  let bus: Bus;

  beforeAll(async () => {
    rootDir = await fs.mkdtemp(path.join(os.tmpdir(), 'legwork-nats-cluster-spec-'));
    cluster = await startNatsCluster({ rootDir });
    bus = await connectBus(cluster.url, testNamespace(), 'test-cluster');
    await ensureStreams(bus.jsm, bus.names, 3);
    await ensureCommandConsumer(bus.jsm, bus.names, { ackWaitMs: 2_000, maxDeliver: 100, replicas: 3 });
  }, 120_000);
  afterAll(async () => {
    await bus?.close();
    await cluster?.stop();
    await fs.rm(rootDir, { recursive: true, force: true });
  });

  it('keeps every stream and the executor consumer on three nodes, under server names n1..n3', async () => {
    expect(cluster.nodes.map((node) => node.serverName)).toEqual(['n1', 'n2', 'n3']);
    expect(cluster.url.split(',')).toHaveLength(3);
    for (const stream of [bus.names.commandsStream, bus.names.scanJobsStream, bus.names.alertsStream, bus.names.deadLettersStream]) {
      const info = await cluster.waitForStream(stream);
      expect(info.config.num_replicas).toBe(3);
      expect(info.cluster?.replicas).toHaveLength(2);
    }
    const consumer = await bus.jsm.consumers.info(bus.names.commandsStream, bus.names.executorDurable);
    expect(consumer.config.num_replicas).toBe(3);
    // ensureStreams runs at every service start: a second call with the same count changes nothing.
    await ensureStreams(bus.jsm, bus.names, 3);
    expect((await bus.jsm.streams.info(bus.names.commandsStream)).config.num_replicas).toBe(3);
  });

  it('loses no acknowledged command and stores none twice when the stream leader is SIGKILLed mid-publish', async () => {
    const stream = bus.names.commandsStream;
    const subject = bus.names.commandSubject('OpenPosition');
    const handled = new Map<string, number>(); // msg id → deliveries handled
    const consumer = await runConsumer(
      bus,
      { stream, durable: bus.names.executorDurable, concurrency: 16, retryDelaysMs: [200], heartbeatMs: 1_000 },
      {
        async handle(msg) {
          const msgId = msg.headers?.get('Nats-Msg-Id') ?? '';
          handled.set(msgId, (handled.get(msgId) ?? 0) + 1);
          return { kind: 'ack' };
        },
        onRetriesExhausted: () => Promise.reject(new Error('no retry expected')),
        onTerminated: () => Promise.reject(new Error('no poison expected')),
      },
      silent,
    );
    const acknowledged = new Map<string, number>(); // msg id → stream sequence of its ack
    let failedAttempts = 0;
    const publish = async (msgId: string): Promise<void> => {
      // As the outbox relay does: a publish without an ack is tried again with the same msg id.
      for (let attempt = 1; ; attempt++) {
        try {
          const ack = await bus.publish(subject, { msgId }, msgId);
          const earlier = acknowledged.get(msgId);
          if (earlier !== undefined && earlier !== ack.seq) throw new Error(`${msgId} stored twice: seq ${earlier} and ${ack.seq}`);
          acknowledged.set(msgId, ack.seq);
          return;
        } catch (error) {
          if (/stored twice/.test((error as Error).message) || attempt >= 20) throw error;
          failedAttempts += 1;
        }
      }
    };
    try {
      const killed = await cluster.streamLeader(stream);
      let restarted: Promise<void> | undefined;
      for (let i = 0; i < COMMANDS; i++) {
        // SIGKILL, down 3 s, restart — while publishing and consuming go on against the other two.
        if (i === COMMANDS / 3) restarted = killed.restart({ signal: 'SIGKILL', downTimeMs: 3_000 });
        await publish(`c${i}`);
      }
      await restarted;
      await cluster.waitForStream(stream, 60_000);
      const newLeader = await cluster.streamLeader(stream);

      await eventually(() => [...acknowledged.keys()].every((msgId) => handled.has(msgId)), {
        what: `all ${COMMANDS} acknowledged commands consumed`,
        timeoutMs: 60_000,
        intervalMs: 250,
      });
      await eventually(async () => (await bus.jsm.streams.info(stream)).state.messages === 0, {
        what: 'the work-queue stream emptied by acks',
        timeoutMs: 30_000,
        intervalMs: 250,
      });
      expect(acknowledged.size).toBe(COMMANDS);
      expect(new Set(acknowledged.values()).size).toBe(COMMANDS); // one stream sequence per msg id
      expect([...handled.keys()].filter((msgId) => !acknowledged.has(msgId))).toEqual([]);
      process.stdout.write(
        `[cluster] leader ${killed.serverName} killed, new leader ${newLeader.serverName}; ${failedAttempts} publish attempts failed and were retried; ` +
          `${[...handled.values()].filter((n) => n > 1).length} commands redelivered (deduplicated by msg id)\n`,
      );
    } finally {
      await consumer.stop();
    }
  });
});
