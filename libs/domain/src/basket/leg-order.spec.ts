import { LegOrderState, nextBasketStep, oppositeSide } from './leg-order';

const leg = (legIndex: number, status: LegOrderState['status']): LegOrderState => ({
  legIndex,
  symbol: `S${legIndex}USDT`,
  side: 'buy',
  quantity: '1',
  status,
  orderLinkId: `link-${legIndex}`,
});

describe('nextBasketStep (resume where the last attempt stopped)', () => {
  it('sends the first planned leg after the filled ones', () => {
    expect(nextBasketStep([leg(2, 'PLANNED'), leg(0, 'FILLED'), leg(1, 'PLANNED')])).toEqual({
      kind: 'send',
      leg: leg(1, 'PLANNED'),
    });
  });

  it('settles a leg whose outcome is unknown before sending anything else', () => {
    expect(nextBasketStep([leg(0, 'FILLED'), leg(1, 'SUBMITTED'), leg(2, 'PLANNED')]).kind).toBe('settle');
    expect(nextBasketStep([leg(0, 'UNCONFIRMED'), leg(1, 'PLANNED')])).toEqual({ kind: 'settle', leg: leg(0, 'UNCONFIRMED') });
  });

  it('halts at a rejected leg and never reaches the later ones', () => {
    expect(nextBasketStep([leg(0, 'FILLED'), leg(1, 'REJECTED'), leg(2, 'PLANNED')])).toEqual({
      kind: 'halt',
      leg: leg(1, 'REJECTED'),
    });
  });

  it('is complete when every leg is filled', () => {
    expect(nextBasketStep([leg(0, 'FILLED'), leg(1, 'FILLED')])).toEqual({ kind: 'complete' });
  });

  it('closes on the opposite side', () => {
    expect(oppositeSide('buy')).toBe('sell');
    expect(oppositeSide('sell')).toBe('buy');
  });
});
