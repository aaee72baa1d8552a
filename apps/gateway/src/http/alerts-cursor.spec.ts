import { alertsCursorParam, encodeAlertsCursor } from './alerts-cursor';

describe('the alerts cursor', () => {
  it('gives back the instant and id it was made of', () => {
    const cursor = { occurredAt: new Date('2026-11-29T10:00:00.123Z'), id: 'orphan.detected:a:b:c' };
    expect(alertsCursorParam.parse(encodeAlertsCursor(cursor))).toEqual(cursor);
  });

  it.each([
    ['not base64url', 'a+b/c='],
    ['not JSON', Buffer.from('hello').toString('base64url')],
    ['JSON of another shape', Buffer.from(JSON.stringify({ t: 'yesterday', id: 'x' })).toString('base64url')],
    ['an extra field', Buffer.from(JSON.stringify({ t: '2026-11-29T10:00:00.000Z', id: 'x', userId: 'y' })).toString('base64url')],
    ['too long', 'A'.repeat(601)],
  ])('refuses %s', (_, raw) => {
    expect(alertsCursorParam.safeParse(raw).success).toBe(false);
  });
});
