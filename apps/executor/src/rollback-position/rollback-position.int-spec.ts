import Decimal from 'decimal.js';
import { eventually, startTestStack, TestStack } from '@legwork/devstack';

// Unwinding a FAILED basket: only on request (or opt-in at open), reduce-only, and the close side
// is cross-checked against the exchange: seed 004's rollback sent a BUY instead of a SELL.
describe('rolling back a failed basket', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack();
  });
  afterAll(async () => {
    await t?.stop();
  });

  const openFailingAtLeg4 = async (extra: Record<string, unknown> = {}) => {
    const user = await t.newUser();
    await t.sim.setFaults({ apiKey: user.apiKey, orderCreate: [{ effect: 'insufficientMargin', count: 1, symbol: 'DOGEUSDT' }] });
    const { body } = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '1000', direction: 'long', ...extra });
    return { user, id: String(body['positionId']) };
  };
  const rollbackCounter = async (outcome: string) => {
    const text = await (await fetch(`${t.stack.urls.executor}/metrics`)).text();
    return Number(new RegExp(`rollback_total\\{outcome="${outcome}",service="executor"\\} (\\d+)`).exec(text)?.[1] ?? 0);
  };

  it('on request: unwinds the three filled legs reduce-only and ends ROLLED_BACK, flat', async () => {
    const { user, id } = await openFailingAtLeg4();
    const failed = await user.client.waitForStatus(id, ['FAILED']);
    // The reason is a sentence (quantities as traded, no venue JSON); Bybit's code and message are fields.
    const failure = failed['failure'] as { code: string; reason: string; exchange?: { retCode: number; retMsg: string } };
    expect(failure).toEqual({
      code: 'EXECUTION.LEG_REJECTED',
      reason: expect.any(String),
      exchange: { retCode: 110007, retMsg: expect.any(String) },
    });
    expect(failure.reason).toMatch(
      /^leg 3 DOGEUSDT rejected \(EXCHANGE\.INSUFFICIENT_MARGIN: insufficient funds: [^{}]+\); filled: BTCUSDT buy 0\.\d*[1-9], /,
    );
    expect(failure.reason).not.toMatch(/retCode|\{|\d\.\d*0(,|;|$)/);
    expect(failure.reason).toContain(failure.exchange?.retMsg);
    const res = await user.client.request('POST', `/api/positions/${id}/rollback`);
    expect(res.body).toEqual({ positionId: id, status: 'ROLLING_BACK' });
    const done = await user.client.waitForStatus(id, ['ROLLED_BACK', 'FAILED']);
    expect(done['status']).toBe('ROLLED_BACK');
    // trade_commands_total: one outcome style (lower snake case), the rollback's ROLLED_BACK included.
    const commands = await eventually(
      async () => {
        const text = await (await fetch(`${t.stack.urls.executor}/metrics`)).text();
        return /trade_commands_total\{type="RollbackPosition",outcome="rolled_back",service="executor"\} [1-9]/.test(text)
          ? text
          : undefined;
      },
      { what: 'the rollback command counted as rolled_back' },
    );
    expect(commands).toMatch(/trade_commands_total\{type="OpenPosition",outcome="failed",service="executor"\} [1-9]/);
    expect(commands).not.toMatch(/trade_commands_total\{[^}]*outcome="[^"]*[A-Z]/);
    const rollbackLegs = (done['legs'] as { purpose: string; symbol: string; side: string; unwindOutcome: string }[]).filter(
      (l) => l.purpose === 'rollback',
    );
    expect(rollbackLegs.map((l) => [l.symbol, l.side, l.unwindOutcome])).toEqual([
      ['BTCUSDT', 'sell', 'closed'],
      ['ETHUSDT', 'sell', 'closed'],
      ['XRPUSDT', 'sell', 'closed'],
    ]);
    expect((await t.sim.account(user.apiKey)).positions).toEqual([]);
    expect((done['history'] as { to: string; reason: string }[]).at(-1)?.reason).toMatch(
      /^rolled back: 3 legs \(BTCUSDT closed, ETHUSDT closed, XRPUSDT closed\)$/,
    );
    // Realised P&L from the open and rollback fills, fees included (no mark price needed).
    const pnl = done['pnl'] as {
      source: string;
      totalUsdt: string;
      realisedUsdt: string;
      feesUsdt: string;
      perSymbol: { netQuantity: string }[];
    };
    expect(pnl).toMatchObject({ source: 'fills', unrealisedUsdt: null, markPricesAt: null });
    expect(pnl.perSymbol.map((s) => s.netQuantity)).toEqual(['0', '0', '0']);
    expect(Number(pnl.feesUsdt)).toBeGreaterThan(0);
    expect(pnl.totalUsdt).toBe(new Decimal(pnl.realisedUsdt).minus(pnl.feesUsdt).toFixed());
  });

  it('a side flipped by hand: nothing is sent for that leg, an alert names it, the position stays FAILED', async () => {
    const before = await rollbackCounter('side_mismatch');
    const { user, id } = await openFailingAtLeg4();
    const failed = await user.client.waitForStatus(id, ['FAILED']);
    const btc = (failed['legs'] as { symbol: string; filledQuantity: string }[]).find((l) => l.symbol === 'BTCUSDT');
    // By hand: sell twice what we bought — the account is now SHORT BTC.
    await t.sim.manualTrade({ apiKey: user.apiKey, symbol: 'BTCUSDT', side: 'Sell', qty: String(Number(btc?.filledQuantity) * 2) });

    await user.client.request('POST', `/api/positions/${id}/rollback`);
    const after = await user.client.waitForStatus(id, ['ROLLED_BACK', 'FAILED']);
    expect(after['status']).toBe('FAILED');
    expect(after['failure']).toEqual({ code: 'ROLLBACK.INCOMPLETE', reason: expect.stringContaining('BTCUSDT side_mismatch') });
    const creates = await t.sim.orderCreates(user.apiKey);
    expect(creates.filter((c) => c.reduceOnly === true && c.symbol === 'BTCUSDT')).toEqual([]);
    expect(creates.filter((c) => c.reduceOnly === true).map((c) => [c.symbol, c.side])).toEqual([
      ['ETHUSDT', 'Sell'],
      ['XRPUSDT', 'Sell'],
    ]);
    const account = await t.sim.account(user.apiKey);
    expect(account.positions.map((p) => [p.symbol, p.side])).toEqual([['BTCUSDT', 'Sell']]);
    expect(await t.alerts()).toContainEqual(
      expect.objectContaining({
        kind: 'rollback.side_mismatch',
        severity: 'critical',
        positionId: id,
        summary: expect.stringContaining('NOTHING SENT'),
      }),
    );
    expect(await rollbackCounter('side_mismatch')).toBe(before + 1);
  });

  it('opt-in onPartialFailure: "rollback" unwinds automatically after the failed leg', async () => {
    const { user, id } = await openFailingAtLeg4({ onPartialFailure: 'rollback' });
    const done = await user.client.waitForStatus(id, ['ROLLED_BACK'], 60_000);
    expect((done['history'] as { to: string }[]).map((h) => h.to)).toEqual([
      'PENDING',
      'EXECUTING',
      'FAILED',
      'ROLLING_BACK',
      'ROLLED_BACK',
    ]);
    expect((await t.sim.account(user.apiKey)).positions).toEqual([]);
  });

  it('only a FAILED position can be rolled back', async () => {
    const user = await t.newUser();
    const { body } = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '1000', direction: 'long' });
    await user.client.waitForStatus(String(body['positionId']), ['ACTIVE']);
    const res = await user.client.request('POST', `/api/positions/${String(body['positionId'])}/rollback`);
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ error: { code: 'POSITION.NOT_ROLLBACKABLE', message: expect.stringContaining('ACTIVE') } });
  });
});
