import { randomUUID } from 'node:crypto';
import { eventually, startTestStack, TestStack } from '@legwork/devstack';
import { busNames, RestorePositionCommand } from '@legwork/messaging';
import { RestorePlanRepository } from '@legwork/persistence';

// The stale-plan check that decides runs in the executor, under the position's lease, before a
// plan's first trade. Two plans of one position made from the same exchange state, both
// confirmed before either traded (the confirmation's own check passed for both): the first
// restores the position, the second finds the exchange moved and ends `stale` — nothing traded twice.
describe('restore: a plan whose exchange moved after its confirmation', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack({ services: ['bybit-sim', 'gateway', 'executor'] });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('is refused under the lease before its first trade, with an alert; the position is restored once', async () => {
    const user = await t.newUser();
    const { body } = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '1000', direction: 'long' });
    const id = String(body['positionId']);
    await user.client.waitForStatus(id, ['ACTIVE']);
    await t.sim.manualTrade({ apiKey: user.apiKey, symbol: 'BTCUSDT', side: 'Sell', qty: '0.003', reduceOnly: true });
    const first = (await user.client.request('GET', `/api/positions/${id}/restore-plan`)).body;
    const second = (await user.client.request('GET', `/api/positions/${id}/restore-plan`)).body;
    expect(second['trades']).toEqual(first['trades']);

    expect((await user.client.request('POST', `/api/positions/${id}/restore`, { planId: first['planId'] })).status).toBe(202);
    const restoreLegs = async () =>
      ((await user.client.getPosition(id)).body['legs'] as { purpose: string; status: string }[]).filter((l) => l.purpose === 'restore');
    await eventually(async () => ((await restoreLegs()).map((l) => l.status).join() === 'FILLED' ? true : undefined), {
      what: 'the first plan traded',
    });
    const ordersAfterFirst = (await t.sim.orderCreates(user.apiKey)).length;

    // The second plan's confirmation as it went through when the exchange had not moved yet:
    // `executing`, with its command (what StartRestoreUseCase commits once its check passes).
    const planId = String(second['planId']);
    const command: RestorePositionCommand = {
      schemaVersion: 1,
      type: 'RestorePosition',
      commandId: randomUUID(),
      positionId: id,
      planId,
      issuedAt: new Date().toISOString(),
    };
    await new RestorePlanRepository(t.db).startExecution(id, planId, {
      msgId: command.commandId,
      subject: busNames(t.namespace).commandSubject('RestorePosition'),
      payload: command,
    });

    const refused = await eventually(async () => (await t.alerts()).find((a) => a.kind === 'restore.refused' && a.positionId === id), {
      what: 'the second plan refused',
    });
    expect(refused.summary).toContain('BTCUSDT: 0.003 then, 0.006 now');
    expect((await new RestorePlanRepository(t.db).find(planId))?.status).toBe('stale');
    expect((await t.sim.orderCreates(user.apiKey)).length).toBe(ordersAfterFirst);
    expect((await restoreLegs()).map((l) => l.status)).toEqual(['FILLED']);
  });
});
