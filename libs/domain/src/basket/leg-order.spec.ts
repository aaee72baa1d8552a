import { OPEN_BASKET_POLICY, RESTORE_BASKET_POLICY, UNWIND_BASKET_POLICY } from './basket-policy';
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

describe('nextBasketStep under each basket policy', () => {
  const unwound = (
    legIndex: number,
    status: LegOrderState['status'],
    unwindOutcome: LegOrderState['unwindOutcome'] = null,
  ): LegOrderState => ({
    ...leg(legIndex, status),
    unwindOutcome,
  });

  it('open halts at a rejected leg, as without a policy', () => {
    const legs = [unwound(0, 'FILLED'), unwound(1, 'REJECTED'), unwound(2, 'PLANNED')];
    expect(nextBasketStep(legs, OPEN_BASKET_POLICY)).toEqual({ kind: 'halt', leg: legs[1] });
    expect(nextBasketStep(legs)).toEqual(nextBasketStep(legs, OPEN_BASKET_POLICY));
  });

  it('restore works past a rejected trade and completes with it rejected', () => {
    expect(nextBasketStep([unwound(0, 'REJECTED'), unwound(1, 'PLANNED')], RESTORE_BASKET_POLICY)).toEqual({
      kind: 'send',
      leg: unwound(1, 'PLANNED'),
    });
    expect(nextBasketStep([unwound(0, 'REJECTED'), unwound(1, 'FILLED')], RESTORE_BASKET_POLICY)).toEqual({ kind: 'complete' });
  });

  it('unwind works past a rejected leg whose outcome is recorded', () => {
    const legs = [unwound(0, 'REJECTED', 'failed'), unwound(1, 'SKIPPED', 'already_flat'), unwound(2, 'PLANNED')];
    expect(nextBasketStep(legs, UNWIND_BASKET_POLICY)).toEqual({ kind: 'send', leg: legs[2] });
  });

  it('unwind records the outcome of a rejected leg a crash left without one, before anything else', () => {
    const legs = [unwound(0, 'FILLED', 'closed'), unwound(1, 'REJECTED'), unwound(2, 'PLANNED')];
    expect(nextBasketStep(legs, UNWIND_BASKET_POLICY)).toEqual({ kind: 'record', leg: legs[1] });
  });

  it('unwind settles again a filled leg whose outcome a crash left unrecorded', () => {
    const legs = [unwound(0, 'FILLED'), unwound(1, 'PLANNED')];
    expect(nextBasketStep(legs, UNWIND_BASKET_POLICY)).toEqual({ kind: 'settle', leg: legs[0] });
    expect(nextBasketStep(legs, OPEN_BASKET_POLICY)).toEqual({ kind: 'send', leg: legs[1] });
  });

  it('unwind is complete when every leg is filled or skipped with its outcome', () => {
    expect(
      nextBasketStep([unwound(0, 'FILLED', 'closed'), unwound(1, 'SKIPPED'), unwound(2, 'REJECTED', 'failed')], UNWIND_BASKET_POLICY),
    ).toEqual({
      kind: 'complete',
    });
  });

  it('settles an unknown outcome before sending, under every policy', () => {
    for (const policy of [OPEN_BASKET_POLICY, RESTORE_BASKET_POLICY, UNWIND_BASKET_POLICY]) {
      expect(nextBasketStep([unwound(0, 'UNCONFIRMED'), unwound(1, 'PLANNED')], policy).kind).toBe('settle');
    }
  });
});
