// Bybit's cross sequence `seq` on executions and positions (execution.mdx, position.mdx): it links
// a fill to the position update that includes it. Here it counts per (account, symbol); the
// executions of one order share it; the position row carries the last one; -1 before any trade.
import { Dec } from './decimal';
import { Exchange } from './exchange';
import { market, newExchange } from '../testing/engine-fixture';

const T0 = 1_700_000_000_000;

function seqs(exchange: Exchange, apiKey: string, symbol: string, now: number): number[] {
  return exchange
    .visibleExecutions(apiKey, now)
    .filter((execution) => execution.symbol === symbol)
    .map((execution) => execution.seq);
}

function positionSeq(exchange: Exchange, apiKey: string, symbol: string, now: number): number | undefined {
  return exchange.visiblePositions(apiKey, symbol, now)[0]?.seq;
}

describe('cross sequence (seq) of executions and positions', () => {
  let exchange: Exchange;

  beforeEach(() => {
    exchange = newExchange({ prices: { BTCUSDT: '65000', ETHUSDT: '3000' } });
    for (const apiKey of ['k1', 'k2'])
      exchange.createAccount({ apiKey, apiSecret: 's', balanceUsdt: new Dec('100000'), defaultLeverage: new Dec(1) }, T0);
  });

  it('is -1 on the position of a symbol never traded', () => {
    expect(positionSeq(exchange, 'k1', 'BTCUSDT', T0)).toBe(-1);
  });

  it('grows by one per order, per account and symbol, and the position carries the last one', () => {
    exchange.placeMarketOrder('k1', market('BTCUSDT', 'Buy', '0.01'), T0 + 1);
    exchange.placeMarketOrder('k1', market('ETHUSDT', 'Buy', '0.1'), T0 + 2);
    exchange.placeMarketOrder('k1', market('BTCUSDT', 'Buy', '0.01'), T0 + 3);
    exchange.placeMarketOrder('k2', market('BTCUSDT', 'Sell', '0.01'), T0 + 4);
    exchange.placeMarketOrder('k1', market('BTCUSDT', 'Sell', '0.02', { reduceOnly: true }), T0 + 5);

    expect(seqs(exchange, 'k1', 'BTCUSDT', T0 + 5)).toEqual([1, 2, 3]);
    expect(seqs(exchange, 'k1', 'ETHUSDT', T0 + 5)).toEqual([1]);
    expect(seqs(exchange, 'k2', 'BTCUSDT', T0 + 5)).toEqual([1]);
    // Flat again, the position still names the fill that flattened it.
    expect(positionSeq(exchange, 'k1', 'BTCUSDT', T0 + 5)).toBe(3);
    expect(positionSeq(exchange, 'k1', 'ETHUSDT', T0 + 5)).toBe(1);
    expect(exchange.visibleExecutions('k1', T0 + 5).map((execution) => execution.execTime)).toEqual([T0 + 1, T0 + 2, T0 + 3, T0 + 5]);
  });

  it('gives every execution of an order walking the book the same seq', () => {
    const walking = newExchange({
      fillAtMark: false,
      prices: { BTCUSDT: '65000' },
      book: { levelNotionalUsdt: new Dec('1000'), depth: 50 },
    });
    walking.createAccount({ apiKey: 'k', apiSecret: 's', balanceUsdt: new Dec('100000'), defaultLeverage: new Dec(1) }, T0);
    walking.placeMarketOrder('k', market('BTCUSDT', 'Buy', '0.05'), T0);
    walking.placeMarketOrder('k', market('BTCUSDT', 'Buy', '0.05'), T0 + 1);
    const executions = seqs(walking, 'k', 'BTCUSDT', T0 + 1);
    expect(executions.length).toBeGreaterThan(2);
    expect(new Set(executions)).toEqual(new Set([1, 2]));
    expect(executions).toEqual([...executions].sort((a, b) => a - b));
    expect(positionSeq(walking, 'k', 'BTCUSDT', T0 + 1)).toBe(2);
  });

  it('a lagged position shows the seq of the fills it includes, not of the newer ones', () => {
    exchange.faults.replace({ positionVisibilityLagMs: 1000 });
    exchange.placeMarketOrder('k1', market('BTCUSDT', 'Buy', '0.01'), T0);
    exchange.placeMarketOrder('k1', market('BTCUSDT', 'Buy', '0.01'), T0 + 500);
    expect(positionSeq(exchange, 'k1', 'BTCUSDT', T0 + 999)).toBe(-1);
    expect(positionSeq(exchange, 'k1', 'BTCUSDT', T0 + 1000)).toBe(1);
    expect(positionSeq(exchange, 'k1', 'BTCUSDT', T0 + 1500)).toBe(2);
  });

  it('a funding settlement takes the next seq, and so does the position it changes', () => {
    exchange.placeMarketOrder('k1', market('BTCUSDT', 'Buy', '0.01'), T0);
    const [booked] = exchange.settleFundingNow(T0 + 1, 'BTCUSDT');
    expect(booked?.execution).toMatchObject({ execType: 'Funding', seq: 2 });
    expect(positionSeq(exchange, 'k1', 'BTCUSDT', T0 + 1)).toBe(2);
    exchange.placeMarketOrder('k1', market('BTCUSDT', 'Buy', '0.01'), T0 + 2);
    expect(seqs(exchange, 'k1', 'BTCUSDT', T0 + 2)).toEqual([1, 2, 3]);
  });

  it('an order refused takes no seq', () => {
    expect(() => exchange.placeMarketOrder('k1', market('BTCUSDT', 'Buy', '100'), T0)).toThrow();
    exchange.placeMarketOrder('k1', market('BTCUSDT', 'Buy', '0.01'), T0 + 1);
    expect(seqs(exchange, 'k1', 'BTCUSDT', T0 + 1)).toEqual([1]);
  });
});
