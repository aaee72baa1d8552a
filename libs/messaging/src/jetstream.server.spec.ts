import { asDisposition } from './jetstream.server';

describe('asDisposition: what a JetStream handler may return', () => {
  it.each([
    [{ kind: 'ack' }],
    [{ kind: 'abandon' }],
    [{ kind: 'term', reason: 'undecodable' }],
    [{ kind: 'retry', reason: 'exchange unavailable' }],
    [{ kind: 'retry', reason: 'exchange unavailable', failureCount: 2 }],
    [{ kind: 'ack', outcome: 'active', commandType: 'OpenPosition' }],
  ])('takes %j as it is', (result) => {
    expect(asDisposition(result, 'p')).toBe(result);
  });

  it.each([
    [undefined, 'undefined'],
    ['ack', '"ack"'],
    [{ kind: 'nak' }, '{"kind":"nak"}'],
    [{ kind: 'term' }, '{"kind":"term"}'],
    [{ kind: 'retry', reason: 'x', failureCount: 0 }, '{"kind":"retry","reason":"x","failureCount":0}'],
    [{ kind: 'retry', reason: 'x', failureCount: 1.5 }, '{"kind":"retry","reason":"x","failureCount":1.5}'],
  ])('refuses %j, naming the pattern', (result, shown) => {
    expect(() => asDisposition(result, 'trade-commands')).toThrow(`the handler of 'trade-commands' returned ${shown}, not a disposition`);
  });
});
