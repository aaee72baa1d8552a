import { describeDriftCause, driftCauseFromBybit, isDriftCause } from './drift-cause';

describe('driftCauseFromBybit', () => {
  it('names the cause Bybit gives (execType, createType)', () => {
    expect(
      [
        ['Trade', 'CreateByClosing'],
        ['BustTrade', 'CreateByLiq'],
        ['BustTrade', ''],
        ['Trade', 'CreateByLiq'],
        ['AdlTrade', ''],
        ['Trade', 'CreateByAdl_PassThrough'],
        ['Delivery', ''],
        ['Trade', 'CreateByUser'],
        ['Trade', ''],
      ].map(([execType, createType]) => driftCauseFromBybit(execType ?? '', createType ?? '')),
    ).toEqual(['manual_close', 'liquidation', 'liquidation', 'liquidation', 'adl', 'adl', 'delivery', 'trade', 'trade']);
  });

  it('funding and unknown rows move no position', () => {
    expect(driftCauseFromBybit('Funding', '')).toBeNull();
    expect(driftCauseFromBybit('MovePosition', '')).toBeNull();
  });

  it('describes each cause in words', () => {
    expect(describeDriftCause('manual_close')).toBe('closed by hand in the Bybit app');
    expect(describeDriftCause('liquidation')).toBe('liquidated by the exchange');
    expect(describeDriftCause('adl')).toBe('auto-deleveraged by the exchange');
    expect(isDriftCause('liquidation')).toBe(true);
    expect(isDriftCause('funding')).toBe(false);
  });
});
