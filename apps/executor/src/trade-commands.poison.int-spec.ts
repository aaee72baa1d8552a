import { randomUUID } from 'node:crypto';
import { eventually, startTestStack, testNatsUrl, TestStack } from '@legwork/devstack';
import { Bus, connectBus } from '@legwork/messaging';

// Malformed or foreign messages on the command bus: removed with a logged reason and an alert,
// never retried forever, never crashing the consumer.
describe('poison messages on the command bus', () => {
  let t: TestStack;
  let bus: Bus;
  beforeAll(async () => {
    t = await startTestStack();
    bus = await connectBus(testNatsUrl(), t.namespace, 'test-poison');
  });
  afterAll(async () => {
    await bus?.close();
    await t?.stop();
  });

  it('bad JSON, an unknown type and a wrong schema version are each removed once with an alert; valid work goes on', async () => {
    const subject = bus.names.commandSubject('OpenPosition');
    const valid = {
      schemaVersion: 1,
      type: 'OpenPosition',
      commandId: randomUUID(),
      positionId: randomUUID(),
      issuedAt: new Date().toISOString(),
    };
    await bus.js.publish(subject, '{"schemaVersion":', { msgID: randomUUID() });
    await bus.publish(subject, { ...valid, type: 'Teleport' }, randomUUID());
    await bus.publish(subject, { ...valid, schemaVersion: 2 }, randomUUID());

    await eventually(async () => (await t.alerts()).filter((a) => a.kind === 'bus.poison_message').length === 3, {
      what: 'three poison alerts',
      timeoutMs: 15_000,
    });
    const alerts = (await t.alerts()).filter((a) => a.kind === 'bus.poison_message');
    // Several executors' workers take them in any order.
    expect(alerts.map((a) => a.summary).sort()).toEqual([
      expect.stringMatching(/sequence 1\) could not be decoded and was removed: undecodable command: message is not JSON/),
      expect.stringMatching(/sequence 2\) .*type/),
      expect.stringMatching(/sequence 3\) .*schemaVersion/),
    ]);
    expect(alerts.find((a) => a.summary.includes('not JSON'))?.details).toMatchObject({ payload: '{"schemaVersion":' });
    await eventually(async () => (await bus.jsm.streams.info(bus.names.commandsStream)).state.messages === 0, {
      what: 'poison removed from the stream',
    });

    // The consumer is alive: a real order goes through.
    const user = await t.newUser();
    const { body } = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '1000', direction: 'long' });
    expect((await user.client.waitForStatus(String(body['positionId']), ['ACTIVE', 'FAILED']))['status']).toBe('ACTIVE');
  });
});
