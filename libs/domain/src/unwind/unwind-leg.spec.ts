import { decideUnwindLeg } from './unwind-leg';

describe('decideUnwindLeg', () => {
  it('closes a bought leg by selling exactly the recorded quantity', () => {
    expect(decideUnwindLeg({ symbol: 'BTCUSDT', side: 'buy', quantity: '0.1' }, { side: 'long', size: '0.1' })).toEqual({
      action: 'send',
      side: 'sell',
      quantity: '0.1',
      exchangeShowedFlat: false,
    });
  });

  it('closes a sold leg by buying', () => {
    expect(decideUnwindLeg({ symbol: 'ETHUSDT', side: 'sell', quantity: '2' }, { side: 'short', size: '2' })).toMatchObject({
      side: 'buy',
    });
  });

  it('sends only what is left after a manual partial close', () => {
    expect(decideUnwindLeg({ symbol: 'BTCUSDT', side: 'buy', quantity: '0.1' }, { side: 'long', size: '0.05' })).toMatchObject({
      quantity: '0.05',
    });
  });

  it('leaves extra size added by hand untouched', () => {
    expect(decideUnwindLeg({ symbol: 'BTCUSDT', side: 'buy', quantity: '0.1' }, { side: 'long', size: '0.3' })).toMatchObject({
      quantity: '0.1',
    });
  });

  it('a flat view is not trusted (it may lag the fills): the recorded quantity is sent reduce-only, for the exchange to refuse', () => {
    expect(decideUnwindLeg({ symbol: 'BTCUSDT', side: 'buy', quantity: '0.1' }, { side: 'flat', size: '0' })).toEqual({
      action: 'send',
      side: 'sell',
      quantity: '0.1',
      exchangeShowedFlat: true,
    });
  });

  it('seed 004: a position on the other side is refused — nothing is sent, never a guessed side', () => {
    const decision = decideUnwindLeg({ symbol: 'XRPUSDT', side: 'sell', quantity: '86' }, { side: 'long', size: '86' });
    expect(decision).toEqual({
      action: 'refuse',
      outcome: 'side_mismatch',
      reason: expect.stringContaining('we hold short 86 but the exchange position is long 86'),
    });
  });
});

// Issue 11: one account, two long baskets sharing BTCUSDT (one-way mode: one net position).
describe('decideUnwindLeg beside other positions of the account', () => {
  const others = { quantity: '0.003', positions: [{ positionId: 'p-short-neighbour', quantity: '0.003' }] };

  it('sends the whole recorded quantity when the exchange holds ours and theirs', () => {
    expect(decideUnwindLeg({ symbol: 'BTCUSDT', side: 'buy', quantity: '0.004' }, { side: 'long', size: '0.007' }, others)).toEqual({
      action: 'send',
      side: 'sell',
      quantity: '0.004',
      exchangeShowedFlat: false,
    });
  });

  it('never takes what the other position expects: caps the order and reports the shortfall', () => {
    const decision = decideUnwindLeg({ symbol: 'BTCUSDT', side: 'buy', quantity: '0.004' }, { side: 'long', size: '0.005' }, others);
    expect(decision).toEqual({
      action: 'send',
      side: 'sell',
      quantity: '0.002',
      exchangeShowedFlat: false,
      shortfall: { recorded: '0.004', available: '0.002', exchangeSize: '0.005', others: others.positions },
    });
  });

  it('sends nothing when everything left is the other position’s', () => {
    const decision = decideUnwindLeg({ symbol: 'BTCUSDT', side: 'buy', quantity: '0.004' }, { side: 'long', size: '0.003' }, others);
    expect(decision).toMatchObject({ action: 'skip', outcome: 'already_flat', shortfall: { available: '0' } });
  });

  it('a flat view that contradicts the other position is not trusted: wait and read again', () => {
    expect(decideUnwindLeg({ symbol: 'BTCUSDT', side: 'buy', quantity: '0.004' }, { side: 'flat', size: '0' }, others)).toMatchObject({
      action: 'wait',
    });
  });
});

// The soak (seed 776119542): a position list lagging 1–10 s while a neighbouring basket filled.
describe('decideUnwindLeg against a position list that lags the account’s fills', () => {
  const others = { quantity: '0.024', positions: [{ positionId: 'p-neighbour-just-filled', quantity: '0.024' }] };
  const held = { symbol: 'BTCUSDT', side: 'buy' as const, quantity: '0.005' };
  const fillAtMs = Date.parse('2026-11-29T22:37:03.683Z');

  it('a view older than the latest fill that would leave this leg nothing: wait, never already_flat', () => {
    const decision = decideUnwindLeg(held, { side: 'long', size: '0.024', updatedAtMs: fillAtMs - 4_000 }, others, fillAtMs);
    expect(decision).toEqual({ action: 'wait', reason: expect.stringContaining('the list lags') });
  });

  it('a view older than the latest fill that would cap this leg: wait, no shortfall alerted', () => {
    expect(decideUnwindLeg(held, { side: 'long', size: '0.026', updatedAtMs: fillAtMs - 1 }, others, fillAtMs)).toMatchObject({
      action: 'wait',
    });
  });

  it('a view as new as the latest fill is trusted: what it lacks is a real shortfall', () => {
    expect(decideUnwindLeg(held, { side: 'long', size: '0.024', updatedAtMs: fillAtMs }, others, fillAtMs)).toMatchObject({
      action: 'skip',
      outcome: 'already_flat',
    });
  });

  it('an old view that leaves the whole recorded quantity is used: at most what we recorded is sent', () => {
    expect(decideUnwindLeg(held, { side: 'long', size: '0.029', updatedAtMs: fillAtMs - 4_000 }, others, fillAtMs)).toEqual({
      action: 'send',
      side: 'sell',
      quantity: '0.005',
      exchangeShowedFlat: false,
    });
  });

  it('without the exchange’s update time (or without a fill) the view is judged as before', () => {
    expect(decideUnwindLeg(held, { side: 'long', size: '0.024' }, others, fillAtMs)).toMatchObject({ action: 'skip' });
    expect(decideUnwindLeg(held, { side: 'long', size: '0.024', updatedAtMs: 1 }, others, null)).toMatchObject({ action: 'skip' });
  });
});

// The soak (seed 476620802): a neighbour's close filled on the exchange, its answer lost (timeout
// after accept), still being verified while this close decided.
describe('decideUnwindLeg while another position’s unwind order is not settled', () => {
  const held = { symbol: 'BTCUSDT', side: 'buy' as const, quantity: '0.003' };
  const others = {
    quantity: '0.005',
    positions: [{ positionId: 'p-neighbour-closing', quantity: '0.005' }],
    unsettledUnwinds: [{ positionId: 'p-neighbour-closing', orderLinkId: 'lwNeighbourClose000' }],
  };

  it('the exchange holds less than both expect: wait until it settles, never already_flat', () => {
    expect(decideUnwindLeg(held, { side: 'long', size: '0.003' }, others)).toEqual({
      action: 'wait',
      reason: expect.stringContaining("position p-neighbour-closing's order lwNeighbourClose000 is not settled"),
    });
  });

  it('the exchange still holds both: the whole leg is sent, no need to wait', () => {
    expect(decideUnwindLeg(held, { side: 'long', size: '0.008' }, others)).toMatchObject({ action: 'send', quantity: '0.003' });
  });
});
