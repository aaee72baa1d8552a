import { randomUUID } from 'node:crypto';
import { encodeOrderLinkId, ExecutionView, StreamExecution } from '@legwork/exchange';
import { driftExecutions } from './foreign-executions';

function event(
  symbol: string,
  orderLinkId: string,
  cause: StreamExecution['cause'],
  kind: ExecutionView['kind'] = 'trade',
): StreamExecution {
  return {
    execution: {
      execId: randomUUID(),
      exchangeOrderId: randomUUID(),
      orderLinkId,
      symbol,
      side: 'sell',
      price: '60000',
      quantity: '0.003',
      fee: '0.099',
      feeCurrency: 'USDT',
      executedAt: new Date(0),
      feeRate: '0.00055',
      kind,
    },
    creationTime: 0,
    cause,
  };
}

describe('driftExecutions', () => {
  const held = new Set(['BTCUSDT', 'ETHUSDT']);
  const tracked = encodeOrderLinkId({ ownerId: randomUUID(), purpose: 'close', attempt: 0, legIndex: 0 });

  it('a close from the app, a liquidation and an ADL on held symbols moved them without us', () => {
    const events = [
      event('BTCUSDT', '', 'manual_close'),
      event('ETHUSDT', '', 'liquidation', 'exchange_close'),
      event('ETHUSDT', '', 'adl', 'exchange_close'),
      event('BTCUSDT', 'my-other-bot', 'trade'),
    ];
    expect(driftExecutions(events, new Set([tracked]), held)).toEqual(events);
  });

  it('our own fills, funding and symbols no position holds are not drift of a held position', () => {
    expect(
      driftExecutions(
        [event('BTCUSDT', tracked, 'trade'), event('BTCUSDT', '', null, 'funding'), event('TRXUSDT', '', 'trade')],
        new Set([tracked]),
        held,
      ),
    ).toEqual([]);
  });
});
