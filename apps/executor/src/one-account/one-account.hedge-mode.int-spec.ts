import { startTestStack, TestStack } from '@legwork/devstack';

type Leg = { symbol: string; purpose: string; status: string; unwindOutcome: string | null };
type Component = { symbol: string; expectedQuantity: string };

// Issue 11, replayed in hedge mode: a SHORT basket ACTIVE, then a LONG basket on the same account
// fails mid-basket and is rolled back. Each lives on its own side of every symbol (Bybit positionIdx
// 1 = long, 2 = short), so the rollback reduces only the long side and the SHORT keeps all it has.
describe('one account, many baskets (hedge mode)', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack({ services: ['bybit-sim', 'gateway', 'executor'] });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('a long basket rolled back beside an ACTIVE short one takes nothing from the short side', async () => {
    const user = await t.newUser({ positionMode: 'hedge' });
    const short = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '500', direction: 'short' });
    const shortId = String(short.body['positionId']);
    const shortActive = await user.client.waitForStatus(shortId, ['ACTIVE']);
    const shortComponents = shortActive['components'] as Component[];

    await t.sim.setFaults({ apiKey: user.apiKey, orderCreate: [{ effect: 'insufficientMargin', count: 1, symbol: 'DOGEUSDT' }] });
    const long = await user.client.openPosition({
      indexId: user.indexId,
      notionalUsdt: '800',
      direction: 'long',
      onPartialFailure: 'rollback',
    });
    expect(long.status).toBe(202); // no one-way refusal: the sides are separate
    const longId = String(long.body['positionId']);
    const rolledBack = await user.client.waitForStatus(longId, ['ROLLED_BACK', 'FAILED'], 90_000);
    expect(rolledBack['status']).toBe('ROLLED_BACK');
    // The legs filled before DOGEUSDT was refused, each unwound whole on the long side.
    expect((rolledBack['legs'] as Leg[]).filter((l) => l.purpose === 'rollback').map((l) => [l.symbol, l.unwindOutcome])).toEqual([
      ['BTCUSDT', 'closed'],
      ['ETHUSDT', 'closed'],
      ['XRPUSDT', 'closed'],
    ]);

    // Orders went to the side of their basket: opens of the short on 2, of the long on 1, and the
    // long's reduce-only sells on 1.
    const creates = await t.sim.orderCreates(user.apiKey);
    const idx = (r: { positionIdx: number | null }) => r.positionIdx;
    expect(creates.filter((r) => r.side === 'Sell' && r.reduceOnly !== true).every((r) => idx(r) === 2)).toBe(true);
    expect(creates.filter((r) => r.side === 'Buy').every((r) => idx(r) === 1)).toBe(true);
    expect(creates.filter((r) => r.reduceOnly === true).every((r) => r.side === 'Sell' && idx(r) === 1)).toBe(true);

    const positions = (await t.sim.account(user.apiKey)).positions;
    for (const c of shortComponents) {
      expect(positions.find((p) => p.symbol === c.symbol && p.positionIdx === 2)?.size).toBe(c.expectedQuantity);
    }
    expect(positions.filter((p) => p.positionIdx === 1)).toEqual([]);

    // The short closes whole: every leg of it was still there.
    expect((await user.client.request('POST', `/api/positions/${shortId}/close`)).status).toBe(202);
    const closed = await user.client.waitForStatus(shortId, ['CLOSED', 'ACTIVE']);
    expect((closed['legs'] as Leg[]).filter((l) => l.purpose === 'close').every((l) => l.unwindOutcome === 'closed')).toBe(true);
    expect((await t.sim.account(user.apiKey)).positions).toEqual([]);
  });

  it('a position mode changed behind Legwork\u2019s back fails the basket in its pre-checks, before any order', async () => {
    const user = await t.newUser({ positionMode: 'hedge' });
    // Legwork recorded hedge mode; the account is switched back to one-way in the app (it is flat).
    await t.sim.setPositionMode({ apiKey: user.apiKey, mode: 'OneWay' });
    const { body } = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '500', direction: 'long' });
    const failed = await user.client.waitForStatus(String(body['positionId']), ['FAILED', 'ACTIVE']);
    expect(failed['failure']).toMatchObject({ code: 'ACCOUNT.POSITION_MODE_CHANGED', reason: expect.stringContaining('BTCUSDT one_way') });
    expect(await t.sim.orderCreates(user.apiKey)).toEqual([]);
  });
});
