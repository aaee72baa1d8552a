import { startTestStack, TestStack } from '@legwork/devstack';

// The executor is SIGKILLed in the middle of a close (found by the soak with faults: a kill
// between "fill recorded" and "unwind outcome recorded" used to return the position to ACTIVE,
// its closed leg counted as unsettled, with no alert). A fresh executor takes the redelivered
// command: the close must finish CLOSED, each leg sent exactly once.
const STEPS = ['close_leg_submitted:1', 'close_leg_sent:1', 'close_leg_recorded:1'];

describe('the executor killed in the middle of a close', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack({ services: ['bybit-sim', 'gateway'], env: { ACK_WAIT_MS: '1500', CRASH_REDELIVERIES: '5' } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  /**
   * Opens a five-leg long (then stops its executor), lets `beforeClose` act on the exchange, asks
   * for the close with an executor armed at `failpoint`, and once that one died, follows the close
   * with a replacement. @returns the user and the position as the API shows it at the end.
   */
  const closeThroughKill = async (
    failpoint: string,
    beforeClose: (apiKey: string, components: { symbol: string; expectedQuantity: string }[]) => Promise<unknown>,
  ) => {
    const user = await t.newUser();
    const opener = await t.stack.startService('executor');
    const { body } = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '1000', direction: 'long' });
    const id = String(body['positionId']);
    const position = await user.client.waitForStatus(id, ['ACTIVE']);
    await opener.stop();
    await beforeClose(user.apiKey, position['components'] as { symbol: string; expectedQuantity: string }[]);

    const doomed = await t.stack.startService('executor', { EXECUTOR_FAILPOINTS: failpoint });
    expect((await user.client.request('POST', `/api/positions/${id}/close`)).status).toBe(202);
    expect((await doomed.waitForExit()).signal).toBe('SIGKILL');
    const replacement = await t.stack.startService('executor');
    try {
      return { user, id, closed: await user.client.waitForStatus(id, ['CLOSED', 'ACTIVE'], 60_000) };
    } finally {
      await replacement.stop();
    }
  };
  const closeLegs = (closed: Record<string, unknown>) =>
    (closed['legs'] as { purpose: string; symbol: string; status: string; unwindOutcome: string }[])
      .filter((l) => l.purpose === 'close')
      .map((l) => `${l.symbol} ${l.status} ${l.unwindOutcome}`);

  it.each(STEPS)('killed at %s: ends CLOSED, each close leg placed once, the exchange flat', async (step) => {
    const { user, closed } = await closeThroughKill(step, async () => undefined);
    expect(closed['status']).toBe('CLOSED');
    expect(closeLegs(closed)).toEqual(['BTCUSDT', 'ETHUSDT', 'XRPUSDT', 'DOGEUSDT', 'LTCUSDT'].map((s) => `${s} FILLED closed`));
    const accepted = (await t.sim.orderCreates(user.apiKey)).filter(
      (c) => c.reduceOnly === true && c.httpStatus === 200 && c.retCode === 0,
    );
    expect(accepted).toHaveLength(5);
    expect((await t.sim.account(user.apiKey)).positions).toEqual([]);
  });

  it('a leg already flat by hand, killed once its refusal is recorded: ends CLOSED, that leg already flat (alerted), nothing sent twice', async () => {
    // The last leg, so nothing is re-read from the ledger after its outcome is settled.
    const { user, id, closed } = await closeThroughKill('close_leg_refused:4', (apiKey, components) => {
      const ltc = components.find((c) => c.symbol === 'LTCUSDT');
      return t.sim.manualTrade({ apiKey, symbol: 'LTCUSDT', side: 'Sell', qty: String(Number(ltc?.expectedQuantity)), reduceOnly: true });
    });
    expect(closed['status']).toBe('CLOSED');
    expect(closeLegs(closed)).toEqual([
      'BTCUSDT FILLED closed',
      'ETHUSDT FILLED closed',
      'XRPUSDT FILLED closed',
      'DOGEUSDT FILLED closed',
      'LTCUSDT REJECTED already_flat',
    ]);
    expect(
      (await t.sim.orderCreates(user.apiKey)).filter((c) => c.reduceOnly === true && c.symbol === 'LTCUSDT').map((c) => c.retCode),
    ).toEqual([110017]);
    expect(await t.alerts()).toContainEqual(expect.objectContaining({ kind: 'close.already_flat', positionId: id }));
  });
});
