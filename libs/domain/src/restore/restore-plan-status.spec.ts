import {
  RESTORE_PLAN_STATUSES,
  RestorePlanStatus,
  assertRestorePlanExecutable,
  canRestorePlanTransition,
  isRestorePlanExpired,
  restorePlanPredecessors,
} from './restore-plan-status';

const ALLOWED: Array<[RestorePlanStatus, RestorePlanStatus]> = [
  ['proposed', 'executing'],
  ['proposed', 'refused'],
  ['executing', 'executed'],
  ['executing', 'stale'],
];
const key = (from: string, to: string) => `${from}->${to}`;
const allowedKeys = new Set(ALLOWED.map(([f, t]) => key(f, t)));
const allPairs = RESTORE_PLAN_STATUSES.flatMap((from) => RESTORE_PLAN_STATUSES.map((to) => [from, to] as const));

describe('restore plan status transitions', () => {
  it.each(ALLOWED)('allows %s -> %s', (from, to) => {
    expect(canRestorePlanTransition(from, to)).toBe(true);
  });

  it.each(allPairs.filter(([f, t]) => !allowedKeys.has(key(f, t))))('forbids %s -> %s', (from, to) => {
    expect(canRestorePlanTransition(from, to)).toBe(false);
  });

  it('lists predecessors for guarded updates: a plan executes at most once', () => {
    expect(restorePlanPredecessors('executing')).toEqual(['proposed']);
    expect(restorePlanPredecessors('refused')).toEqual(['proposed']);
    expect(restorePlanPredecessors('executed')).toEqual(['executing']);
    expect(restorePlanPredecessors('proposed')).toEqual([]);
  });
});

describe('restore plan expiry', () => {
  const expiresAt = new Date('2026-11-29T15:00:00.000Z');

  it('is valid up to and including its expiry instant, expired one millisecond after', () => {
    expect(isRestorePlanExpired({ expiresAt }, new Date('2026-11-29T14:59:59.999Z'))).toBe(false);
    expect(isRestorePlanExpired({ expiresAt }, expiresAt)).toBe(false);
    expect(isRestorePlanExpired({ expiresAt }, new Date('2026-11-29T15:00:00.001Z'))).toBe(true);
  });

  it('refuses a used plan before looking at its expiry, and an expired proposed plan', () => {
    const late = new Date('2026-11-29T16:00:00.000Z');
    expect(() => assertRestorePlanExecutable({ id: 'p1', status: 'executing', expiresAt }, late)).toThrow(
      expect.objectContaining({ code: 'RESTORE.PLAN_USED', message: 'restore plan p1 is already executing' }),
    );
    expect(() => assertRestorePlanExecutable({ id: 'p1', status: 'proposed', expiresAt }, late)).toThrow(
      expect.objectContaining({
        code: 'RESTORE.PLAN_EXPIRED',
        message: 'restore plan p1 expired at 2026-11-29T15:00:00.000Z; ask for a new one',
      }),
    );
    expect(() => assertRestorePlanExecutable({ id: 'p1', status: 'proposed', expiresAt }, expiresAt)).not.toThrow();
  });
});
