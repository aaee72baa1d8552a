import fc from 'fast-check';
import { Dec } from './decimal';
import { FillInput, applyFill, flatPosition, positionSide, unrealisedPnl } from './position-math';
import { PositionState, Side } from './types';

const fill = (side: Side, qty: string, price: string, fee = '0', time = 1): FillInput => ({
  symbol: 'BTCUSDT',
  side,
  qty: new Dec(qty),
  price: new Dec(price),
  fee: new Dec(fee),
  time,
  seq: time,
});

const run = (...fills: FillInput[]): { position: PositionState; realised: Dec } => {
  let position = flatPosition('BTCUSDT', 0);
  let realised = new Dec(0);
  for (const next of fills) {
    const outcome = applyFill(position, next);
    position = outcome.next;
    realised = realised.plus(outcome.realisedPnl);
  }
  return { position, realised };
};

describe('one-way position arithmetic', () => {
  it('opens from flat at the fill price', () => {
    const { position } = run(fill('Buy', '0.01', '65000'));
    expect(position.size.toFixed()).toBe('0.01');
    expect(position.entryPrice.toFixed()).toBe('65000');
    expect(positionSide(position.size)).toBe('Buy');
  });

  it('an increase moves the entry to the size-weighted average', () => {
    const { position } = run(fill('Buy', '1', '100'), fill('Buy', '3', '200'));
    expect(position.size.toFixed()).toBe('4');
    expect(position.entryPrice.toFixed()).toBe('175');
  });

  it('keeps 8 decimals of a repeating average', () => {
    const { position } = run(fill('Sell', '1', '100'), fill('Sell', '2', '101'));
    expect(position.entryPrice.toFixed()).toBe('100.66666667');
    expect(positionSide(position.size)).toBe('Sell');
  });

  it('a reduction realises PnL and leaves the entry unchanged', () => {
    const outcome = applyFill(run(fill('Buy', '2', '100')).position, fill('Sell', '0.5', '110'));
    expect(outcome.realisedPnl.toFixed()).toBe('5');
    expect(outcome.closedSize.toFixed()).toBe('0.5');
    expect(outcome.openedSize.toFixed()).toBe('0');
    expect(outcome.next.size.toFixed()).toBe('1.5');
    expect(outcome.next.entryPrice.toFixed()).toBe('100');
  });

  it('a short gains when the price falls', () => {
    const { realised } = run(fill('Sell', '2', '100'), fill('Buy', '2', '90'));
    expect(realised.toFixed()).toBe('20');
  });

  it('closing to zero leaves a flat position', () => {
    const { position } = run(fill('Buy', '1', '100'), fill('Sell', '1', '120'));
    expect(position.size.isZero()).toBe(true);
    expect(positionSide(position.size)).toBe('');
    expect(unrealisedPnl(position, new Dec(500)).toFixed()).toBe('0');
  });

  it('crossing zero flips the side with the fill price as new entry', () => {
    const outcome = applyFill(run(fill('Buy', '1', '100')).position, fill('Sell', '3', '90'));
    expect(outcome.realisedPnl.toFixed()).toBe('-10');
    expect(outcome.closedSize.toFixed()).toBe('1');
    expect(outcome.openedSize.toFixed()).toBe('2');
    expect(outcome.next.size.toFixed()).toBe('-2');
    expect(outcome.next.entryPrice.toFixed()).toBe('90');
  });

  it('charges fees to the realised PnL fields', () => {
    const { position } = run(fill('Buy', '1', '100', '0.055'), fill('Sell', '1', '110', '0.0605'));
    expect(position.cumRealisedPnl.toFixed()).toBe('9.8845');
  });

  it('size is always the sum of signed fills; realised + unrealised equals the mark-to-market of all fills', () => {
    const fillArb = fc.record({
      buy: fc.boolean(),
      qty: fc.integer({ min: 1, max: 1000 }),
      price: fc.integer({ min: 1, max: 100_000 }),
    });
    fc.assert(
      fc.property(fc.array(fillArb, { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 100_000 }), (fills, markInt) => {
        // Integer qty and prices keep the average exact enough to compare to 1e-6.
        const inputs = fills.map((f, index) => fill(f.buy ? 'Buy' : 'Sell', String(f.qty), String(f.price), '0', index + 1));
        const { position, realised } = run(...inputs);
        const mark = new Dec(markInt);
        const signedSum = inputs.reduce((sum, f) => sum.plus(f.side === 'Buy' ? f.qty : f.qty.neg()), new Dec(0));
        expect(position.size.eq(signedSum)).toBe(true);
        // Cash view: Σ signed qty × (mark − price) over all fills.
        const cash = inputs.reduce((sum, f) => sum.plus((f.side === 'Buy' ? f.qty : f.qty.neg()).mul(mark.minus(f.price))), new Dec(0));
        const total = realised.plus(unrealisedPnl(position, mark));
        expect(
          total
            .minus(cash)
            .abs()
            .lessThan(new Dec('0.001').mul(position.size.abs().plus(1))),
        ).toBe(true);
      }),
    );
  });
});
