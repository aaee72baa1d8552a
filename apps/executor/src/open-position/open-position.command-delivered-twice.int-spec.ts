import { randomUUID } from 'node:crypto';
import { startTestStack, testNatsUrl, TestStack, eventually } from '@legwork/devstack';
import { Bus, connectBus } from '@legwork/messaging';

// The same OpenPosition command arriving twice (a republish outside JetStream's duplicate
// window, or a client retry that slipped through) must produce one set of orders.
describe('the same command delivered twice', () => {
  let t: TestStack;
  let bus: Bus;
  beforeAll(async () => {
    t = await startTestStack();
    bus = await connectBus(testNatsUrl(), t.namespace, 'test-duplicates');
  });
  afterAll(async () => {
    await bus?.close();
    await t?.stop();
  });

  it('places each leg once whether the duplicate arrives during or after execution', async () => {
    const user = await t.newUser();
    const { body } = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '1000', direction: 'long' });
    const positionId = String(body['positionId']);
    // The relay publishes asynchronously: republish only once the original is on the stream.
    const row = await eventually(
      async () =>
        (
          await t.db.query('SELECT subject, payload, msg_id FROM outbox WHERE payload->>$1 = $2 AND published_at IS NOT NULL', [
            'positionId',
            positionId,
          ])
        )[0],
      { what: 'the command published by the relay' },
    );
    // Same msgId: JetStream's dedupe drops it. New msgId: a true second delivery of the command.
    const again = await bus.publish(row.subject, row.payload, row.msg_id);
    expect(again.duplicate).toBe(true);
    await bus.publish(row.subject, row.payload, randomUUID());

    const position = await user.client.waitForStatus(positionId, ['ACTIVE', 'FAILED']);
    expect(position['status']).toBe('ACTIVE');
    await bus.publish(row.subject, row.payload, randomUUID()); // after ACTIVE: discarded
    await eventually(async () => (await bus.jsm.streams.info(bus.names.commandsStream)).state.messages === 0, {
      what: 'every command copy acknowledged',
      timeoutMs: 10_000,
    });

    const creates = await t.sim.orderCreates(user.apiKey);
    expect(creates).toHaveLength(5);
    expect(new Set(creates.map((c) => c.orderLinkId)).size).toBe(5);
    const [{ n }] = await t.db.query('SELECT count(*)::int AS n FROM orders WHERE position_id = $1', [positionId]);
    expect(n).toBe(5);
  });
});
