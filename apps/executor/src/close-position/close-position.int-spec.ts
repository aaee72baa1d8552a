import { startTestStack, TestStack } from '@legwork/devstack';

// Closing acts on Legwork's own records (seed 000): for each recorded component, a reduce-only
// market order on the opposite side for its expected_quantity — less if the user already closed
// part by hand — and never touching what the user added by hand.
describe('closing a position', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack();
  });
  afterAll(async () => {
    await t?.stop();
  });

  const openActive = async () => {
    const user = await t.newUser();
    const { body } = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '1000', direction: 'long' });
    const position = await user.client.waitForStatus(String(body['positionId']), ['ACTIVE']);
    return { user, position, id: String(body['positionId']) };
  };
  const size = (account: { positions: { symbol: string; side: string; size: string }[] }, symbol: string) =>
    account.positions.find((p) => p.symbol === symbol);

  it('closes every component reduce-only on the opposite side and ends CLOSED, flat on the exchange', async () => {
    const { user, id } = await openActive();
    // A lost response on the last close leg keeps the close under way long enough to ask again
    // during it (the order exists; it is settled by orderLinkId, not sent twice).
    await t.sim.setFaults({ apiKey: user.apiKey, orderCreate: [{ effect: 'timeoutAfterAccept', count: 1, symbol: 'LTCUSDT' }] });
    const accepted = await user.client.request('POST', `/api/positions/${id}/close`);
    expect(accepted.status).toBe(202);
    expect(accepted.body).toEqual({ positionId: id, status: 'CLOSING' });
    const again = await user.client.request('POST', `/api/positions/${id}/close`);
    expect(again.status).toBe(202); // a retried request joins the close under way
    expect(again.headers.get('idempotent-replayed')).toBe('true');

    const closed = await user.client.waitForStatus(id, ['CLOSED', 'ACTIVE']);
    await t.sim.clearFaults();
    expect(closed['status']).toBe('CLOSED');
    const closeLegs = (
      closed['legs'] as { purpose: string; side: string; reduceOnly: boolean; status: string; unwindOutcome: string }[]
    ).filter((l) => l.purpose === 'close');
    expect(closeLegs).toHaveLength(5);
    expect(closeLegs.every((l) => l.side === 'sell' && l.reduceOnly && l.status === 'FILLED' && l.unwindOutcome === 'closed')).toBe(true);
    expect((await t.sim.account(user.apiKey)).positions).toEqual([]);
    const closeCreates = (await t.sim.orderCreates(user.apiKey)).filter((c) => c.reduceOnly === true);
    expect(closeCreates).toHaveLength(5);
    expect(closeCreates.every((c) => c.side === 'Sell')).toBe(true);
    // A closed position cannot be closed again.
    const late = await user.client.request('POST', `/api/positions/${id}/close`);
    expect(late.status).toBe(409);
    expect(late.body).toEqual({ error: { code: 'POSITION.NOT_CLOSABLE', message: expect.stringContaining('CLOSED') } });
  });

  it('after a manual partial reduction: closes only what is left; a manual position elsewhere and extra size stay', async () => {
    const { user, id, position } = await openActive();
    const components = position['components'] as { symbol: string; expectedQuantity: string }[];
    const btc = Number(components.find((c) => c.symbol === 'BTCUSDT')?.expectedQuantity);
    const eth = Number(components.find((c) => c.symbol === 'ETHUSDT')?.expectedQuantity);
    // By hand on the exchange: half of BTC closed, ETH increased by 0.05, a TRX position opened.
    await t.sim.manualTrade({ apiKey: user.apiKey, symbol: 'BTCUSDT', side: 'Sell', qty: String(btc / 2), reduceOnly: true });
    await t.sim.manualTrade({ apiKey: user.apiKey, symbol: 'ETHUSDT', side: 'Buy', qty: '0.05' });
    await t.sim.manualTrade({ apiKey: user.apiKey, symbol: 'TRXUSDT', side: 'Buy', qty: '100' });

    await user.client.request('POST', `/api/positions/${id}/close`);
    const closed = await user.client.waitForStatus(id, ['CLOSED', 'ACTIVE']);
    expect(closed['status']).toBe('CLOSED');

    const account = await t.sim.account(user.apiKey);
    expect(size(account, 'BTCUSDT')).toBeUndefined();
    expect(Number(size(account, 'ETHUSDT')?.size)).toBeCloseTo(0.05, 10);
    expect(size(account, 'TRXUSDT')).toMatchObject({ side: 'Buy', size: '100' });
    const btcClose = (await t.sim.orderCreates(user.apiKey)).find((c) => c.reduceOnly === true && c.symbol === 'BTCUSDT');
    expect(Number(btcClose?.qty)).toBeCloseTo(btc / 2, 10);
    const ethClose = (await t.sim.orderCreates(user.apiKey)).find((c) => c.reduceOnly === true && c.symbol === 'ETHUSDT');
    expect(Number(ethClose?.qty)).toBeCloseTo(eth, 10);
  });

  it('a leg already flat by hand: the reduce-only order is refused by the exchange (nothing to reduce), alerted; the rest closes', async () => {
    const { user, id, position } = await openActive();
    const xrp = (position['components'] as { symbol: string; expectedQuantity: string }[]).find((c) => c.symbol === 'XRPUSDT');
    await t.sim.manualTrade({
      apiKey: user.apiKey,
      symbol: 'XRPUSDT',
      side: 'Sell',
      qty: String(Number(xrp?.expectedQuantity)),
      reduceOnly: true,
    });
    await user.client.request('POST', `/api/positions/${id}/close`);
    const closed = await user.client.waitForStatus(id, ['CLOSED', 'ACTIVE']);
    expect(closed['status']).toBe('CLOSED');
    const xrpLeg = (closed['legs'] as { purpose: string; symbol: string; status: string; unwindOutcome: string }[]).find(
      (l) => l.purpose === 'close' && l.symbol === 'XRPUSDT',
    );
    expect(xrpLeg).toMatchObject({ status: 'REJECTED', unwindOutcome: 'already_flat' });
    // A flat position list is not trusted (it may lag the fills): the order is sent, reduce-only,
    // and the exchange's refusal is what says nothing was left.
    expect(
      (await t.sim.orderCreates(user.apiKey)).filter((c) => c.reduceOnly === true && c.symbol === 'XRPUSDT').map((c) => c.retCode),
    ).toEqual([110017]);
    expect(await t.alerts()).toContainEqual(expect.objectContaining({ kind: 'close.already_flat', positionId: id }));
  });

  it("another user's position cannot be closed (404, like a missing one)", async () => {
    const { id } = await openActive();
    const stranger = await t.newUser();
    const res = await stranger.client.request('POST', `/api/positions/${id}/close`);
    expect(res.status).toBe(404);
  });
});
