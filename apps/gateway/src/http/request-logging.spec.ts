import { requestIdOf } from './request-logging';

describe('the request id of a request', () => {
  it.each(['0f8fad5b-d9cb-469f-a165-70867728950e', '01HZY4V1W8TQ2ZK7Q6E1Q8N5G2', 'trace.abc:123_x-9'])(
    'keeps a plain X-Request-Id %s',
    (id) => {
      expect(requestIdOf(id)).toBe(id);
    },
  );

  it.each([
    ['absent', undefined],
    ['too short', 'abc'],
    ['too long', 'a'.repeat(129)],
    ['with spaces or quotes', 'a b"c\\d-1234'],
    ['a line break (a forged log line)', 'abcdefgh\n{"level":"info"}'],
    ['sent twice', ['abcdefgh-1', 'abcdefgh-2']],
  ])('gives a new UUID when it is %s', (_, header) => {
    expect(requestIdOf(header)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
