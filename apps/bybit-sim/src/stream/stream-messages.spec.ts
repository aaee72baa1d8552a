// Shaping of the private-stream messages from engine changes, checked against the docs' stream
// examples (testing/fixtures/bybit-v5-stream-examples.json): every documented field present with
// the same JSON type, numbers as strings where Bybit sends strings; ids, seq, execType and
// createType as Bybit gives them.
import examples from '../testing/fixtures/bybit-v5-stream-examples.json';
import { Dec } from '../engine/decimal';
import { AccountChange, ExchangeEvent } from '../engine/events';
import { Exchange } from '../engine/exchange';
import { market, newExchange } from '../testing/engine-fixture';
import { TopicMessage, render, streamMessages } from './stream-messages';

const T0 = Date.UTC(2026, 10, 29, 9);
type Json = Record<string, unknown>;

/** Doc-example fields we knowingly serve otherwise, with the reason. */
const SERVED_OTHERWISE: Record<string, string> = {
  extraFees: 'the example is a row with Indian GST; "In other cases, an empty string is returned" (execution.mdx)',
};

function kind(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}

/** Doc fields missing from ours or of another JSON type (objects and first list items recursed). */
function differences(doc: unknown, ours: unknown, path: string): string[] {
  if (kind(doc) !== kind(ours)) return [`${path}: doc ${kind(doc)}, ours ${kind(ours)}`];
  if (Array.isArray(doc) && Array.isArray(ours)) return doc.length > 0 && ours.length > 0 ? differences(doc[0], ours[0], `${path}[0]`) : [];
  if (kind(doc) !== 'object' || path.endsWith('cumFeeDetail')) return [];
  const ourRecord = ours as Json;
  return Object.entries(doc as Json).flatMap(([key, value]) => {
    if (!(key in ourRecord)) return [`${path}.${key}: missing`];
    if (SERVED_OTHERWISE[key] !== undefined) return [];
    return differences(value, ourRecord[key], `${path}.${key}`);
  });
}

function recording(): { exchange: Exchange; changes: AccountChange[] } {
  const exchange = newExchange({ prices: { BTCUSDT: '65000', ETHUSDT: '3000' } });
  exchange.createAccount({ apiKey: 'k', apiSecret: 's', balanceUsdt: new Dec('10000'), defaultLeverage: new Dec(1) }, T0);
  const changes: AccountChange[] = [];
  exchange.events.subscribe((event: ExchangeEvent) => {
    if (event.kind === 'account') changes.push(event);
  });
  return { exchange, changes };
}

function messagesOf(exchange: Exchange, change: AccountChange | undefined): TopicMessage[] {
  if (change === undefined) throw new Error('no change recorded');
  let next = 0;
  return streamMessages(change, exchange.catalogue, () => `uuid-${++next}`);
}

const parsed = (message: TopicMessage | undefined, topicName: string): Json =>
  JSON.parse(render(message ?? fail('no message'), topicName)) as Json;
const rowOf = (message: Json): Json => (message['data'] as Json[])[0] ?? {};

describe('private stream messages', () => {
  it("a filled order gives order, execution, execution.fast, position and wallet messages in the docs' shapes", () => {
    const { exchange, changes } = recording();
    exchange.placeMarketOrder('k', market('BTCUSDT', 'Buy', '0.01', { orderLinkId: 'leg-1' }), T0);
    const messages = messagesOf(exchange, changes[0]);
    expect(messages.map((message) => message.topic)).toEqual(['order', 'execution', 'execution.fast', 'position', 'wallet']);
    const [order, execution, , position, wallet] = messages;
    for (const [topic, message] of [
      ['order', order],
      ['execution', execution],
      ['position', position],
      ['wallet', wallet],
    ] as const) {
      const doc = examples.streams[topic] as unknown as Json;
      expect(differences(doc, parsed(message, topic), topic)).toEqual([]);
    }
    const userId = exchange.account('k')?.userId ?? 0;
    const fill = rowOf(parsed(execution, 'execution'));
    expect(parsed(order, 'order.linear')).toMatchObject({ id: `${userId}uuid-1`, topic: 'order.linear', creationTime: T0 });
    expect(rowOf(parsed(order, 'order'))).toMatchObject({
      category: 'linear',
      orderStatus: 'Filled',
      createType: 'CreateByUser',
      closedPnl: '0',
    });
    expect(fill).toMatchObject({ category: 'linear', execType: 'Trade', createType: 'CreateByUser', execPnl: '0', execTime: String(T0) });
    expect(parsed(execution, 'execution')['id']).toBe(`${userId}_BTCUSDT_${String(fill['seq'])}`);
    expect(rowOf(parsed(position, 'position'))).toMatchObject({ category: 'linear', entryPrice: '65000', seq: fill['seq'], size: '0.010' });
    expect(rowOf(parsed(position, 'position'))).not.toHaveProperty('avgPrice');
    expect(Object.keys(rowOf(parsed(messages[2], 'execution.fast'))).sort()).toEqual(
      ['category', 'execId', 'execPrice', 'execQty', 'execTime', 'isMaker', 'orderId', 'orderLinkId', 'seq', 'side', 'symbol'].sort(),
    );
  });

  it('a closing order shows its closed PnL less fees and each execution its execPnl', () => {
    const { exchange, changes } = recording();
    exchange.placeMarketOrder('k', market('BTCUSDT', 'Buy', '0.01'), T0);
    exchange.prices.set('BTCUSDT', new Dec('66000'));
    exchange.placeMarketOrder('k', market('BTCUSDT', 'Sell', '0.01'), T0 + 1);
    const [order, execution] = messagesOf(exchange, changes[1]);
    // +10 realised, less the closing fee 0.01 × 66000 × 0.00055 = 0.363.
    expect(rowOf(parsed(order, 'order'))['closedPnl']).toBe('9.637');
    expect(rowOf(parsed(execution, 'execution'))).toMatchObject({ execPnl: '10', closedSize: '0.010' });
  });

  it('funding gives Funding executions per symbol, no order and no execution.fast row', () => {
    const { exchange, changes } = recording();
    exchange.placeMarketOrder('k', market('BTCUSDT', 'Buy', '0.01'), T0);
    exchange.placeMarketOrder('k', market('ETHUSDT', 'Buy', '0.1'), T0);
    exchange.settleFundingNow(T0 + 10);
    const messages = messagesOf(exchange, changes[2]);
    expect(messages.map((message) => message.topic)).toEqual(['execution', 'execution', 'position', 'wallet']);
    expect(messages.slice(0, 2).map((message) => rowOf(parsed(message, 'execution'))['execType'])).toEqual(['Funding', 'Funding']);
    expect(rowOf(parsed(messages[0], 'execution'))).toMatchObject({
      symbol: 'BTCUSDT',
      orderType: 'UNKNOWN',
      createType: '',
      execPnl: '0',
    });
    expect(parsed(messages[2], 'position')['data']).toHaveLength(2);
  });
});
