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
    expect(decideUnwindLeg({ symbol: 'ETHUSDT', side: 'sell', quantity: '2' }, { side: 'short', size: '2' })).toMatchObject({ side: 'buy' });
  });

  it('sends only what is left after a manual partial close', () => {
    expect(decideUnwindLeg({ symbol: 'BTCUSDT', side: 'buy', quantity: '0.1' }, { side: 'long', size: '0.05' })).toMatchObject({ quantity: '0.05' });
  });

  it('leaves extra size added by hand untouched', () => {
    expect(decideUnwindLeg({ symbol: 'BTCUSDT', side: 'buy', quantity: '0.1' }, { side: 'long', size: '0.3' })).toMatchObject({ quantity: '0.1' });
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
    expect(decision).toEqual({ action: 'refuse', outcome: 'side_mismatch', reason: expect.stringContaining('we hold short 86 but the exchange position is long 86') });
  });
});
