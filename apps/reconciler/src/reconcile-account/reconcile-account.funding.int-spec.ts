import Decimal from 'decimal.js';
import { startTestStack, TestStack } from '@legwork/devstack';

// Funding on an ACTIVE position (issue 16): the exchange settles it on the whole exchange
// position as a `Funding` execution. It is money, not a trade: legs, components and health stay
// as they were, no fill is recorded, no orphan appears, and P&L shows it as its own figure.
const SCAN_ENV = {
  RECONCILER_CRON: '0 0 1 1 *',
  ORPHAN_MONITOR_CRON: '0 0 1 1 *',
  ORPHAN_GRACE_MS: '500',
  SCAN_RETRY_DELAYS_MS: '300,600',
  BYBIT_SIM_PRICE_TICK_MS: '0',
};

interface Pnl {
  totalUsdt: string;
  realisedUsdt: string;
  unrealisedUsdt: string;
  feesUsdt: string;
  fundingUsdt: string;
  funding: {
    symbol: string;
    side: string;
    fundingRate: string;
    heldQuantity: string;
    positionSize: string;
    fundingUsdt: string;
    settledAt: string;
  }[];
}

describe('funding settled on an ACTIVE position', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack({ services: ['bybit-sim', 'gateway', 'executor', 'reconciler', 'orphan-monitor'], env: SCAN_ENV });
  });
  afterAll(async () => {
    await t?.stop();
  });

  const tradeRows = async (positionId: string) =>
    Number((await t.db.query<{ n: string }[]>('SELECT count(*) AS n FROM trades WHERE position_id = $1', [positionId]))[0]?.n);

  // Issue 18: a settlement changes the realised P&L of the rows it was charged on, so a scan reads
  // the account's funding executions only when the rows changed since its last full read.
  it('reads funding only when a settlement can have happened since the last read, and then records it', async () => {
    const user = await t.newUser();
    const { body } = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '1000', direction: 'long' });
    const id = String(body['positionId']);
    await user.client.waitForStatus(id, ['ACTIVE']);
    const fundingReads = async () => (await t.sim.requests({ path: '/v5/execution/list', apiKey: user.apiKey })).length;
    await t.scan('reconcile');
    const afterFirstScan = await fundingReads();

    await t.scan('reconcile');
    expect(await fundingReads()).toBe(afterFirstScan); // the same rows: nothing can have settled

    const settled = (await t.sim.settleFunding()).filter((s) => s.apiKey === user.apiKey);
    await t.scan('reconcile');
    expect(await fundingReads()).toBe(afterFirstScan + 1);
    const pnl = (await user.client.getPosition(id)).body['pnl'] as Pnl;
    expect(pnl.funding).toHaveLength(settled.length);
    expect(pnl.fundingUsdt).toBe(
      settled
        .reduce((sum, s) => sum.plus(s.execFee), new Decimal(0))
        .neg()
        .toFixed(),
    );

    await t.scan('reconcile');
    expect(await fundingReads()).toBe(afterFirstScan + 1);
  });

  it('changes neither legs, components nor health, is no fill and no orphan, and P&L shows it apart', async () => {
    const user = await t.newUser();
    const { body } = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '1000', direction: 'long' });
    const id = String(body['positionId']);
    await user.client.waitForStatus(id, ['ACTIVE']);
    await t.scan('reconcile');
    const before = (await user.client.getPosition(id)).body;
    const tradesBefore = await tradeRows(id);
    expect((before['pnl'] as Pnl).fundingUsdt).toBe('0');

    // A negative rate on XRPUSDT: the long receives there, and pays on the others.
    await t.sim.setFundingRates({ XRPUSDT: '-0.0003' });
    const settlements = await t.sim.settleFunding();
    const ours = settlements.filter((s) => s.apiKey === user.apiKey);
    expect(ours.map((s) => s.symbol).sort()).toEqual(['BTCUSDT', 'DOGEUSDT', 'ETHUSDT', 'LTCUSDT', 'XRPUSDT']);

    const { runs } = await t.scan('reconcile');
    expect(runs.find((r) => r.accountId === user.accountId)?.status).toBe('done');
    await t.scan('reconcile'); // read again: a settlement is recorded once
    await t.scan('orphans');
    await t.scan('orphans');

    const after = (await user.client.getPosition(id)).body;
    expect(after['status']).toBe('ACTIVE');
    expect(after['health']).toBe('IN_SYNC');
    expect(after['legs']).toEqual(before['legs']);
    expect(after['components']).toEqual(before['components']);
    expect(after['deviations']).toEqual([]);
    expect(await tradeRows(id)).toBe(tradesBefore);
    expect(await t.db.query('SELECT symbol FROM orphan_observations WHERE account_id = $1', [user.accountId])).toEqual([]);
    expect((await t.alerts()).filter((a) => a.accountId === user.accountId).map((a) => a.kind)).toEqual([]);

    // The position is the whole exchange position in each symbol: it gets each settlement whole.
    const pnl = after['pnl'] as Pnl;
    const paid = ours.reduce((sum, s) => sum.plus(s.execFee), new Decimal(0));
    expect(pnl.fundingUsdt).toBe(paid.neg().toFixed());
    expect(pnl.funding.map((f) => [f.symbol, f.side, f.fundingRate, f.positionSize, f.fundingUsdt]).sort()).toEqual(
      ours
        .map((s) => [
          s.symbol,
          'buy',
          new Decimal(s.feeRate).toFixed(),
          new Decimal(s.execQty).toFixed(),
          new Decimal(s.execFee).neg().toFixed(),
        ])
        .sort(),
    );
    expect(new Decimal(pnl.funding.find((f) => f.symbol === 'XRPUSDT')?.fundingUsdt ?? '0').gt(0)).toBe(true);
    expect(new Decimal(pnl.realisedUsdt).plus(pnl.unrealisedUsdt).minus(pnl.feesUsdt).plus(pnl.fundingUsdt).toFixed()).toBe(
      new Decimal(pnl.totalUsdt).toFixed(),
    );
    const listed = (await user.client.request('GET', '/api/positions')).body['positions'] as { id: string; pnl: Pnl }[];
    expect(listed.find((p) => p.id === id)?.pnl.fundingUsdt).toBe(pnl.fundingUsdt);
  });

  it('two baskets and a manual buy share one exchange position: each basket gets its share of the settlement, the manual part stays unattributed', async () => {
    const user = await t.newUser({ balanceUsdt: '20000' });
    const open = async () => {
      const { body } = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '1000', direction: 'long' });
      return String((await user.client.waitForStatus(String(body['positionId']), ['ACTIVE']))['id']);
    };
    const a = await open();
    const b = await open();
    await t.sim.manualTrade({ apiKey: user.apiKey, symbol: 'BTCUSDT', side: 'Buy', qty: '0.004' });
    const [settlement] = (await t.sim.settleFunding('BTCUSDT')).filter((s) => s.apiKey === user.apiKey);
    if (!settlement) throw new Error('no BTCUSDT settlement for the account');
    await t.scan('reconcile');

    const btc = async (id: string) => {
      const body = (await user.client.getPosition(id)).body;
      const held =
        (body['components'] as { symbol: string; expectedQuantity: string }[]).find((c) => c.symbol === 'BTCUSDT')?.expectedQuantity ?? '0';
      return { held, funding: (body['pnl'] as Pnl).funding.filter((f) => f.symbol === 'BTCUSDT') };
    };
    for (const id of [a, b]) {
      const { held, funding } = await btc(id);
      // q / S of the settlement: the exchange holds both baskets' BTC and the manual 0.004.
      const share = new Decimal(settlement.execFee).times(held).div(settlement.execQty).neg().toDecimalPlaces(8).toFixed();
      expect(funding.map((f) => [f.heldQuantity, f.positionSize, f.fundingUsdt])).toEqual([
        [new Decimal(held).toFixed(), new Decimal(settlement.execQty).toFixed(), share],
      ]);
    }
    const [row] = await t.db.query<{ sum: string }[]>('SELECT SUM(funding_usdt)::text AS sum FROM position_funding WHERE exec_id = $1', [
      settlement.execId,
    ]);
    expect(new Decimal(row?.sum ?? '0').abs().gt(0)).toBe(true);
    expect(new Decimal(row?.sum ?? '0').abs().lt(new Decimal(settlement.execFee).abs())).toBe(true);
  });
});
