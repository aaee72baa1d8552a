// Private topic names: all-in-one or categorised (docs/v5/websocket/private/*.mdx), which ones
// carry the simulator's linear data, and the refusals of a subscribe request.
import { parseTopicName, receivesLinear, subscriptionError } from './stream-topics';

describe('private stream topics', () => {
  it('parses all-in-one and categorised names, execution.fast included', () => {
    expect(parseTopicName('order')).toEqual({ name: 'order', topic: 'order', category: undefined });
    expect(parseTopicName('execution.fast.linear')).toEqual({ name: 'execution.fast.linear', topic: 'execution.fast', category: 'linear' });
    expect(parseTopicName('execution.linear')).toEqual({ name: 'execution.linear', topic: 'execution', category: 'linear' });
    expect(parseTopicName('position.option')).toMatchObject({ topic: 'position', category: 'option' });
    for (const name of ['wallet.linear', 'position.spot', 'dcp', 'orderbook.1.BTCUSDT', 'order.', 'orders']) {
      expect(parseTopicName(name)).toBeUndefined();
    }
  });

  it('gives linear data to the all-in-one and the .linear names only', () => {
    const names = ['order', 'order.linear', 'order.spot', 'execution.fast'].map((name) => parseTopicName(name));
    expect(names.map((name) => name !== undefined && receivesLinear(name, 'order'))).toEqual([true, true, false, false]);
  });

  it('refuses an unknown topic, and all-in-one with categorised of the same topic in one request', () => {
    expect(subscriptionError(['order', 'execution.linear', 'wallet'])).toBeUndefined();
    expect(subscriptionError(['order', 'dcp'])).toBe('Invalid topic: dcp');
    expect(subscriptionError([42])).toBe('Invalid topic: 42');
    expect(subscriptionError(['position.linear', 'position'])).toMatch(
      /^All-In-One topic and Categorised topic cannot be in the same subscription request/,
    );
  });
});
