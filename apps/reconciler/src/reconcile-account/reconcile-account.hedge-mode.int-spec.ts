import Decimal from 'decimal.js';
import { startTestStack, TestStack } from '@legwork/devstack';

// Hedge mode against the simulator: Bybit keeps a long side (positionIdx 1) and a short side
// (positionIdx 2) per symbol, so a long and a short basket sharing BTCUSDT on one account are two
// exchange positions. Reconciliation and orphan detection work per (account, symbol, side): a
// change to one side never shows up on the other, and an orphan is named with its side.
const SCAN_ENV = {
  RECONCILER_CRON: '0 0 1 1 *', // scans are triggered by the test, one window at a time
  ORPHAN_MONITOR_CRON: '0 0 1 1 *',
  ORPHAN_GRACE_MS: '500',
  SCAN_RETRY_DELAYS_MS: '300,600',
};
const INDEX = {
  components: [
    { symbol: 'BTCUSDT', weight: '60' },
    { symbol: 'ETHUSDT', weight: '40' },
  ],
};
const LONG_SIDE = 1 as const;
const SHORT_SIDE = 2 as const;

type User = Awaited<ReturnType<TestStack['newUser']>>;

describe('reconciliation and orphans on a hedge-mode account', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack({ services: ['bybit-sim', 'gateway', 'executor', 'reconciler', 'orphan-monitor'], env: SCAN_ENV });
  });
  afterAll(async () => {
    await t?.stop();
  });

  const openActive = async (user: User, direction: 'long' | 'short') => {
    const { body } = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '1000', direction });
    const position = await user.client.waitForStatus(String(body['positionId']), ['ACTIVE']);
    const btc = (position['components'] as { symbol: string; expectedQuantity: string }[]).find((c) => c.symbol === 'BTCUSDT')
      ?.expectedQuantity as string;
    return { id: String(position['id']), btc };
  };
  const view = async (user: User, id: string) => (await user.client.getPosition(id)).body;

  it('a long and a short basket share BTCUSDT: both IN_SYNC; a manual reduction of the short side alters only the short basket', async () => {
    const user = await t.newUser({ positionMode: 'hedge', index: INDEX, balanceUsdt: '20000' });
    const long = await openActive(user, 'long');
    const short = await openActive(user, 'short');
    expect(
      (await t.db.query('SELECT DISTINCT position_mode FROM synthetic_positions WHERE account_id = $1', [user.accountId])).map(
        (r: { position_mode: string }) => r.position_mode,
      ),
    ).toEqual(['hedge']);

    await t.scan('reconcile');
    for (const id of [long.id, short.id]) expect(await view(user, id)).toMatchObject({ health: 'IN_SYNC', deviations: [] });

    // By hand, about half of the short side is bought back (reduce-only, positionIdx 2), in whole qty steps.
    const held = new Decimal(short.btc);
    const half = held.div(2).toDecimalPlaces(3, Decimal.ROUND_DOWN);
    const remaining = held.minus(half);
    await t.sim.manualTrade({
      apiKey: user.apiKey,
      symbol: 'BTCUSDT',
      side: 'Buy',
      qty: half.toFixed(),
      reduceOnly: true,
      positionIdx: SHORT_SIDE,
    });
    await t.scan('reconcile');

    const shortView = await view(user, short.id);
    expect(shortView['health']).toBe('ALTERED');
    expect(shortView['deviations']).toEqual([
      expect.objectContaining({
        symbol: 'BTCUSDT',
        expected: held.neg().toFixed(),
        actual: remaining.neg().toFixed(),
        delta: half.toFixed(),
        explanation: `BTCUSDT short side: expected \u2212${held.toFixed(3)}, actual \u2212${remaining.toFixed(3)}, Δ +${half.toFixed(3)}`,
        clearedAt: null,
      }),
    ]);
    expect(await view(user, long.id)).toMatchObject({ health: 'IN_SYNC', deviations: [] });
    const altered = (await t.alerts()).filter((a) => a.accountId === user.accountId && a.kind === 'position.altered');
    expect(altered.map((a) => a.positionId)).toEqual([short.id]);
    expect(altered[0]?.summary).toContain('BTCUSDT short side: expected');
    expect(altered[0]?.details['deviations']).toEqual([expect.objectContaining({ symbol: 'BTCUSDT', hedgeSide: 'short' })]);

    // Restore balance works on the short side alone: the long side's BTC is neither counted nor touched.
    const plan = await user.client.request('GET', `/api/positions/${short.id}/restore-plan`);
    expect(plan.status).toBe(200);
    expect(plan.body['trades']).toEqual([
      expect.objectContaining({
        symbol: 'BTCUSDT',
        hedgeSide: 'short',
        side: 'sell',
        reduceOnly: false,
        description: `Sell ${half.toFixed(3)} BTCUSDT short side`,
      }),
    ]);
    expect(plan.body['exchangePositions']).toEqual({ 'BTCUSDT:short': remaining.neg().toFixed(), 'ETHUSDT:short': expect.any(String) });
    expect((await user.client.request('POST', `/api/positions/${short.id}/restore`, { planId: plan.body['planId'] })).status).toBe(202);
    let restored: Record<string, unknown> = {};
    for (let i = 0; i < 100 && restored['health'] !== 'IN_SYNC'; i += 1) {
      await new Promise((r) => setTimeout(r, 200));
      restored = await view(user, short.id);
    }
    expect(restored['health']).toBe('IN_SYNC');
    const sides = (await t.sim.account(user.apiKey)).positions.filter((p) => p.symbol === 'BTCUSDT').map((p) => [p.positionIdx, p.size]);
    expect(sides.sort()).toEqual([
      [LONG_SIDE, long.btc],
      [SHORT_SIDE, short.btc],
    ]);
  });

  it('an unexplained short side beside a tracked long side: an orphan on the short side, confirmed after two scans; the long basket stays IN_SYNC', async () => {
    const user = await t.newUser({ positionMode: 'hedge', index: INDEX });
    const long = await openActive(user, 'long');
    await new Promise((r) => setTimeout(r, 600)); // past the grace for our own fresh fills
    // By hand, a short opened on the short side of the symbol the long basket holds.
    await t.sim.manualTrade({ apiKey: user.apiKey, symbol: 'BTCUSDT', side: 'Sell', qty: '0.002', positionIdx: SHORT_SIDE });

    await t.scan('orphans');
    const first = await t.db.query(
      'SELECT symbol, hedge_side, side, size, status, consecutive_scans FROM orphan_observations WHERE account_id = $1',
      [user.accountId],
    );
    expect(first).toEqual([
      { symbol: 'BTCUSDT', hedge_side: 'short', side: 'short', size: '0.0020000000', status: 'suspected', consecutive_scans: 1 },
    ]);

    await t.scan('orphans');
    const alerts = (await t.alerts()).filter((a) => a.accountId === user.accountId && a.kind.startsWith('orphan.'));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      kind: 'orphan.detected',
      severity: 'warning',
      summary: expect.stringMatching(/^Untracked short 0\.002 BTCUSDT short side on account .*Legwork expects 0\).*a manual trade/),
      details: expect.objectContaining({ symbol: 'BTCUSDT', hedgeSide: 'short', side: 'short', size: '0.002', origin: 'manual_trade' }),
    });

    // Not netted: in one-way mode this short would have read as a reduction of the long basket.
    await t.scan('reconcile');
    expect(await view(user, long.id)).toMatchObject({ health: 'IN_SYNC', deviations: [] });

    // Size beyond ours on the long side is the long side's own orphan, followed on its own.
    await t.sim.manualTrade({ apiKey: user.apiKey, symbol: 'BTCUSDT', side: 'Buy', qty: '0.001', positionIdx: LONG_SIDE });
    await t.scan('orphans');
    const rows = await t.db.query(
      'SELECT hedge_side, side, size, status, consecutive_scans FROM orphan_observations WHERE account_id = $1 ORDER BY hedge_side',
      [user.accountId],
    );
    expect(rows).toEqual([
      { hedge_side: 'long', side: 'long', size: '0.0010000000', status: 'suspected', consecutive_scans: 1 },
      { hedge_side: 'short', side: 'short', size: '0.0020000000', status: 'confirmed', consecutive_scans: 3 },
    ]);
  });
});
