import { LegOrderStatus } from './leg-order';
import { LEG_ORDER_STATUSES, assertLegTransition, canLegTransition, isLegSettled, legStatusPredecessors } from './leg-order-status';

const ALLOWED: Array<[LegOrderStatus, LegOrderStatus]> = [
  ['PLANNED', 'SUBMITTED'],
  ['PLANNED', 'SKIPPED'],
  ['SUBMITTED', 'SUBMITTED'],
  ['SUBMITTED', 'FILLED'],
  ['SUBMITTED', 'REJECTED'],
  ['SUBMITTED', 'UNCONFIRMED'],
  ['SUBMITTED', 'SKIPPED'],
  ['UNCONFIRMED', 'SUBMITTED'],
  ['UNCONFIRMED', 'FILLED'],
  ['UNCONFIRMED', 'REJECTED'],
  ['UNCONFIRMED', 'UNCONFIRMED'],
  ['UNCONFIRMED', 'SKIPPED'],
  ['FILLED', 'FILLED'],
];
const key = (from: string, to: string) => `${from}->${to}`;
const allowedKeys = new Set(ALLOWED.map(([f, t]) => key(f, t)));
const allPairs = LEG_ORDER_STATUSES.flatMap((from) => LEG_ORDER_STATUSES.map((to) => [from, to] as const));

describe('leg order status transitions', () => {
  it.each(ALLOWED)('allows %s -> %s', (from, to) => {
    expect(canLegTransition(from, to)).toBe(true);
    expect(assertLegTransition(from, to)).toBe(to);
  });

  it.each(allPairs.filter(([f, t]) => !allowedKeys.has(key(f, t))))('forbids %s -> %s', (from, to) => {
    expect(canLegTransition(from, to)).toBe(false);
    expect(() => assertLegTransition(from, to)).toThrow(expect.objectContaining({ code: 'LEG.ILLEGAL_TRANSITION', details: { from, to } }));
  });

  it('never overwrites a settled leg (a late or racing answer cannot replace a fill or a refusal)', () => {
    expect(LEG_ORDER_STATUSES.filter(isLegSettled)).toEqual(['FILLED', 'REJECTED', 'SKIPPED']);
  });

  it('lists predecessors for guarded updates', () => {
    expect(legStatusPredecessors('SUBMITTED')).toEqual(['PLANNED', 'SUBMITTED', 'UNCONFIRMED']);
    expect(legStatusPredecessors('FILLED')).toEqual(['SUBMITTED', 'UNCONFIRMED', 'FILLED']);
    expect(legStatusPredecessors('SKIPPED')).toEqual(['PLANNED', 'SUBMITTED', 'UNCONFIRMED']);
    expect(legStatusPredecessors('PLANNED')).toEqual([]);
  });
});
