import { assertNotBusy, decideClaim, hasLiveLease, LeasedPosition, leaseOwnerOf, sameMessage } from './position-lease';

const now = new Date('2026-11-29T15:00:00.000Z');
const later = new Date('2026-11-29T15:00:30.000Z');
const earlier = new Date('2026-11-29T14:59:30.000Z');
const open = { start: 'PENDING', working: 'EXECUTING' } as const;
const executing = (leaseOwner: string | null, leaseExpiresAt: Date | null): LeasedPosition => ({
  status: 'EXECUTING',
  leaseOwner,
  leaseExpiresAt,
});

describe('position lease', () => {
  it('names an owner by message, delivery and instance; two deliveries of one message are the same message', () => {
    expect(leaseOwnerOf({ streamSequence: 42, deliveryCount: 3 }, 'executor-1')).toBe('42:3:executor-1');
    expect(sameMessage('42:1:executor-1', '42:2:executor-2')).toBe(true);
    expect(sameMessage('42:1:executor-1', '421:1:executor-1')).toBe(false);
    expect(sameMessage('executor-a', 'executor-a')).toBe(false);
  });

  it('claims a position in its start status', () => {
    expect(decideClaim({ status: 'PENDING', leaseOwner: null, leaseExpiresAt: null }, open, '1:1:x', now)).toBe('claim');
  });

  it('resumes a working position whose lease expired, is ours, or is held by an earlier delivery of the same message', () => {
    expect(decideClaim(executing('7:1:x', earlier), open, '8:1:y', now)).toBe('resume');
    expect(decideClaim(executing('7:1:x', now), open, '8:1:y', now)).toBe('resume');
    expect(decideClaim(executing(null, null), open, '8:1:y', now)).toBe('resume');
    expect(decideClaim(executing('8:1:y', later), open, '8:1:y', now)).toBe('resume');
    expect(decideClaim(executing('8:1:x', later), open, '8:2:y', now)).toBe('resume');
  });

  it('leaves a live lease of another message alone (a true duplicate)', () => {
    expect(decideClaim(executing('7:1:x', later), open, '8:1:x', now)).toBe('owned_elsewhere');
  });

  it('does not work on a position in any other status', () => {
    expect(decideClaim({ status: 'ACTIVE', leaseOwner: null, leaseExpiresAt: null }, open, '1:1:x', now)).toBe('not_executable');
    expect(decideClaim({ status: 'CLOSED', leaseOwner: null, leaseExpiresAt: null }, { working: 'CLOSING' }, '1:1:x', now)).toBe(
      'not_executable',
    );
  });

  it('is busy only while a lease is live', () => {
    expect(hasLiveLease({ leaseExpiresAt: later }, now)).toBe(true);
    expect(hasLiveLease({ leaseExpiresAt: now }, now)).toBe(false);
    expect(() => assertNotBusy({ leaseExpiresAt: later }, now)).toThrow(expect.objectContaining({ code: 'POSITION.BUSY' }));
    expect(() => assertNotBusy({ leaseExpiresAt: earlier }, now)).not.toThrow();
    expect(() => assertNotBusy({ leaseExpiresAt: null }, now)).not.toThrow();
  });
});
