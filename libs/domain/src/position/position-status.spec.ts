import { POSITION_STATUSES, PositionStatus, allowedPredecessors, assertTransition, canTransition, isTerminal } from './position-status';

const ALLOWED: Array<[PositionStatus, PositionStatus]> = [
  ['PENDING', 'EXECUTING'],
  ['PENDING', 'FAILED'],
  ['EXECUTING', 'ACTIVE'],
  ['EXECUTING', 'FAILED'],
  ['ACTIVE', 'CLOSING'],
  ['CLOSING', 'CLOSED'],
  ['CLOSING', 'ACTIVE'],
  ['FAILED', 'ROLLING_BACK'],
  ['ROLLING_BACK', 'ROLLED_BACK'],
  ['ROLLING_BACK', 'FAILED'],
];
const key = (from: string, to: string) => `${from}->${to}`;
const allowedKeys = new Set(ALLOWED.map(([f, t]) => key(f, t)));
const allPairs = POSITION_STATUSES.flatMap((from) => POSITION_STATUSES.map((to) => [from, to] as const));

describe('position status transitions', () => {
  it.each(ALLOWED)('allows %s -> %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
    expect(assertTransition(from, to)).toBe(to);
  });

  it.each(allPairs.filter(([f, t]) => !allowedKeys.has(key(f, t))))('forbids %s -> %s', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
    expect(() => assertTransition(from, to)).toThrow(expect.objectContaining({ code: 'POSITION.ILLEGAL_TRANSITION' }));
  });

  it('never leaves a terminal state', () => {
    expect(POSITION_STATUSES.filter(isTerminal)).toEqual(['CLOSED', 'ROLLED_BACK']);
  });

  it('lists predecessors for guarded updates', () => {
    expect(allowedPredecessors('FAILED').sort()).toEqual(['EXECUTING', 'PENDING', 'ROLLING_BACK']);
    expect(allowedPredecessors('PENDING')).toEqual([]);
  });
});
