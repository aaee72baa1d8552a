import { jetstreamManager, jetstream, StorageType } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startNatsServer, type LocalNats } from './nats-server';
import { isTcpReachable } from './ports';
import { testNamespace, testNatsUrl } from './testing';

async function publishThree(nc: NatsConnection, stream: string, subject: string): Promise<void> {
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: stream, subjects: [subject], storage: StorageType.File });
  const js = jetstream(nc);
  for (const id of ['a', 'b', 'c']) await js.publish(subject, JSON.stringify({ id }), { msgID: id });
}

async function messageCount(url: string, stream: string): Promise<number> {
  const nc = await connect({ servers: url });
  try {
    const jsm = await jetstreamManager(nc);
    return (await jsm.streams.info(stream)).state.messages;
  } finally {
    await nc.close();
  }
}

describe('NATS JetStream (shared test server)', () => {
  it('drops a second publish with the same msgID as a duplicate', async () => {
    const ns = testNamespace();
    const nc = await connect({ servers: testNatsUrl() });
    try {
      const jsm = await jetstreamManager(nc);
      await jsm.streams.add({ name: `${ns}_commands`, subjects: [`${ns}.trade.cmd.>`] });
      const js = jetstream(nc);
      const first = await js.publish(`${ns}.trade.cmd.open`, JSON.stringify({ id: 'c1' }), { msgID: 'c1' });
      const second = await js.publish(`${ns}.trade.cmd.open`, JSON.stringify({ id: 'c1' }), { msgID: 'c1' });
      expect(first.duplicate).toBe(false);
      expect(second).toMatchObject({ duplicate: true, seq: first.seq });
      expect((await jsm.streams.info(`${ns}_commands`)).state.messages).toBe(1);
      await jsm.streams.delete(`${ns}_commands`);
    } finally {
      await nc.close();
    }
  });
});

describe('startNatsServer', () => {
  let dataDir: string;
  let nats: LocalNats | undefined;

  beforeEach(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'legwork-nats-spec-'));
  });
  afterEach(async () => {
    await nats?.stop();
    nats = undefined;
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('keeps a stream and its messages across restart(), on the same URL', async () => {
    nats = await startNatsServer({ dataDir });
    const { url, port } = nats;
    const firstPid = nats.pid;
    const nc = await connect({ servers: url });
    await publishThree(nc, 'ORDERS', 'orders.new');
    await nc.close();

    await nats.restart();

    expect(nats.url).toBe(url);
    expect(nats.port).toBe(port);
    expect(nats.pid).not.toBe(firstPid);
    expect(await messageCount(url, 'ORDERS')).toBe(3);
  });

  it('keeps acknowledged messages when the server is SIGKILLed', async () => {
    nats = await startNatsServer({ dataDir });
    const nc = await connect({ servers: nats.url });
    await publishThree(nc, 'FILLS', 'fills.new');
    await nc.close();

    await nats.restart({ signal: 'SIGKILL' });

    expect(await messageCount(nats.url, 'FILLS')).toBe(3);
  });

  it('lets a connected client reconnect after a restart', async () => {
    nats = await startNatsServer({ dataDir });
    const nc = await connect({ servers: nats.url, maxReconnectAttempts: -1, reconnectTimeWait: 50 });
    try {
      const reconnected = (async () => {
        for await (const status of nc.status()) if (status.type === 'reconnect') return true;
        return false;
      })();
      await nats.restart({ downTimeMs: 200 });
      expect(await reconnected).toBe(true);
      await nc.flush();
    } finally {
      await nc.close();
    }
  });

  it('stop() frees the port and reports the sync mode', async () => {
    nats = await startNatsServer({ dataDir });
    expect(typeof nats.syncAlways).toBe('boolean');
    expect(nats.output()).toMatch(/Server is ready/);
    await nats.stop();
    await nats.stop(); // idempotent
    expect(nats.pid).toBeUndefined();
    expect(await isTcpReachable(nats.url, 500)).toBe(false);
  });
});
