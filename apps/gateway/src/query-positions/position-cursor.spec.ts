import { decodePositionCursor, encodePositionCursor, positionCursorParam } from './position-cursor';

describe('position cursor', () => {
  const key = { createdAt: '2026-01-02T10:00:00.123456Z', id: '3f0c8a6e-1b2c-4d5e-8f90-1234567890ab' };

  it('round-trips a page key, microseconds kept', () => {
    expect(decodePositionCursor(encodePositionCursor(key))).toEqual(key);
  });

  it('refuses what this API did not issue', () => {
    for (const bad of [
      '',
      'not base64!',
      Buffer.from('2026-01-02|x').toString('base64url'),
      Buffer.from(`${key.createdAt}|${key.id}|more`).toString('base64url'),
      'A'.repeat(201),
    ])
      expect(decodePositionCursor(bad)).toBeNull();
  });

  it('as a query parameter: absent is the first page, a bad one is a zod issue', () => {
    expect(positionCursorParam.parse(undefined)).toBeUndefined();
    expect(positionCursorParam.parse(encodePositionCursor(key))).toEqual(key);
    expect(positionCursorParam.safeParse('xyz').error?.issues[0]?.message).toBe('must be a nextCursor from an earlier page');
  });
});
