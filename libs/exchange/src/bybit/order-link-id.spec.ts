import { decodeOrderLinkId, encodeOrderLinkId } from './order-link-id';

const id = '5d1e2c3b-4a59-4e6f-8a7b-9c0d1e2f3a4b';

describe('orderLinkId', () => {
  it("is deterministic, ≤ 36 chars of Bybit's alphabet, and round-trips", () => {
    const a = encodeOrderLinkId({ ownerId: id, purpose: 'open', attempt: 0, legIndex: 3 });
    expect(a).toBe(encodeOrderLinkId({ ownerId: id, purpose: 'open', attempt: 0, legIndex: 3 }));
    expect(a).toHaveLength(28);
    expect(a).toMatch(/^[A-Za-z0-9_-]{1,36}$/);
    expect(decodeOrderLinkId(a)).toEqual({ ownerId: id, purpose: 'open', attempt: 0, legIndex: 3 });
  });

  it('differs by purpose, attempt and leg', () => {
    const ids = new Set(
      (['open', 'close', 'rollback', 'restore'] as const).flatMap((purpose) =>
        [0, 1, 35].flatMap((attempt) => [0, 1, 99].map((legIndex) => encodeOrderLinkId({ ownerId: id, purpose, attempt, legIndex }))),
      ),
    );
    expect(ids.size).toBe(4 * 3 * 3);
  });

  it('does not claim manual or foreign ids', () => {
    expect(decodeOrderLinkId('')).toBeNull();
    expect(decodeOrderLinkId('manual-123')).toBeNull();
    expect(decodeOrderLinkId('xx' + 'A'.repeat(26))).toBeNull();
  });

  it('refuses out-of-range parts', () => {
    expect(() => encodeOrderLinkId({ ownerId: 'nope', purpose: 'open', attempt: 0, legIndex: 0 })).toThrow(/not a UUID/);
    expect(() => encodeOrderLinkId({ ownerId: id, purpose: 'open', attempt: 36, legIndex: 0 })).toThrow(/attempt/);
    expect(() => encodeOrderLinkId({ ownerId: id, purpose: 'open', attempt: 0, legIndex: 100 })).toThrow(/leg/);
  });
});
